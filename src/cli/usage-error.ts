import { ModelscoutError } from '../errors/modelscout-error.js';

const marker = 'modelscout.error.UsageError';
const symbol = Symbol.for(marker);

/**
 * The command line is wrong: an unknown command or option, a missing argument, an invalid value.
 * The CLI exits with status 2 and prints the message (and a hint to `--help`).
 */
export class UsageError extends ModelscoutError {
  protected readonly [symbol] = true;
  override readonly name = 'UsageError';
  /** The command whose usage was wrong, e.g. `'search'` or `'cache prune'`; `undefined` before one was named. */
  readonly command: string | undefined;

  constructor({ message, command, cause }: { message: string; command?: string; cause?: unknown }) {
    super({ message, cause });
    this.command = command;
  }

  /** Whether `error` is a {@link UsageError}. */
  static override isInstance(error: unknown): error is UsageError {
    return ModelscoutError.hasMarker(error, marker);
  }
}
