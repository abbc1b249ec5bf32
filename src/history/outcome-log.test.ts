import { EventEmitter } from 'eventemitter3';
import { afterAll, describe, expect, test } from 'vitest';
import { manualClock } from '../clock/manual-clock.js';
import type { HistoryErrorEvent, ScoutEvents } from '../events.js';
import { createScout } from '../scout.js';
import { memoryStore } from '../store/memory-store.js';
import type { JsonValue, Store } from '../store/spec.js';
import { faultyStore } from '../testing/faulty-store.js';
import { setUpHistory } from './history.js';
import type { OutcomeLogEntry } from './outcome-log.js';
import { storeKinds } from './testing/history-stores.js';

const T0 = Date.UTC(2026, 0, 5, 9);
const PREFIX = 'modelscout:default:outcomes:';

async function chunks(
  store: Store,
): Promise<[string, { from: number; to: number; entries: OutcomeLogEntry[] }][]> {
  const found: [string, { from: number; to: number; entries: OutcomeLogEntry[] }][] = [];
  for await (const [key, value] of store.scanDocuments(PREFIX)) {
    found.push([key, value as unknown as { from: number; to: number; entries: OutcomeLogEntry[] }]);
  }
  return found.sort(([left], [right]) => left.localeCompare(right));
}

const kinds = storeKinds();
afterAll(async () => {
  for (const kind of kinds) await kind.dispose();
});

