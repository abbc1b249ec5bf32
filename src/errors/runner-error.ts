import { ModelscoutError } from './modelscout-error.js';
import { redactSecrets } from './redact-secrets.js';

const marker = 'modelscout.error.RunnerError';
const symbol = Symbol.for(marker);

/**
 * Why an inference runner failed:
 * - `'unsupported'`: the runner cannot run this candidate for this task (`supports` is false);
 * - `'load-failed'`: loading the model failed (missing files, a broken ONNX file, a bad dtype);
 * - `'disposed'`: `predict` was called on a model after `dispose()`;
 * - `'malformed-output'`: the model or host function returned something that is not one
 *   prediction per input of the task's shape;
 * - `'failed'`: predicting failed for another reason (the cause says why).
 *
 * HTTP failures of the remote runners (a status, a dropped connection, a stream that broke off,
 * a malformed chunk, a timeout) are `ApiCallError`s instead; an abort rejects with the signal's reason.
 */
export type RunnerErrorReason = 'unsupported' | 'load-failed' | 'disposed' | 'malformed-output' | 'failed';

/**
 * An inference runner could not load or run a model. The message never contains credentials:
 * token-like strings are removed from it.
 */
export class RunnerError extends ModelscoutError {
  protected readonly [symbol] = true;
  override readonly name = 'RunnerError';
  /** The runner's name, e.g. `'transformers-js'`. */
  readonly runner: string;
  /** The model it was loading or running. */
  readonly modelId: string;
  /** Why it failed. */
  readonly reason: RunnerErrorReason;

  constructor({
    runner,
    modelId,
    reason,
    message,
    cause,
  }: {
    runner: string;
    modelId: string;
    reason: RunnerErrorReason;
    message: string;
    cause?: unknown;
  }) {
    super({ message: redactSecrets(`Runner '${runner}' (${modelId}): ${message}`), cause });
    this.runner = runner;
    this.modelId = modelId;
    this.reason = reason;
  }

  /** Whether `error` is a {@link RunnerError}. */
  static override isInstance(error: unknown): error is RunnerError {
    return ModelscoutError.hasMarker(error, marker);
  }
}
