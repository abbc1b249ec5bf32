import { ModelscoutError } from '../errors/modelscout-error.js';

const marker = 'modelscout.error.InterruptedError';
const symbol = Symbol.for(marker);

/**
 * The command was stopped by a signal (Ctrl-C is SIGINT). It is the reason of the abort signal
 * every command receives, so the library rejects with it; the CLI exits with 128 + the signal's
 * number: 130 for SIGINT, 143 for SIGTERM.
 */
export class InterruptedError extends ModelscoutError {
  protected readonly [symbol] = true;
  override readonly name = 'InterruptedError';
  /** The signal that stopped the command. */
  readonly signal: 'SIGINT' | 'SIGTERM';

  constructor({ signal }: { signal: 'SIGINT' | 'SIGTERM' }) {
    super({ message: `interrupted (${signal})` });
    this.signal = signal;
  }

  /** Whether `error` is an {@link InterruptedError}. */
  static override isInstance(error: unknown): error is InterruptedError {
    return ModelscoutError.hasMarker(error, marker);
  }
}
