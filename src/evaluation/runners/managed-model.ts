import type { Task } from '../../core/task.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import { ModelscoutError } from '../../errors/modelscout-error.js';
import { RunnerError } from '../../errors/runner-error.js';
import type { LoadedModel, Prediction } from '../spec.js';

/** What a runner provides to {@link createManagedModel}. */
export interface ManagedModelOptions<Input, Output> {
  /** The runner's name, for errors. */
  readonly runner: string;
  readonly modelId: string;
  readonly task: Task;
  readonly loadMs?: number;
  readonly memoryBytes?: number;
  readonly dtype?: string;
  /** Predicts a non-empty batch; called only while the model is not disposed. */
  readonly predictBatch: (
    inputs: readonly Input[],
    signal: AbortSignal | undefined,
  ) => Promise<ReadonlyArray<Prediction<Output>>>;
  /** Releases what the model holds; called once, after the predictions in flight settled. */
  readonly release: () => Promise<void>;
}

/**
 * A {@link LoadedModel} with the behavior every runner shares: an empty batch answers `[]`
 * without calling the runner, an aborted signal rejects with its reason (checked before and
 * after the batch), a result that is not one prediction per input is a `RunnerError`
 * (`'malformed-output'`), other failures that are not modelscout errors are wrapped in a
 * `RunnerError` (`'failed'`), `dispose()` waits for the predictions in flight, releases once and
 * is idempotent, and `predict` after it rejects with a `RunnerError` (`'disposed'`).
 */
export function createManagedModel<Input, Output, Extra extends object = object>(
  options: ManagedModelOptions<Input, Output>,
  extra?: Extra,
): LoadedModel<Input, Output> & Extra {
  const { runner, modelId, task, predictBatch, release } = options;
  let disposal: Promise<void> | undefined;
  const inFlight = new Set<Promise<unknown>>();

  const predict = async (
    inputs: readonly Input[],
    { signal }: { readonly signal?: AbortSignal } = {},
  ): Promise<ReadonlyArray<Prediction<Output>>> => {
    if (disposal !== undefined) {
      throw new RunnerError({ runner, modelId, reason: 'disposed', message: 'the model was disposed' });
    }
    if (!Array.isArray(inputs)) {
      throw new InvalidArgumentError({ argument: 'inputs', value: inputs, message: 'must be an array' });
    }
    signal?.throwIfAborted();
    if (inputs.length === 0) return [];
    const run = predictBatch(inputs, signal);
    inFlight.add(run);
    let predictions: ReadonlyArray<Prediction<Output>>;
    try {
      predictions = await run;
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (ModelscoutError.isInstance(error)) throw error;
      throw new RunnerError({
        runner,
        modelId,
        reason: 'failed',
        message: `predicting failed: ${error instanceof Error ? error.message : String(error)}`,
        cause: error,
      });
    } finally {
      inFlight.delete(run);
    }
    signal?.throwIfAborted();
    if (!Array.isArray(predictions) || predictions.length !== inputs.length) {
      throw new RunnerError({
        runner,
        modelId,
        reason: 'malformed-output',
        message: `expected ${inputs.length} predictions, got ${Array.isArray(predictions) ? predictions.length : typeof predictions}`,
      });
    }
    return predictions;
  };

  const model: LoadedModel<Input, Output> = {
    modelId,
    task,
    ...(options.loadMs === undefined ? {} : { loadMs: options.loadMs }),
    ...(options.memoryBytes === undefined ? {} : { memoryBytes: options.memoryBytes }),
    ...(options.dtype === undefined ? {} : { dtype: options.dtype }),
    predict,
    dispose() {
      disposal ??= (async () => {
        await Promise.allSettled([...inFlight]);
        await release();
      })();
      return disposal;
    },
  };
  return Object.assign(model, extra);
}
