import { ModelscoutError } from './modelscout-error.js';

const marker = 'modelscout.error.NoFeasibleCandidateError';
const symbol = Symbol.for(marker);

/** One hard constraint and the candidates it removed. */
export interface ConstraintRejection {
  /** The constraint's name, e.g. `'task'`, `'license'`, `'maxSizeBytes'`, `'maxLatencyMs'`. */
  readonly constraint: string;
  /** Ids of the candidates this constraint removed (each candidate is listed under the first constraint it fails). */
  readonly candidates: readonly string[];
  /** A short explanation, e.g. `'size 1.2 GB > 500 MB'` for one candidate, or the constraint's value. */
  readonly detail: string;
}

/** Hard constraints removed every candidate. `rejections` names which constraint removed which candidates. */
export class NoFeasibleCandidateError extends ModelscoutError {
  protected readonly [symbol] = true;
  override readonly name = 'NoFeasibleCandidateError';
  /** Which constraint removed which candidates. */
  readonly rejections: readonly ConstraintRejection[];

  constructor({ rejections }: { rejections: readonly ConstraintRejection[] }) {
    const summary = rejections
      .map(
        (rejection) =>
          `${rejection.constraint} (${rejection.detail}) removed ${rejection.candidates.join(', ')}`,
      )
      .join('; ');
    super({ message: `No candidate satisfies the hard constraints: ${summary}` });
    this.rejections = rejections;
  }

  /** Whether `error` is a {@link NoFeasibleCandidateError}. */
  static override isInstance(error: unknown): error is NoFeasibleCandidateError {
    return ModelscoutError.hasMarker(error, marker);
  }
}
