import { ModelscoutError } from './modelscout-error.js';

const marker = 'modelscout.error.EvaluationError';
const symbol = Symbol.for(marker);

/** Why one candidate of an evaluation produced no prediction at all. */
export interface EvaluationFailure {
  readonly modelId: string;
  /** `'no-runner'`: no runner supports it for the task; `'load-failed'`: loading failed or timed out. */
  readonly reason: 'no-runner' | 'load-failed';
  readonly message: string;
}

/**
 * No candidate of an evaluation could be evaluated: none had a runner, or every load failed.
 * When at least one candidate was evaluated, `evaluate` resolves instead, and the others' scores
 * say why they were not (`stopReason`, `error`, `samples: 0`).
 */
export class EvaluationError extends ModelscoutError {
  protected readonly [symbol] = true;
  override readonly name = 'EvaluationError';
  /** Each candidate and why it produced nothing. */
  readonly failures: readonly EvaluationFailure[];

  constructor({ failures, cause }: { failures: readonly EvaluationFailure[]; cause?: unknown }) {
    super({
      message: `No candidate could be evaluated: ${failures
        .map((failure) => `${failure.modelId} (${failure.reason}: ${failure.message})`)
        .join('; ')}`,
      cause,
    });
    this.failures = failures;
  }

  /** Whether `error` is an {@link EvaluationError}. */
  static override isInstance(error: unknown): error is EvaluationError {
    return ModelscoutError.hasMarker(error, marker);
  }
}
