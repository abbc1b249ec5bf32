import { ModelscoutError } from './modelscout-error.js';

const marker = 'modelscout.error.StoreError';
const symbol = Symbol.for(marker);

/** A store failed to read or write. `isRetryable` says whether trying again may help. */
export class StoreError extends ModelscoutError {
  protected readonly [symbol] = true;
  override readonly name = 'StoreError';
  /** The store's name, e.g. `'memory'` or `'redis'`. */
  readonly store: string;
  /** Whether the same operation may succeed when tried again (e.g. a lost connection). */
  readonly isRetryable: boolean;

  constructor({
    store,
    message,
    cause,
    isRetryable = false,
  }: { store: string; message: string; cause?: unknown; isRetryable?: boolean }) {
    super({ message: `Store '${store}': ${message}`, cause });
    this.store = store;
    this.isRetryable = isRetryable;
  }

  /** Whether `error` is a {@link StoreError}. */
  static override isInstance(error: unknown): error is StoreError {
    return ModelscoutError.hasMarker(error, marker);
  }
}
