import { ModelscoutError } from './modelscout-error.js';

const marker = 'modelscout.error.InvalidArgumentError';
const symbol = Symbol.for(marker);

/**
 * A value passed to a modelscout function is invalid: an empty or duplicated arm list, a reward
 * outside its domain or NaN, a context value of the wrong type, an unknown option.
 */
export class InvalidArgumentError extends ModelscoutError {
  protected readonly [symbol] = true;
  override readonly name = 'InvalidArgumentError';
  /** The name of the offending argument or option, e.g. `'reward'` or `'context.tier'`. */
  readonly argument: string;
  /** The offending value, when it is safe to keep. */
  readonly value: unknown;

  constructor({
    argument,
    value,
    message,
    cause,
  }: { argument: string; value?: unknown; message: string; cause?: unknown }) {
    super({ message: `Invalid argument '${argument}': ${message}`, cause });
    this.argument = argument;
    this.value = value;
  }

  /** Whether `error` is a {@link InvalidArgumentError}. */
  static override isInstance(error: unknown): error is InvalidArgumentError {
    return ModelscoutError.hasMarker(error, marker);
  }
}
