import type { ModelCandidate } from '../../core/model-candidate.js';
import type { Task } from '../../core/task.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import { RunnerError } from '../../errors/runner-error.js';
import type { InferenceRunner, Prediction } from '../spec.js';
import { createManagedModel } from './managed-model.js';

/** What the host's function receives besides the inputs. */
export interface FunctionRunnerContext {
  readonly task: Task;
  readonly modelId: string;
  readonly candidate: ModelCandidate;
  /** Aborted when the caller aborts; the function should stop early when it can. */
  readonly signal: AbortSignal | undefined;
}

export interface FunctionRunnerCommonOptions {
  /** The runner's name. @default 'function' */
  readonly name?: string;
  /** Tasks it runs; every task when omitted. */
  readonly tasks?: readonly Task[];
  /** Model ids it runs; every id when omitted. */
  readonly modelIds?: readonly string[];
}

/** Options of {@link functionRunner}. */
export type FunctionRunnerOptions<Input = unknown, Output = unknown> = FunctionRunnerCommonOptions &
  (
    | {
        /** One output per input, in order (the `prediction.output` shapes of `task-score.ts`). */
        readonly predict: (
          inputs: readonly Input[],
          context: FunctionRunnerContext,
        ) => readonly Output[] | Promise<readonly Output[]>;
        /** What `predict` returns: plain outputs. @default 'outputs' */
        readonly returns?: 'outputs';
      }
    | {
        /** One prediction per input, in order, with `scores`, `tokens` or `timings` when the host has them. */
        readonly predict: (
          inputs: readonly Input[],
          context: FunctionRunnerContext,
        ) => ReadonlyArray<Prediction<Output>> | Promise<ReadonlyArray<Prediction<Output>>>;
        /** What `predict` returns: {@link Prediction}s. */
        readonly returns: 'predictions';
      }
  );

/** Defaults of {@link FunctionRunnerOptions}. */
export const FUNCTION_RUNNER_DEFAULTS = Object.freeze({ name: 'function', returns: 'outputs' } as const);

/**
 * A runner over a function the host provides: `predict(inputs, { task, modelId, candidate, signal })`
 * returns one output (or, with `returns: 'predictions'`, one {@link Prediction}) per input. Use it
 * to evaluate models modelscout has no runner for (a Python service, a rules engine, a cached
 * set of answers). `load` holds nothing; `dispose` only stops later predictions.
 */
export function functionRunner<Input = unknown, Output = unknown>(
  options: FunctionRunnerOptions<Input, Output>,
): InferenceRunner {
  const { name = FUNCTION_RUNNER_DEFAULTS.name, tasks, modelIds } = options;
  if (typeof options.predict !== 'function') {
    throw new InvalidArgumentError({
      argument: 'predict',
      value: options.predict,
      message: 'must be a function',
    });
  }
  const returns = options.returns ?? FUNCTION_RUNNER_DEFAULTS.returns;
  if (returns !== 'outputs' && returns !== 'predictions') {
    throw new InvalidArgumentError({
      argument: 'returns',
      value: returns,
      message: "must be 'outputs' or 'predictions'",
    });
  }
  const supports = (candidate: ModelCandidate, task: Task) =>
    (tasks === undefined || tasks.includes(task)) &&
    (modelIds === undefined || modelIds.includes(candidate.id));

  return {
    specificationVersion: 'v1',
    name,
    supports,
    async load(candidate, task, { signal } = {}) {
      signal?.throwIfAborted();
      if (!supports(candidate, task)) {
        throw new RunnerError({
          runner: name,
          modelId: candidate.id,
          reason: 'unsupported',
          message: `does not run task '${task}' for this model`,
        });
      }
      const modelId = candidate.id;
      return createManagedModel<Input, Output>({
        runner: name,
        modelId,
        task,
        release: async () => {},
        predictBatch: async (inputs, predictSignal) => {
          const context: FunctionRunnerContext = { task, modelId, candidate, signal: predictSignal };
          const returned: unknown = await options.predict(inputs, context);
          if (!Array.isArray(returned)) {
            throw new RunnerError({
              runner: name,
              modelId,
              reason: 'malformed-output',
              message: `the function returned ${returned === null ? 'null' : typeof returned}, not an array`,
            });
          }
          if (returns === 'outputs') return returned.map((output) => ({ output: output as Output }));
          for (const [index, prediction] of returned.entries()) {
            if (prediction === null || typeof prediction !== 'object' || !('output' in prediction)) {
              throw new RunnerError({
                runner: name,
                modelId,
                reason: 'malformed-output',
                message: `prediction ${index} has no 'output'`,
              });
            }
          }
          return returned as Prediction<Output>[];
        },
      });
    },
  };
}
