import { ConfigurationError, type ConfigurationProblem } from '../errors/configuration-error.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type { FileContent } from './file-content.js';
import { parseSource } from './parse-source.js';
import type { Requirements, RequirementsFormat } from './requirements.js';
import { pointerSegments, schemaProblems } from './schema-problems.js';
import { semanticProblems } from './semantic-problems.js';
import { typedRequirements } from './typed-requirements.js';

/** Options of {@link parseRequirements} (and of {@link loadRequirements}, which adds its own). */
export interface ParseRequirementsOptions {
  /**
   * The file the text comes from, named in errors and in the result. With `format: 'auto'`, its
   * extension also tells the syntax (`.json` → JSON, `.yaml`/`.yml` → YAML).
   * @default undefined (errors name `<input>`)
   */
  readonly file?: string;
  /**
   * The syntax: `'yaml'`, `'json'` (strict JSON, `JSON.parse`'s rules), or `'auto'`: by the file's
   * extension, else JSON when the text starts with `{` or `[` and parses as JSON, else YAML.
   * @default 'auto'
   */
  readonly format?: RequirementsFormat | 'auto';
  /**
   * The most nodes YAML aliases may expand to (`yaml`'s `maxAliasCount`): a bound on alias bombs
   * ("billion laughs"). `-1` disables the bound; `0` forbids aliases.
   * @default 100
   */
  readonly maxAliasCount?: number;
  /**
   * The largest text accepted, in bytes (UTF-8). Larger texts are refused with a `'too-large'`
   * problem before parsing. A requirements file is a few kilobytes; the cap bounds the time
   * pathological YAML can take (yaml parses 128 KiB of the worst inputs in about a second or two).
   * @default 128 KiB (`131_072`)
   */
  readonly maxFileBytes?: number;
}

/** The defaults of {@link ParseRequirementsOptions}. */
export const REQUIREMENTS_DEFAULTS = Object.freeze({
  format: 'auto',
  maxAliasCount: 100,
  maxFileBytes: 131_072,
} as const satisfies Required<Omit<ParseRequirementsOptions, 'file'>>);

/** Options with defaults filled in and checked. @internal */
export interface ResolvedParseOptions {
  readonly file: string | undefined;
  readonly format: RequirementsFormat | undefined;
  readonly maxAliasCount: number;
  readonly maxFileBytes: number;
}

/** Checks `options` and fills in the defaults. @internal */
export function resolveParseOptions(
  options: ParseRequirementsOptions,
  argument: string,
): ResolvedParseOptions {
  if (options === null || typeof options !== 'object') {
    throw new InvalidArgumentError({ argument, value: options, message: 'must be an object' });
  }
  const {
    file,
    format = REQUIREMENTS_DEFAULTS.format,
    maxAliasCount = REQUIREMENTS_DEFAULTS.maxAliasCount,
    maxFileBytes = REQUIREMENTS_DEFAULTS.maxFileBytes,
  } = options;
  if (file !== undefined && typeof file !== 'string') {
    throw new InvalidArgumentError({
      argument: `${argument}.file`,
      value: file,
      message: 'must be a string',
    });
  }
  if (format !== 'auto' && format !== 'yaml' && format !== 'json') {
    throw new InvalidArgumentError({
      argument: `${argument}.format`,
      value: format,
      message: "must be 'auto', 'yaml' or 'json'",
    });
  }
  if (!Number.isInteger(maxAliasCount) || maxAliasCount < -1) {
    throw new InvalidArgumentError({
      argument: `${argument}.maxAliasCount`,
      value: maxAliasCount,
      message: 'must be an integer ≥ -1',
    });
  }
  if (!Number.isSafeInteger(maxFileBytes) || maxFileBytes <= 0) {
    throw new InvalidArgumentError({
      argument: `${argument}.maxFileBytes`,
      value: maxFileBytes,
      message: 'must be a positive integer',
    });
  }
  let resolvedFormat: RequirementsFormat | undefined = format === 'auto' ? undefined : format;
  if (resolvedFormat === undefined && file !== undefined) {
    if (/\.json$/i.test(file)) resolvedFormat = 'json';
    else if (/\.ya?ml$/i.test(file)) resolvedFormat = 'yaml';
  }
  return { file, format: resolvedFormat, maxAliasCount, maxFileBytes };
}

/**
 * Parses and validates the text of a requirements file (YAML or JSON) into typed
 * {@link Requirements}. The text is checked against {@link REQUIREMENTS_SCHEMA} and then for what
 * the schema cannot say (unknown task ids with the closest id suggested, `minParameters` above
 * `maxParameters`, a modality that is not the task's, license policies that admit nothing…).
 *
 * @throws {ConfigurationError} listing every problem found, each with its line, column and JSON
 * pointer: YAML or JSON syntax, alias bombs, then schema and semantic problems.
 * @throws {InvalidArgumentError} when `text` is not a string or an option is invalid.
 */
export function parseRequirements(text: string, options: ParseRequirementsOptions = {}): Requirements {
  if (typeof text !== 'string') {
    throw new InvalidArgumentError({ argument: 'text', value: text, message: 'must be a string' });
  }
  return parseWithOptions(text, resolveParseOptions(options, 'options'));
}

/** {@link parseRequirements} with options already resolved. @internal */
export function parseWithOptions(text: string, options: ResolvedParseOptions): Requirements {
  const { file } = options;
  const fail = (problems: readonly ConfigurationProblem[], cause?: unknown): never => {
    throw new ConfigurationError({ file, problems, cause });
  };
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > options.maxFileBytes) {
    fail([
      {
        kind: 'too-large',
        message: `${bytes} bytes is more than the ${options.maxFileBytes} a requirements file may have`,
        path: '',
        line: 1,
        column: 1,
      },
    ]);
  }
  let parsed: ReturnType<typeof parseSource>;
  try {
    parsed = parseSource(text, options);
  } catch (error) {
    // Resource exhaustion (a stack overflow) in a parsing step is the input's doing; anything
    // else is a bug and propagates.
    if (!(error instanceof RangeError)) throw error;
    return fail(
      [
        {
          kind: 'syntax',
          message: `the file cannot be read: ${error.message}`,
          path: '',
          line: 1,
          column: 1,
        },
      ],
      error,
    );
  }
  if (!parsed.ok) return fail(parsed.problems);
  const { value, locator, format } = parsed;
  if (value === null || value === undefined) {
    return fail([
      {
        kind: 'empty',
        message: 'the file holds no document; expected a mapping with version: 1 and tasks',
        path: '',
        line: 1,
        column: 1,
      },
    ]);
  }
  const problems = schemaProblems(value, locator);
  // Semantic checks run on the tasks the schema found valid, when the defaults are valid too.
  const invalid = new Set<string>();
  let defaultsInvalid = false;
  for (const problem of problems) {
    const [section, name] = pointerSegments(problem.path);
    if (section === 'tasks' && name !== undefined) invalid.add(name);
    if (section === 'defaults') defaultsInvalid = true;
  }
  const content = value as FileContent;
  const tasks = content.tasks;
  if (!defaultsInvalid && tasks !== null && typeof tasks === 'object' && !Array.isArray(tasks)) {
    const valid = Object.keys(tasks).filter((name) => !invalid.has(name));
    problems.push(...semanticProblems(content, valid, locator));
  }
  if (problems.length > 0) return fail(problems);
  return typedRequirements(content, file, format);
}
