import { ModelscoutError } from './modelscout-error.js';
import { redactSecrets } from './redact-secrets.js';

const marker = 'modelscout.error.ModelRegistryError';
const symbol = Symbol.for(marker);

/**
 * Why the model registry could not hand out a model:
 * - `'too-large'`: no dtype of the model fits `maxMemoryBytes` (by its estimate), even with every
 *   other model unloaded;
 * - `'no-room'`: the model would fit, but models in use (and loads in flight) hold the memory or
 *   the `maxModels` slots it needs; try again after they are released;
 * - `'no-runner'`: none of the registry's runners supports the model for the task;
 * - `'load-failed'`: the runner (or the `load` function) failed; the cause says why;
 * - `'closed'`: the registry was closed.
 *
 * An aborted request rejects with its signal's reason instead.
 */
export type ModelRegistryErrorReason = 'too-large' | 'no-room' | 'no-runner' | 'load-failed' | 'closed';

/**
 * The model registry could not hand out a model. The message never contains credentials:
 * token-like strings are removed from it.
 */
export class ModelRegistryError extends ModelscoutError {
  protected readonly [symbol] = true;
  override readonly name = 'ModelRegistryError';
  /** The model asked for. */
  readonly modelId: string;
  /** Why it failed. */
  readonly reason: ModelRegistryErrorReason;

  constructor({
    modelId,
    reason,
    message,
    cause,
  }: {
    modelId: string;
    reason: ModelRegistryErrorReason;
    message: string;
    cause?: unknown;
  }) {
    super({ message: redactSecrets(`Model registry (${modelId}): ${message}`), cause });
    this.modelId = modelId;
    this.reason = reason;
  }

  /** Whether `error` is a {@link ModelRegistryError}. */
  static override isInstance(error: unknown): error is ModelRegistryError {
    return ModelscoutError.hasMarker(error, marker);
  }
}
