import { constants } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { ConfigurationError, type ConfigurationProblemKind } from '../errors/configuration-error.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import {
  type ParseRequirementsOptions,
  parseWithOptions,
  type ResolvedParseOptions,
  resolveParseOptions,
} from './parse-requirements.js';
import type { Requirements } from './requirements.js';

/** Options of {@link loadRequirements}: those of {@link parseRequirements} but `file`, which is the path. */
export interface LoadRequirementsOptions extends Omit<ParseRequirementsOptions, 'file'> {
  /** Aborts reading the file. @default undefined (never aborted) */
  readonly signal?: AbortSignal;
}

/**
 * Reads, parses and validates a requirements file (YAML or JSON, told by its extension or
 * content). Only regular files (or links to one) of at most `maxFileBytes` are read.
 *
 * @example
 * ```ts
 * const requirements = await loadRequirements('requirements.yaml');
 * const triage = requirements.tasks['support-triage'];
 * const selected = await scout.selectOptimal(toSelectionRequest(triage));
 * ```
 *
 * @throws {ConfigurationError} when the file cannot be read (`'unreadable'`), is not a regular
 * file (`'not-a-file'`), is too large (`'too-large'`), or is invalid: every problem with its
 * line, column and JSON pointer (see {@link parseRequirements}).
 * @throws {InvalidArgumentError} when `path` is not a non-empty string or an option is invalid.
 * @throws the signal's reason when `signal` aborts.
 */
export async function loadRequirements(
  path: string,
  options: LoadRequirementsOptions = {},
): Promise<Requirements> {
  if (typeof path !== 'string' || path.length === 0) {
    throw new InvalidArgumentError({ argument: 'path', value: path, message: 'must be a non-empty string' });
  }
  const { signal, ...parseOptions } = options ?? {};
  const resolved = resolveParseOptions({ ...parseOptions, file: path }, 'options');
  const text = await readRequirementsText(path, resolved, signal);
  return parseWithOptions(text, resolved);
}

/**
 * The text of `path`: a regular file of at most `maxFileBytes`, read through one file handle (so
 * the size checked is the size of the file read).
 * @internal
 */
export async function readRequirementsText(
  path: string,
  options: ResolvedParseOptions,
  signal?: AbortSignal,
): Promise<string> {
  const fail = (kind: ConfigurationProblemKind, message: string, cause?: unknown): never => {
    throw new ConfigurationError({
      file: path,
      problems: [{ kind, message, path: '', line: 1, column: 1 }],
      cause,
    });
  };
  signal?.throwIfAborted();
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    try {
      // Checked before opening too: opening a named pipe for reading would wait for a writer.
      if (!(await stat(path)).isFile()) return fail('not-a-file', 'is not a regular file');
      handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    } catch (error) {
      if (ConfigurationError.isInstance(error)) throw error;
      return fail('unreadable', `cannot read the file: ${describeFileError(error)}`, error);
    }
    const stats = await handle.stat();
    if (!stats.isFile()) return fail('not-a-file', 'is not a regular file');
    if (stats.size > options.maxFileBytes) {
      return fail(
        'too-large',
        `${stats.size} bytes is more than the ${options.maxFileBytes} a requirements file may have`,
      );
    }
    // Read one byte past the cap, in case the file grew since `stat`.
    const buffer = Buffer.alloc(Math.min(options.maxFileBytes + 1, Math.max(stats.size, 0) + 1));
    let length = 0;
    while (length < buffer.length) {
      signal?.throwIfAborted();
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > options.maxFileBytes) {
      return fail(
        'too-large',
        `the file is more than the ${options.maxFileBytes} bytes a requirements file may have`,
      );
    }
    signal?.throwIfAborted();
    return buffer.subarray(0, length).toString('utf8');
  } catch (error) {
    if (ConfigurationError.isInstance(error) || signal?.aborted) throw error;
    return fail('unreadable', `cannot read the file: ${describeFileError(error)}`, error);
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

function describeFileError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a folder';
  return error instanceof Error ? error.message : String(error);
}
