import { ModelscoutError } from './modelscout-error.js';

const marker = 'modelscout.error.UnknownArmError';
const symbol = Symbol.for(marker);

/** An update names an arm the selector has never been offered and has no statistics for. */
export class UnknownArmError extends ModelscoutError {
  protected readonly [symbol] = true;
  override readonly name = 'UnknownArmError';
  /** The unknown arm id. */
  readonly armId: string;

  constructor({ armId, message }: { armId: string; message?: string }) {
    super({
      message:
        message ??
        `Unknown arm '${armId}': it was never passed to select(), declared in the selector's arms, or recorded in its store.`,
    });
    this.armId = armId;
  }

  /** Whether `error` is a {@link UnknownArmError}. */
  static override isInstance(error: unknown): error is UnknownArmError {
    return ModelscoutError.hasMarker(error, marker);
  }
}
