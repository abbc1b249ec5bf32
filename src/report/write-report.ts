import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { ReportError } from '../errors/report-error.js';
import { renderReport } from './render-report.js';
import type { ReportInput } from './report-input.js';

/**
 * Renders `input` with {@link renderReport} and writes it to `path` atomically: to a temporary
 * file in the same folder (made when missing), then renamed over `path`, so that a reader never
 * sees half a page. Resolves to the absolute path written.
 *
 * @example
 * ```ts
 * const file = await writeReport('build/report.html', { scores, learningCurve: recorder.observations });
 * console.log(`report: ${file}`);
 * ```
 * @throws InvalidArgumentError for an empty `path` or an invalid `input` (nothing is written).
 * @throws ReportError when the folder cannot be made or the file cannot be written (the
 *   temporary file is removed).
 */
export async function writeReport(path: string, input: ReportInput): Promise<string> {
  if (typeof path !== 'string' || path === '') {
    throw new InvalidArgumentError({ argument: 'path', value: path, message: 'must be a non-empty string' });
  }
  const html = renderReport(input);
  const target = resolve(path);
  // Hidden, and short whatever the target's name: a name of 255 bytes (what most file systems
  // take) is a valid target, and the temporary name must fit too.
  const temporary = join(
    dirname(target),
    `.${basename(target).slice(0, 32)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`,
  );
  try {
    await mkdir(dirname(target), { recursive: true });
    await writeFile(temporary, html, { encoding: 'utf8', flag: 'wx' });
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw new ReportError({
      path: target,
      message: `could not be written: ${error instanceof Error ? error.message : String(error)}`,
      cause: error,
    });
  }
  return target;
}
