// createScout({ path }): the embedded persistent store, what it keeps across restarts and closes.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { manualClock } from './clock/manual-clock.js';
import { InvalidArgumentError } from './errors/invalid-argument-error.js';
import { StoreError } from './errors/store-error.js';
import { createScout, type Scout, type ScoutOptions } from './scout.js';
import { memoryStore } from './store/memory-store.js';
import { faultyStore } from './testing/faulty-store.js';

let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'modelscout-scout-path-'));
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

test('what a scout learns with a path survives a restart, and close() closes the store it opened', async () => {
  const path = join(directory, 'restart.sqlite');
  const first = createScout({ path, seed: 1, models: ['a', 'b'] });
  expect(first.store.name).toBe('sqlite');
  for (let index = 0; index < 5; index++) {
    await first.recordOutcome({ modelId: 'a', success: index < 4, latencyMs: 100 + index });
  }
  await first.recordOutcome({ modelId: 'b', success: false });
  await first.close();
  await expect(first.store.readCounters(['x'])).rejects.toSatisfy(StoreError.isInstance);

  const second = createScout({ path, seed: 2 });
  const selected = await second.selectOptimal({ candidates: ['a', 'b'], objective: { quality: 1 } });
  const byId = new Map(selected.estimates.map((estimate) => [estimate.id, estimate]));
  expect(byId.get('a')!.pulls).toBe(5);
  expect(byId.get('b')!.pulls).toBe(1);
  expect(byId.get('a')!.latencyMs.mean).toBeCloseTo(102, 9);
  await second.close();
});

test('a store given by the host is left open by close()', async () => {
  const store = memoryStore();
  const scout = createScout({ store, models: ['a'] });
  await scout.recordOutcome({ modelId: 'a', success: true });
  await scout.close();
  await expect(store.readCounters(['x'])).resolves.toEqual([undefined]);
});

test('path and store together, or an empty path, are refused', () => {
  expect(() => createScout({ path: join(directory, 'x.sqlite'), store: memoryStore() })).toThrow(
    expect.toSatisfy(InvalidArgumentError.isInstance),
  );
  expect(() => createScout({ path: '' })).toThrow(expect.toSatisfy(InvalidArgumentError.isInstance));
});

test('options refused after the path was read leave no database open', () => {
  const path = join(directory, 'refused.sqlite');
  const refused: ScoutOptions[] = [
    { path, namespace: '' },
    { path, backoffStrength: -1 },
    { path, history: { bucketMs: -1 } },
    { path, discovery: null as never },
    { path, lifecycle: { store: memoryStore() } as never },
  ];
  for (const options of refused) {
    expect(() => createScout(options)).toThrow(expect.toSatisfy(InvalidArgumentError.isInstance));
    // SQLite keeps the write-ahead log while a connection is open, and removes it on the last close.
    expect(existsSync(`${path}-wal`)).toBe(false);
  }
});

test('close() stops the upkeep before it writes what is queued, so what a job records while stopping is kept', async () => {
  const path = join(directory, 'upkeep.sqlite');
  const clock = manualClock(Date.UTC(2026, 0, 15));
  const scout: Scout = createScout({
    path,
    clock,
    models: ['a'],
    history: { outcomeLog: true },
    lifecycle: {
      upkeep: {
        // A job that records what it measured when it is stopped.
        checkPerformance: async (signal) => {
          await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
          await scout.recordOutcome({ modelId: 'a', success: true, latencyMs: 12 });
        },
      },
    },
  });
  const run = scout.lifecycle.scheduler.runNow('performance').catch(() => undefined);
  await scout.close();
  await run;

  const reopened = createScout({ path, clock });
  const outcomes = await reopened.history.outcomes();
  expect(outcomes.map((outcome) => outcome.modelId)).toEqual(['a']);
  expect((await reopened.history.performance('a')).count).toBe(1);
  await reopened.close();
});

test('close() may be called twice, or while another close is going', async () => {
  const scout = createScout({ path: join(directory, 'twice.sqlite'), models: ['a'] });
  await scout.recordOutcome({ modelId: 'a', success: true });
  void scout.lifecycle; // created, so that close() closes it too
  await Promise.all([scout.close(), scout.close()]);
  await expect(scout.close()).resolves.toBeUndefined();
});

test('close() rejects with a StoreError while increments cannot be written, and writes them when called again', async () => {
  const inner = memoryStore();
  const store = faultyStore(inner);
  const scout = createScout({ store, models: ['a'] });
  await scout.recordOutcome({ modelId: 'a', success: true });
  store.failing = true;
  await scout.recordOutcome({ modelId: 'a', success: false }); // kept queued
  await expect(scout.close()).rejects.toSatisfy(StoreError.isInstance);
  store.failing = false;
  await expect(scout.close()).resolves.toBeUndefined();
  const reader = createScout({ store: inner });
  const selected = await reader.selectOptimal({ candidates: ['a'], objective: { quality: 1 } });
  expect(selected.estimates[0]!.pulls).toBe(2);
});
