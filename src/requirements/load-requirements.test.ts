import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ConfigurationError } from '../errors/configuration-error.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { loadRequirements } from './load-requirements.js';

const YAML = 'version: 1\ntasks:\n  chat:\n    task: text-generation\n    limits: { maxSizeBytes: 2 GiB }\n';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'modelscout-requirements-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function rejection(promise: Promise<unknown>): Promise<ConfigurationError> {
  try {
    await promise;
  } catch (error) {
    if (ConfigurationError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a ConfigurationError');
}

describe('loadRequirements', () => {
  test('reads a YAML file and a JSON file, naming the file in the result', async () => {
    const yamlPath = join(folder, 'requirements.yaml');
    await writeFile(yamlPath, YAML);
    const fromYaml = await loadRequirements(yamlPath);
    expect(fromYaml).toMatchObject({ file: yamlPath, format: 'yaml' });
    expect(fromYaml.tasks.chat!.requirements.maxSizeBytes).toBe(2 ** 31);

    const jsonPath = join(folder, 'requirements.json');
    await writeFile(jsonPath, JSON.stringify({ version: 1, tasks: { chat: { task: 'text-generation' } } }));
    expect(await loadRequirements(jsonPath)).toMatchObject({ file: jsonPath, format: 'json' });
  });

  test('errors name the file and place the problem', async () => {
    const path = join(folder, 'broken.yml');
    await writeFile(path, 'version: 1\ntasks:\n  chat:\n    task: text-generaton\n');
    const error = await rejection(loadRequirements(path));
    expect(error).toMatchObject({ file: path, kind: 'unknown-task', line: 4, column: 11 });
    expect(error.message).toContain(`${path}:4:11: /tasks/chat/task: unknown task 'text-generaton'`);
  });

  test('a missing file is unreadable, with the fs error as cause', async () => {
    const path = join(folder, 'missing.yaml');
    const error = await rejection(loadRequirements(path));
    expect(error).toMatchObject({ kind: 'unreadable', line: 1, column: 1, path: '' });
    expect(error.message).toBe(`Invalid configuration: ${path}:1:1: cannot read the file: no such file`);
    expect((error.cause as NodeJS.ErrnoException).code).toBe('ENOENT');
  });

  test('folders and named pipes are refused without being read', async () => {
    expect(await rejection(loadRequirements(folder))).toMatchObject({ kind: 'not-a-file' });
    const fifo = join(folder, 'pipe.yaml');
    execFileSync('mkfifo', [fifo]);
    // Opening a pipe for reading would wait for a writer forever: it must be refused first.
    expect(await rejection(loadRequirements(fifo))).toMatchObject({ kind: 'not-a-file' });
  });

  test('a link to a regular file is read', async () => {
    const target = join(folder, 'target.yaml');
    const link = join(folder, 'link.yaml');
    await writeFile(target, YAML);
    await symlink(target, link);
    expect(Object.keys((await loadRequirements(link)).tasks)).toEqual(['chat']);
  });

  test('files over maxFileBytes are refused', async () => {
    const path = join(folder, 'large.yaml');
    await writeFile(path, `${YAML}# ${'x'.repeat(2000)}\n`);
    expect(await rejection(loadRequirements(path, { maxFileBytes: 1000 }))).toMatchObject({
      kind: 'too-large',
      line: 1,
      column: 1,
    });
    expect(Object.keys((await loadRequirements(path)).tasks)).toEqual(['chat']);
  });

  test('an aborted signal rejects with its reason; bad arguments with InvalidArgumentError', async () => {
    const path = join(folder, 'requirements.yaml');
    await writeFile(path, YAML);
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(loadRequirements(path, { signal: controller.signal })).rejects.toThrow('stop');
    await expect(loadRequirements('')).rejects.toThrow(InvalidArgumentError);
    await expect(loadRequirements(path, { format: 'ini' as 'yaml' })).rejects.toThrow(InvalidArgumentError);
  });
});
