import { ModelscoutError } from '../errors/modelscout-error.js';

const marker = 'modelscout.error.NothingFoundError';
const symbol = Symbol.for(marker);

/**
 * What the command looked for does not exist: an unknown model, a search without a match, no
 * stored evaluation. The CLI exits with status 4.
 */
export class NothingFoundError extends ModelscoutError {
  protected readonly [symbol] = true;
  override readonly name = 'NothingFoundError';

  /** Whether `error` is a {@link NothingFoundError}. */
  static override isInstance(error: unknown): error is NothingFoundError {
    return ModelscoutError.hasMarker(error, marker);
  }
}