describe.each(kinds)('outcome log ($name store)', (kind) => {
  test('entries are appended in chunks of outcomeLogChunkSize; flush writes the rest', async () => {
    const clock = manualClock(T0);
    const { store } = kind.open(clock);
    const scout = createScout({
      seed: 1,
      store,
      clock,
      models: ['a', 'b'],
      history: { outcomeLog: true, outcomeLogChunkSize: 3, outcomeLogFlushIntervalMs: 0 },
    });
    for (let index = 0; index < 7; index++) {
      await scout.recordOutcome({
        modelId: index % 2 === 0 ? 'a' : 'b',
        success: index !== 3,
        latencyMs: 10 * index,
        ...(index === 0 ? { context: { tier: 'free' }, costUsd: 0.5 } : {}),
      });
      clock.advance(1000);
    }
    // Chunk writes are not awaited by recordOutcome: let them land.
    await new Promise((resolve) => setImmediate(resolve));
    let written = await chunks(store);
    expect(written.map(([, chunk]) => chunk.entries.length)).toEqual([3, 3]);
    const [firstKey, first] = written[0]!;
    expect(firstKey).toMatch(new RegExp(`^${PREFIX}${String(T0 + 2000).padStart(15, '0')}-[0-9a-f]{8}$`));
    expect(first).toMatchObject({ from: T0, to: T0 + 2000 });
    expect(first.entries[0]).toEqual({
      at: T0,
      modelId: 'a',
      context: { tier: 'free' },
      reward: 1,
      latencyMs: 0,
      costUsd: 0.5,
    });

    await scout.flush();
    written = await chunks(store);
    expect(written.map(([, chunk]) => chunk.entries.length)).toEqual([3, 3, 1]);

    const newest = await scout.history.outcomes({ since: T0 });
    expect(newest.map((entry) => entry.at - T0)).toEqual([6000, 5000, 4000, 3000, 2000, 1000, 0]);
    expect(newest[3]).toEqual({ at: T0 + 3000, modelId: 'b', reward: 0, latencyMs: 30 });
    const ofB = await scout.history.outcomes({ since: T0, modelId: 'b', limit: 2 });
    expect(ofB.map((entry) => [entry.modelId, entry.at - T0])).toEqual([
      ['b', 5000],
      ['b', 3000],
    ]);
    const windowed = await scout.history.outcomes({ since: T0 + 2000, until: T0 + 4000 });
    expect(windowed.map((entry) => entry.at - T0)).toEqual([4000, 3000, 2000]);
  });

  test('reading flushes this process: what it just recorded is included; another process sees it too', async () => {
    const clock = manualClock(T0);
    const opened = kind.open(clock);
    const writer = createScout({
      seed: 1,
      store: opened.store,
      clock,
      models: ['a'],
      history: { outcomeLog: true },
    });
    const reader = createScout({ seed: 2, store: opened.reopen(), clock });
    await writer.recordOutcome({ modelId: 'a', success: true });
    expect(await reader.history.outcomes()).toEqual([]);
    expect(await writer.history.outcomes()).toEqual([{ at: T0, modelId: 'a', reward: 1 }]);
    expect(await reader.history.outcomes()).toEqual([{ at: T0, modelId: 'a', reward: 1 }]);
  });

  test('entries of the same time come newest first across chunks, in the reverse of the order recorded', async () => {
    const clock = manualClock(T0);
    const { store } = kind.open(clock);
    const scout = createScout({
      seed: 1,
      store,
      clock,
      models: ['a'],
      history: { outcomeLog: true, outcomeLogChunkSize: 2, outcomeLogFlushIntervalMs: 0 },
    });
    // The clock does not move: twelve entries of one millisecond, in six chunks of one time stamp.
    for (let index = 0; index < 12; index++) await scout.recordOutcome({ modelId: 'a', latencyMs: index });
    const entries = await scout.history.outcomes();
    expect(entries.map((entry) => entry.latencyMs)).toEqual([11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    expect((await scout.history.outcomes({ limit: 3 })).map((entry) => entry.latencyMs)).toEqual([11, 10, 9]);
  });
});

describe('outcome log', () => {
  test('a chunk whose failed write was applied anyway is replaced by its retry, not written twice', async () => {
    const clock = manualClock(T0);
    const inner = memoryStore({ clock });
    // A store whose connection drops after the write was sent: the document is there, the call rejects.
    let dropAfterWrite = 1;
    const store: Store = {
      ...inner,
      name: 'dropping',
      async setDocument(key, value, options) {
        await inner.setDocument(key, value, options);
        if (dropAfterWrite-- > 0) throw new Error('connection reset after the write was sent');
      },
    };
    const scout = createScout({ seed: 1, store, clock, models: ['a'], history: { outcomeLog: true } });
    const errors: HistoryErrorEvent[] = [];
    scout.events.on('history_error', (event) => errors.push(event));
    await scout.recordOutcome({ modelId: 'a', latencyMs: 1 });
    await scout.recordOutcome({ modelId: 'a', latencyMs: 2 });
    await scout.flush();
    expect(errors).toHaveLength(1);
    await scout.flush();
    expect(await chunks(inner)).toHaveLength(1);
    expect((await scout.history.outcomes()).map((entry) => entry.latencyMs)).toEqual([2, 1]);
  });

  test('off by default: no document is written', async () => {
    const clock = manualClock(T0);
    const store = memoryStore({ clock });
    const scout = createScout({ seed: 1, store, clock, models: ['a'] });
    await scout.recordOutcome({ modelId: 'a', success: true });
    await scout.flush();
    expect(await chunks(store)).toEqual([]);
    expect(await scout.history.outcomes()).toEqual([]);
  });

  test('a chunk is written once its oldest entry has waited outcomeLogFlushIntervalMs (manual clock)', async () => {
    const clock = manualClock(T0);
    const store = memoryStore({ clock });
    const scout = createScout({
      seed: 1,
      store,
      clock,
      models: ['a'],
      history: { outcomeLog: true, outcomeLogFlushIntervalMs: 10_000 },
    });
    await scout.recordOutcome({ modelId: 'a', success: true });
    await clock.advanceAsync(5000);
    await scout.recordOutcome({ modelId: 'a', success: false });
    await clock.advanceAsync(4999);
    expect(await chunks(store)).toHaveLength(0);
    await clock.advanceAsync(1);
    const written = await chunks(store);
    expect(written.map(([, chunk]) => chunk.entries.map((entry) => entry.at - T0))).toEqual([[0, 5000]]);
    expect(clock.pendingTimers()).toBe(0);
    // The next entry arms a new timer.
    await scout.recordOutcome({ modelId: 'a', success: true });
    expect(clock.pendingTimers()).toBe(1);
    await clock.advanceAsync(10_000);
    expect(await chunks(store)).toHaveLength(2);
  });

  test('a clock without timers: chunks are written only when full and on flush', async () => {
    let time = T0;
    const clock = { now: () => time };
    const store = memoryStore({ clock });
    const scout = createScout({ seed: 1, store, clock, models: ['a'], history: { outcomeLog: true } });
    await scout.recordOutcome({ modelId: 'a', success: true });
    time += 3_600_000;
    expect(await chunks(store)).toHaveLength(0);
    await scout.flush();
    expect(await chunks(store)).toHaveLength(1);
  });

  test('chunks expire after retentionMs (the store measures it on its clock)', async () => {
    const clock = manualClock(T0);
    const store = memoryStore({ clock });
    const scout = createScout({
      seed: 1,
      store,
      clock,
      models: ['a'],
      history: { outcomeLog: true, retentionMs: 60_000 },
    });
    await scout.recordOutcome({ modelId: 'a', success: true });
    await scout.flush();
    clock.advance(59_999);
    expect(await chunks(store)).toHaveLength(1);
    clock.advance(1);
    expect(await chunks(store)).toHaveLength(0);
  });

  test('errors are kept as redacted, truncated messages', async () => {
    const clock = manualClock(T0);
    const scout = createScout({ seed: 1, clock, models: ['a'], history: { outcomeLog: true } });
    await scout.recordOutcome({ modelId: 'a', error: new Error('401 for token hf_abcdefghijklmnop') });
    await scout.recordOutcome({ modelId: 'a', error: 'x'.repeat(2000) });
    const [long, secret] = await scout.history.outcomes();
    expect(secret!.error).toBe('401 for token [redacted]');
    expect(secret!.reward).toBe(0);
    expect(long!.error).toHaveLength(500);
    expect(long!.error!.endsWith('…')).toBe(true);
  });

  test('a chunk that fails is kept and written after the store returns; history_error says so', async () => {
    const clock = manualClock(T0);
    const shared = memoryStore({ clock });
    const store = faultyStore(shared);
    const scout = createScout({
      seed: 1,
      store,
      clock,
      models: ['a'],
      history: { outcomeLog: true, outcomeLogChunkSize: 2, outcomeLogFlushIntervalMs: 0 },
    });
    const errors: HistoryErrorEvent[] = [];
    scout.events.on('history_error', (event) => errors.push(event));
    await scout.selectOptimal({ candidates: ['a'] }); // loaded before the outage
    store.failing = true;
    for (let index = 0; index < 5; index++) await scout.recordOutcome({ modelId: 'a', latencyMs: index });
    await scout.flush();
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.at(-1)).toMatchObject({ record: 'outcomes', bufferedOutcomes: 5, droppedOutcomes: 0 });
    expect(errors.at(-1)!.error.isRetryable).toBe(true);
    store.failing = false;
    await scout.flush();
    const entries = (await chunks(shared)).flatMap(([, chunk]) => chunk.entries);
    expect(entries.map((entry) => entry.latencyMs).sort()).toEqual([0, 1, 2, 3, 4]);
  });

  test('while the store stays away, at most 16 chunks are kept: the oldest entries are dropped', async () => {
    const clock = manualClock(T0);
    const store = faultyStore(memoryStore({ clock }));
    const scout = createScout({
      seed: 1,
      store,
      clock,
      models: ['a'],
      history: { outcomeLog: true, outcomeLogChunkSize: 1, outcomeLogFlushIntervalMs: 0 },
    });
    const dropped: number[] = [];
    scout.events.on('history_error', (event) => dropped.push(event.droppedOutcomes));
    await scout.selectOptimal({ candidates: ['a'] }); // loaded before the outage
    store.failing = true;
    for (let index = 0; index < 20; index++) {
      await scout.recordOutcome({ modelId: 'a', latencyMs: index });
      await scout.flush();
    }
    expect(dropped.reduce((sum, count) => sum + count, 0)).toBe(4);
    store.failing = false;
    const entries = await scout.history.outcomes({ since: T0 });
    expect(entries.map((entry) => entry.latencyMs).sort((left, right) => left! - right!)).toEqual(
      Array.from({ length: 16 }, (_, index) => index + 4),
    );
  });

  test('close flushes, then leaves no timer retrying against the store, and records no more models', async () => {
    const clock = manualClock(T0);
    const store = faultyStore(memoryStore({ clock }));
    const events = new EventEmitter<ScoutEvents>();
    const setup = setUpHistory(
      { outcomeLog: true, outcomeLogFlushIntervalMs: 60_000 },
      { store, namespace: 'default', clock, increments: { queue: () => undefined }, events },
    );
    const errors: HistoryErrorEvent[] = [];
    events.on('history_error', (event) => errors.push(event));
    setup.recordOutcome('a', 1, 10, undefined, undefined, undefined);
    store.failing = true; // the store is going away as the scout closes
    await setup.close();
    expect(errors).toHaveLength(1);
    expect(clock.pendingTimers()).toBe(0);
    await clock.advanceAsync(10 * 60_000);
    expect(errors).toHaveLength(1);
    expect(events.listenerCount('model_added')).toBe(0);
    expect(events.listenerCount('model_removed')).toBe(0);
    // A flush still writes what failed, once asked to.
    store.failing = false;
    await setup.flush();
    expect((await chunks(store)).flatMap(([, chunk]) => chunk.entries)).toEqual([
      { at: T0, modelId: 'a', reward: 1, latencyMs: 10 },
    ]);
  });

  test('malformed documents under the prefix are ignored', async () => {
    const clock = manualClock(T0);
    const store = memoryStore({ clock });
    await store.setDocument(`${PREFIX}000000000000001-deadbeef`, 'not a chunk' as JsonValue);
    await store.setDocument(`${PREFIX}000000000000002-deadbeef`, {
      from: T0,
      to: T0,
      entries: [{ at: T0, modelId: 'a' }, { nonsense: true }, 7],
    });
    const scout = createScout({ seed: 1, store, clock });
    expect(await scout.history.outcomes()).toEqual([{ at: T0, modelId: 'a' }]);
  });
});
