const marker = 'modelscout.error';
const symbol = Symbol.for(marker);

/** Options shared by every modelscout error. */
export interface ModelscoutErrorOptions {
  /** Human-readable description of what went wrong and, where possible, how to fix it. */
  readonly message: string;
  /** The underlying error, when this one wraps another. */
  readonly cause?: unknown;
}

/**
 * Base class of every error modelscout throws across its public API.
 *
 * Check with {@link ModelscoutError.isInstance} rather than `instanceof`: the check uses a
 * `Symbol.for` marker, so it keeps working when two copies of the package are loaded.
 */
export class ModelscoutError extends Error {
  protected readonly [symbol] = true;
  /** A stable, machine-readable name of the failure kind, e.g. `'InvalidArgumentError'`. */
  override readonly name: string = 'ModelscoutError';

  constructor({ message, cause }: ModelscoutErrorOptions) {
    super(message, cause === undefined ? undefined : { cause });
  }

  /** Whether `error` is a modelscout error (of any kind). */
  static isInstance(error: unknown): error is ModelscoutError {
    return ModelscoutError.hasMarker(error, marker);
  }

  /** @internal */
  protected static hasMarker(error: unknown, markerName: string): boolean {
    const markerSymbol = Symbol.for(markerName);
    return (
      error != null &&
      typeof error === 'object' &&
      markerSymbol in error &&
      (error as Record<symbol, unknown>)[markerSymbol] === true
    );
  }
}
