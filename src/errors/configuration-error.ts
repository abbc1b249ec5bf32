import { ModelscoutError } from './modelscout-error.js';

const marker = 'modelscout.error.ConfigurationError';
const symbol = Symbol.for(marker);

/**
 * What kind of problem a configuration file has:
 * - `'unreadable'`: the file could not be read (missing, no permission);
 * - `'not-a-file'`: the path names a folder, a device or a socket rather than a regular file;
 * - `'too-large'`: the file is larger than the size cap;
 * - `'syntax'`: YAML or JSON syntax: unbalanced brackets, bad indentation, tabs as indentation,
 *   duplicate keys, several documents in one file, a key that is not a plain string;
 * - `'alias'`: a YAML alias names no anchor, or aliases expand too much (an alias bomb);
 * - `'empty'`: the file holds no document at all;
 * - `'missing-key'`: a required key is absent;
 * - `'unknown-key'`: a key the format does not have (usually a typo: see `suggestion`);
 * - `'unknown-task'`: a task id that `@huggingface/tasks` does not have;
 * - `'unknown-value'`: a value outside the allowed set (a modality, a sort order, a license group…);
 * - `'wrong-type'`: a value of the wrong type, e.g. a list where a number belongs;
 * - `'out-of-range'`: a number out of its range (a negative size, too large a count, …);
 * - `'invalid-format'`: a string of the wrong form, e.g. a size that is not like `'500MB'`;
 * - `'duplicate'`: the same entry twice in a list;
 * - `'contradiction'`: values that cannot hold together, e.g. `minParameters` above `maxParameters`.
 */
export type ConfigurationProblemKind =
  | 'unreadable'
  | 'not-a-file'
  | 'too-large'
  | 'syntax'
  | 'alias'
  | 'empty'
  | 'missing-key'
  | 'unknown-key'
  | 'unknown-task'
  | 'unknown-value'
  | 'wrong-type'
  | 'out-of-range'
  | 'invalid-format'
  | 'duplicate'
  | 'contradiction';

/** One problem of a configuration file, with where it is. */
export interface ConfigurationProblem {
  /** What kind of problem it is. */
  readonly kind: ConfigurationProblemKind;
  /** What is wrong, for people, without the location, e.g. `"unknown key 'limts'; did you mean 'limits'?"`. */
  readonly message: string;
  /**
   * The JSON pointer (RFC 6901) of the offending value, e.g. `'/tasks/support-triage/limits/maxSizeBytes'`.
   * For a missing or unknown key, the pointer of that key. `''` (the whole document) when the
   * problem is not about one value: syntax errors and files that cannot be read.
   */
  readonly path: string;
  /** The 1-based line where the problem is (1 for problems of the whole file). */
  readonly line: number;
  /** The 1-based column where the problem is, in UTF-16 code units (1 for problems of the whole file). */
  readonly column: number;
  /** The likely intended key or value, when a close match exists. */
  readonly suggestion?: string;
}

/**
 * A configuration file (e.g. a requirements file) could not be used. `problems` lists every
 * problem found, in the order they appear in the file; `line`, `column`, `path` and `kind` are
 * those of the first. The message holds one `file:line:column` line per problem, as compilers write them.
 */
export class ConfigurationError extends ModelscoutError {
  protected readonly [symbol] = true;
  override readonly name = 'ConfigurationError';
  /** The file, as given; `undefined` for text parsed without a file name. */
  readonly file: string | undefined;
  /** The kind of the first problem. */
  readonly kind: ConfigurationProblemKind;
  /** The 1-based line of the first problem. */
  readonly line: number;
  /** The 1-based column of the first problem. */
  readonly column: number;
  /** The JSON pointer of the first problem's value (see {@link ConfigurationProblem.path}). */
  readonly path: string;
  /** Every problem found, in file order (at least one). */
  readonly problems: readonly ConfigurationProblem[];

  constructor({
    file,
    problems,
    cause,
  }: {
    file: string | undefined;
    problems: readonly ConfigurationProblem[];
    cause?: unknown;
  }) {
    const sorted = Object.freeze(
      (problems.length === 0
        ? [{ kind: 'syntax', message: 'invalid configuration', path: '', line: 1, column: 1 } as const]
        : [...problems].sort((a, b) => a.line - b.line || a.column - b.column)
      ).map((problem) => Object.freeze({ ...problem })),
    );
    super({ message: describeProblems(file, sorted), cause });
    const first = sorted[0]!;
    this.file = file;
    this.kind = first.kind;
    this.line = first.line;
    this.column = first.column;
    this.path = first.path;
    this.problems = sorted;
  }

  /** Whether `error` is a {@link ConfigurationError}. */
  static override isInstance(error: unknown): error is ConfigurationError {
    return ModelscoutError.hasMarker(error, marker);
  }
}

/** At most this many problems are spelled out in the message; `problems` keeps them all. */
const PROBLEMS_IN_MESSAGE = 20;

function describeProblems(file: string | undefined, problems: readonly ConfigurationProblem[]): string {
  const name = file ?? '<input>';
  const lines = problems.slice(0, PROBLEMS_IN_MESSAGE).map((problem) => {
    const where = problem.path === '' ? '' : ` ${problem.path}:`;
    return `${name}:${problem.line}:${problem.column}:${where} ${problem.message}`;
  });
  if (problems.length > PROBLEMS_IN_MESSAGE) {
    lines.push(`… and ${problems.length - PROBLEMS_IN_MESSAGE} more`);
  }
  if (problems.length === 1) return `Invalid configuration: ${lines[0]}`;
  return [
    `Invalid configuration: ${problems.length} problems in ${name}`,
    ...lines.map((line) => `  ${line}`),
  ].join('\n');
}
