import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventEmitter } from 'eventemitter3';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { ConfigurationError } from '../errors/configuration-error.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import {
  REQUIREMENTS_WATCH_DEFAULTS,
  type RequirementsWatcher,
  type RequirementsWatcherEvents,
  watchRequirements,
} from './watch-requirements.js';

const VERSION_1 = `version: 1
tasks:
  triage:
    task: text-classification
    limits: { maxSizeBytes: 500MB }
  chat:
    task: text-generation
`;

const VERSION_2 = `version: 1
tasks:
  triage:
    task: text-classification
    limits: { maxSizeBytes: 1GB }
  chat:
    task: text-generation
  search:
    task: text-ranking
`;

/** The next emission of `event`, as a promise. */
function next<Event extends keyof RequirementsWatcherEvents>(
  events: EventEmitter<RequirementsWatcherEvents>,
  event: Event,
): Promise<RequirementsWatcherEvents[Event][0]> {
  return new Promise((resolve) => {
    events.once(event, ((value: RequirementsWatcherEvents[Event][0]) => resolve(value)) as never);
  });
}

/**
 * Replaces the file at once (write another, rename it over), so that a read never sees it half
 * written: an in-place write truncates first, and a read in between would see an empty file.
 */
let replacements = 0;
async function replaceFile(target: string, text: string): Promise<void> {
  const temporary = `${target}.${replacements++}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, target);
}

let folder: string;
let path: string;
let watcher: RequirementsWatcher | undefined;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'modelscout-watch-'));
  path = join(folder, 'requirements.yaml');
  await writeFile(path, VERSION_1);
});

afterEach(async () => {
  await watcher?.close();
  watcher = undefined;
  await rm(folder, { recursive: true, force: true });
});

describe('watchRequirements', () => {
  test('loads the file, then emits config_changed with the changed tasks when it is written', async () => {
    watcher = await watchRequirements(path, { debounceMs: 20 });
    const first = watcher.requirements;
    expect(Object.keys(first.tasks)).toEqual(['triage', 'chat']);

    const changed = next(watcher.events, 'config_changed');
    await writeFile(path, VERSION_2);
    const event = await changed;
    expect(event.changedTasks).toEqual(['triage', 'search']);
    expect(event.previous).toBe(first);
    expect(event.requirements).toBe(watcher.requirements);
    expect(event.requirements.tasks.triage!.requirements.maxSizeBytes).toBe(1e9);
    expect(Object.isFrozen(event.changedTasks)).toBe(true);

    const removed = next(watcher.events, 'config_changed');
    await writeFile(path, VERSION_1);
    expect((await removed).changedTasks).toEqual(['triage', 'search']);
  });

  test('a broken version emits config_error and the last valid one stays in effect', async () => {
    watcher = await watchRequirements(path, { debounceMs: 20 });
    const valid = watcher.requirements;

    const failed = next(watcher.events, 'config_error');
    await replaceFile(path, 'version: 1\ntasks:\n  triage:\n    task: text-clasification\n');
    const error = await failed;
    expect(ConfigurationError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ file: path, kind: 'unknown-task', line: 4, column: 11 });
    expect(watcher.requirements).toBe(valid);

    const syntax = next(watcher.events, 'config_error');
    await replaceFile(path, 'version: 1\ntasks: [\n');
    expect(await syntax).toMatchObject({ kind: 'syntax' });
    expect(watcher.requirements).toBe(valid);

    // Fixed again: the change is measured against the version in effect.
    const changed = next(watcher.events, 'config_changed');
    await writeFile(path, VERSION_2);
    const event = await changed;
    expect(event.previous).toBe(valid);
    expect(event.changedTasks).toEqual(['triage', 'search']);
  });

  test('follows editors that save by renaming another file over this one', async () => {
    watcher = await watchRequirements(path, { debounceMs: 20 });
    const changed = next(watcher.events, 'config_changed');
    const temporary = join(folder, '.requirements.yaml.swp');
    await writeFile(temporary, VERSION_2);
    await rename(temporary, path);
    expect((await changed).changedTasks).toEqual(['triage', 'search']);

    // The renamed file is watched as well: the watch is on the folder, not on the old file.
    const again = next(watcher.events, 'config_changed');
    await writeFile(temporary, VERSION_1);
    await rename(temporary, path);
    expect((await again).changedTasks).toEqual(['triage', 'search']);
  });

  test('a removed file emits config_error; written again, it is read again', async () => {
    watcher = await watchRequirements(path, { debounceMs: 20 });
    const failed = next(watcher.events, 'config_error');
    await rm(path);
    expect(await failed).toMatchObject({ kind: 'unreadable' });
    const changed = next(watcher.events, 'config_changed');
    await writeFile(path, VERSION_2);
    expect((await changed).changedTasks).toEqual(['triage', 'search']);
  });

  test('a rewrite that changes no task (reordered keys, comments) emits nothing', async () => {
    watcher = await watchRequirements(path, { debounceMs: 20 });
    const events: string[] = [];
    watcher.events.on('config_changed', ({ changedTasks }) => events.push(...changedTasks));
    await writeFile(
      path,
      '# reordered\nversion: 1\ntasks:\n  triage:\n    limits: { maxSizeBytes: 500 MB }\n    task: text-classification\n  chat: { task: text-generation }\n',
    );
    await watcher.reload();
    expect(events).toEqual([]);
    // A real change afterwards reports only itself.
    const changed = next(watcher.events, 'config_changed');
    await writeFile(
      path,
      VERSION_1.replace('chat:\n    task: text-generation', 'chat:\n    task: summarization'),
    );
    expect((await changed).changedTasks).toEqual(['chat']);
  });

  test('reload reads at once, without waiting for a change to be reported', async () => {
    watcher = await watchRequirements(path, { debounceMs: 60_000 });
    const changed = next(watcher.events, 'config_changed');
    await writeFile(path, VERSION_2);
    const requirements = await watcher.reload();
    expect(Object.keys(requirements.tasks)).toEqual(['triage', 'chat', 'search']);
    expect((await changed).requirements).toBe(requirements);
  });

  test('close stops reading and emitting; the signal closes too', async () => {
    watcher = await watchRequirements(path, { debounceMs: 20 });
    const before = watcher.requirements;
    await watcher.close();
    expect(watcher.closed).toBe(true);
    await writeFile(path, VERSION_2);
    expect(await watcher.reload()).toBe(before);

    const controller = new AbortController();
    const other = await watchRequirements(path, { signal: controller.signal });
    controller.abort();
    expect(other.closed).toBe(true);
  });

  test('an invalid or missing file at the start rejects with ConfigurationError', async () => {
    await writeFile(path, 'version: 1\ntasks: {}\n');
    await expect(watchRequirements(path)).rejects.toMatchObject({
      name: 'ConfigurationError',
      kind: 'out-of-range',
    });
    await expect(watchRequirements(join(folder, 'missing', 'requirements.yaml'))).rejects.toMatchObject({
      name: 'ConfigurationError',
      kind: 'unreadable',
    });
  });

  test('options are checked; the defaults are one frozen object', async () => {
    expect(Object.isFrozen(REQUIREMENTS_WATCH_DEFAULTS)).toBe(true);
    expect(REQUIREMENTS_WATCH_DEFAULTS).toEqual({ debounceMs: 100, persistent: false });
    await expect(watchRequirements(path, { debounceMs: -1 })).rejects.toThrow(InvalidArgumentError);
    await expect(watchRequirements(path, { clock: { now: () => 0 } as never })).rejects.toThrow(
      InvalidArgumentError,
    );
    await expect(watchRequirements('')).rejects.toThrow(InvalidArgumentError);
  });
});
