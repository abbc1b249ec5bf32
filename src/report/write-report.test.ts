import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { ReportError } from '../errors/report-error.js';
import { renderReport } from './render-report.js';
import type { ReportInput } from './report-input.js';
import { writeReport } from './write-report.js';

const input: ReportInput = {
  title: 'Written',
  scores: [
    {
      modelId: 'a',
      quality: { metric: 'accuracy', value: 0.9, lower: 0.85, upper: 0.94 },
      latencyMs: { p50: 3 },
    },
  ],
  generatedAt: 0,
};
let directory: string;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'modelscout-write-report-'));
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('writeReport', () => {
  test('writes the rendered page, making the folder, and resolves to the absolute path', async () => {
    const target = join(directory, 'nested', 'deeper', 'report.html');
    const written = await writeReport(relative(process.cwd(), target), input);
    expect(isAbsolute(written)).toBe(true);
    expect(written).toBe(target);
    expect(await readFile(target, 'utf8')).toBe(renderReport(input));
    expect(await readdir(join(directory, 'nested', 'deeper'))).toEqual(['report.html']);
  });

  test('replaces an existing report whole', async () => {
    const target = join(directory, 'report.html');
    await writeFile(target, 'old content');
    await writeReport(target, { ...input, title: 'Second' });
    expect(await readFile(target, 'utf8')).toContain('<title>Second</title>');
    expect(await readdir(directory)).toEqual(['report.html']);
  });

  test('a path it cannot write rejects with a ReportError and leaves no temporary file', async () => {
    const blocker = join(directory, 'a-file');
    await writeFile(blocker, '');
    const error = await writeReport(join(blocker, 'report.html'), input).catch((caught: unknown) => caught);
    expect(ReportError.isInstance(error)).toBe(true);
    expect((error as ReportError).path).toBe(join(blocker, 'report.html'));
    // The target is a folder: the rename fails after the temporary file was written.
    const folder = join(directory, 'folder.html');
    await writeReport(join(folder, 'inner.html'), input);
    await expect(writeReport(folder, input)).rejects.toSatisfy(ReportError.isInstance);
    expect((await readdir(directory)).sort()).toEqual(['a-file', 'folder.html']);
  });

  test('a file name as long as the system allows is written (the temporary name is short)', async () => {
    const target = join(directory, `${'r'.repeat(250)}.html`);
    expect(await writeReport(target, input)).toBe(target);
    expect(await readdir(directory)).toEqual([`${'r'.repeat(250)}.html`]);
  });

  test('invalid input or path: nothing is written', async () => {
    await expect(writeReport('', input)).rejects.toThrow(InvalidArgumentError);
    const target = join(directory, 'report.html');
    await expect(writeReport(target, { scores: 'none' } as unknown as ReportInput)).rejects.toThrow(
      InvalidArgumentError,
    );
    expect(await readdir(directory)).toEqual([]);
  });
});
