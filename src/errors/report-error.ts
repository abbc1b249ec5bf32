import { ModelscoutError } from './modelscout-error.js';

const marker = 'modelscout.error.ReportError';
const symbol = Symbol.for(marker);

/** A report could not be written (the folder could not be made, the disk is full, no permission…). */
export class ReportError extends ModelscoutError {
  protected readonly [symbol] = true;
  override readonly name = 'ReportError';
  /** Where the report was to be written. */
  readonly path: string;

  constructor({ path, message, cause }: { path: string; message: string; cause?: unknown }) {
    super({ message: `Report '${path}': ${message}`, cause });
    this.path = path;
  }

  /** Whether `error` is a {@link ReportError}. */
  static override isInstance(error: unknown): error is ReportError {
    return ModelscoutError.hasMarker(error, marker);
  }
}
