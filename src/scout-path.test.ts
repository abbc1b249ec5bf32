// createScout({ path }): the embedded persistent store, what it keeps across restarts and closes.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { InvalidArgumentError } from './errors/invalid-argument-error.js';
import { StoreError } from './errors/store-error.js';
import { createScout } from './scout.js';
import { memoryStore } from './store/memory-store.js';

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
