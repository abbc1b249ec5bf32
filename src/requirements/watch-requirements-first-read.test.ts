// A change reported while the first read is still under way: the debounced read must wait for the
// first one. The first read is held back here (the module that reads the file is wrapped) so that
// the order is certain.
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { manualClock } from '../clock/manual-clock.js';
import type * as LoadRequirements from './load-requirements.js';
import { type RequirementsWatcher, watchRequirements } from './watch-requirements.js';

const gate = vi.hoisted(() => ({ reads: 0, held: undefined as Promise<void> | undefined }));

vi.mock('./load-requirements.js', async (importOriginal) => {
  const original = await importOriginal<typeof LoadRequirements>();
  return {
    ...original,
    readRequirementsText: async (...args: Parameters<typeof original.readRequirementsText>) => {
      const held = gate.reads++ === 0 ? gate.held : undefined;
      const text = await original.readRequirementsText(...args);
      if (held !== undefined) await held;
      return text;
    },
  };
});

const VERSION_1 = 'version: 1\ntasks:\n  triage:\n    task: text-classification\n';
const VERSION_2 = `${VERSION_1}  search:\n    task: text-ranking\n`;

async function until(condition: () => boolean, what: string): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > 10_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

let folder: string;
let watcher: RequirementsWatcher | undefined;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'modelscout-watch-first-'));
});

afterEach(async () => {
  await watcher?.close();
  watcher = undefined;
  await rm(folder, { recursive: true, force: true });
});

test('a change reported during the first read is read after it, not alongside it', async () => {
  const path = join(folder, 'requirements.yaml');
  await writeFile(path, VERSION_1);
  let release!: () => void;
  gate.held = new Promise((resolve) => {
    release = resolve;
  });
  const clock = manualClock();
  const watching = watchRequirements(path, { clock, debounceMs: 10 });
  await until(() => gate.reads === 1, 'the first read');

  // The file changes while the first read (of version 1) is held back; the change is reported.
  await writeFile(join(folder, 'next.tmp'), VERSION_2);
  await rename(join(folder, 'next.tmp'), path);
  await until(() => clock.pendingTimers() > 0, 'the change to be reported');
  await clock.advanceAsync(10);
  // Time for a read that did not wait to finish (it would find no requirements in effect yet).
  await new Promise((resolve) => setTimeout(resolve, 100));

  release();
  watcher = await watching;
  expect(Object.keys(watcher.requirements.tasks)).toEqual(['triage']);
  const changed = new Promise<readonly string[]>((resolve) => {
    watcher!.events.once('config_changed', ({ changedTasks }) => resolve(changedTasks));
  });
  expect(await changed).toEqual(['search']);
  expect(Object.keys(watcher.requirements.tasks)).toEqual(['triage', 'search']);
  expect(gate.reads).toBe(2);
});
