import { ModelscoutError } from './modelscout-error.js';

const marker = 'modelscout.error.ContradictoryConstraintsError';
const symbol = Symbol.for(marker);

/** Two constraints (or a constraint and the requirements) can never be satisfied together. */
export class ContradictoryConstraintsError extends ModelscoutError {
  protected readonly [symbol] = true;
  override readonly name = 'ContradictoryConstraintsError';
  /** The constraints that contradict each other, e.g. `['minParameters', 'maxParameters']`. */
  readonly constraints: readonly string[];

  constructor({ constraints, message }: { constraints: readonly string[]; message: string }) {
    super({ message: `Contradictory constraints (${constraints.join(', ')}): ${message}` });
    this.constraints = constraints;
  }

  /** Whether `error` is a {@link ContradictoryConstraintsError}. */
  static override isInstance(error: unknown): error is ContradictoryConstraintsError {
    return ModelscoutError.hasMarker(error, marker);
  }
}
