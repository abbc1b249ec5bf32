import { readFile } from 'node:fs/promises';
import { ModelscoutError } from './modelscout-error.js';

const marker = 'modelscout.error.InputFileError';
const symbol = Symbol.for(marker);

/**
 * An input file is unusable: a labeled-data file (`readLabeledData`, the CLI's `eval --data`) or an
 * evaluation document (`report --from`) that cannot be read, does not parse, or holds no usable
 * row. The message starts with `file:line:column:`, as compilers write it. The CLI exits with
 * status 3.
 */
export class InputFileError extends ModelscoutError {
  protected readonly [symbol] = true;
  override readonly name = 'InputFileError';
  /** The file, as given (e.g. on the command line). */
  readonly file: string;
  /** The 1-based line of the problem (1 for problems of the whole file). */
  readonly line: number;
  /** The 1-based column of the problem (1 for problems of the whole file). */
  readonly column: number;

  constructor({
    file,
    line = 1,
    column = 1,
    message,
    cause,
  }: {
    file: string;
    line?: number;
    column?: number;
    message: string;
    cause?: unknown;
  }) {
    super({ message: `${file}:${line}:${column}: ${message}`, cause });
    this.file = file;
    this.line = line;
    this.column = column;
  }

  /** Whether `error` is an {@link InputFileError}. */
  static override isInstance(error: unknown): error is InputFileError {
    return ModelscoutError.hasMarker(error, marker);
  }
}

/**
 * The text of `file` (UTF-8, without the byte order mark editors on Windows write); an
 * {@link InputFileError} when it cannot be read.
 */
export async function readInputFile(file: string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).replace(/^\uFEFF/, '');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputFileError({
      file,
      message: code === 'ENOENT' ? 'no such file' : `cannot read the file (${code ?? String(error)})`,
      cause: error,
    });
  }
}
