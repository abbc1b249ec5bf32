// How the learning engine behaves when its store fails or is slow: nothing learned is lost or
// counted twice, calls that promise to resolve do, and the selector recovers.
import { describe, expect, test } from 'vitest';
import { manualClock } from '../clock/manual-clock.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { StoreError } from '../errors/store-error.js';
import { createScout } from '../scout.js';
import { memoryStore } from '../store/memory-store.js';
import type { Store } from '../store/spec.js';
import { faultyStore } from '../testing/faulty-store.js';
import { createSelector } from './create-selector.js';

/**
 * A store whose increments wait at a gate (deterministic interleavings, no sleeps): `release()`
 * lets the waiting ones through; `nextArrival()` resolves when the next one reaches the gate.
 */
function gatedStore(
  inner: Store,
): Store & { release(): void; nextArrival(): Promise<void>; readonly waiting: number } {
  let waiting: Array<() => void> = [];
  let arrival: (() => void) | undefined;
  return {
    ...inner,
    name: 'gated',
    get waiting() {
      return waiting.length;
    },
    release() {
      const released = waiting;
      waiting = [];
      for (const release of released) release();
    },
    nextArrival: () =>
      new Promise<void>((resolve) => {
        arrival = resolve;
      }),
    increment: (increments) =>
      new Promise<void>((resolve, reject) => {
        waiting.push(() => inner.increment(increments).then(resolve, reject));
        arrival?.();
        arrival = undefined;
      }),
    scanCounters: (prefix) => inner.scanCounters(prefix),
  };
}

describe('store failures', () => {
  test('a store that fails during the first load: calls reject with a StoreError, and work once it returns', async () => {
    const store = faultyStore(memoryStore());
    store.failing = true;
    const selector = createSelector({ seed: 1, store });
    const error = await selector.select(['a', 'b']).catch((caught: unknown) => caught);
    expect(StoreError.isInstance(error)).toBe(true);
    store.failing = false;
    await expect(selector.select(['a', 'b'])).resolves.toMatch(/^[ab]$/);
    await expect(selector.update('a', 1)).resolves.toBeUndefined();
  });

  test('during a failing refresh, update and flush still resolve, and nothing is counted twice', async () => {
    const inner = memoryStore();
    const store = faultyStore(inner);
    const selector = createSelector({ seed: 1, store, arms: ['a'] });
    await selector.update('a', 1);
    store.failing = true;
    const refreshed = selector.refresh();
    // During the failing refresh: update() promises to resolve whatever the store does.
    const updated = selector.update('a', 1);
    const flushed = selector.flush();
    await expect(refreshed).rejects.toSatisfy(StoreError.isInstance);
    await expect(updated).resolves.toBeUndefined();
    await expect(flushed).resolves.toBeUndefined();
    store.failing = false;
    await selector.flush();
    const fresh = createSelector({ store: inner });
    expect((await fresh.estimates(['a']))[0]!.pulls).toBe(2);
  });

  test('a failed periodic refresh is retried after an interval, not on every call', async () => {
    const clock = manualClock(0);
    const store = faultyStore(memoryStore());
    const selector = createSelector({ seed: 1, store, clock, refreshIntervalMs: 1000, arms: ['a', 'b'] });
    await selector.select(['a', 'b']);
    store.failing = true;
    const errors: number[] = [];
    selector.events.on('store_error', () => errors.push(clock.now()));
    clock.advance(1000);
    for (let index = 0; index < 10; index++) await selector.select(['a', 'b']);
    await selector.flush();
    expect(errors).toHaveLength(1);
  });

  test('a refresh during an in-flight write loses nothing from the local view', async () => {
    const inner = memoryStore();
    const store = gatedStore(inner);
    const selector = createSelector({ seed: 1, store, arms: ['a'] });
    await selector.estimates(['a']); // the first load, so that updates write at once
    const first = selector.update('a', 1); // its batch waits at the gate
    const second = selector.update('a', 1); // queued behind it
    const refreshed = selector.refresh(); // starts while the first batch is in flight
    expect(store.waiting).toBe(1);
    const arrived = store.nextArrival();
    store.release(); // the first batch is written; the second must not start while the refresh scans
    await arrived;
    store.release();
    await Promise.all([first, second, refreshed]);
    expect((await selector.estimates(['a']))[0]!.pulls).toBe(2);
    const fresh = createSelector({ store: inner });
    expect((await fresh.estimates(['a']))[0]!.pulls).toBe(2);
  });
});

describe('writes whose fate is unknown', () => {
  /**
   * A store that applies a call and then reports a failure (a connection dropped after the write
   * was sent), once, and that applies each batchId at most once, as a network store does.
   */
  function inDoubtStore(inner: Store): Store & { calls: Array<{ batchId?: string; size: number }> } {
    const applied = new Set<string>();
    let failNext = true;
    const calls: Array<{ batchId?: string; size: number }> = [];
    return {
      ...inner,
      name: 'in-doubt',
      calls,
      scanCounters: (prefix) => inner.scanCounters(prefix),
      async increment(increments, options) {
        const batchId = options?.batchId;
        calls.push({ ...(batchId === undefined ? {} : { batchId }), size: increments.length });
        if (batchId === undefined || !applied.has(batchId)) {
          await inner.increment(increments);
          if (batchId !== undefined) applied.add(batchId);
        }
        if (failNext) {
          failNext = false;
          throw new StoreError({ store: 'in-doubt', message: 'connection lost', isRetryable: true });
        }
      },
    };
  }

  test('a batch applied before its failure was reported is retried with the same id and counted once', async () => {
    const inner = memoryStore();
    const store = inDoubtStore(inner);
    const selector = createSelector({ seed: 1, store, arms: ['a'] });
    await selector.estimates(['a']);
    await selector.update('a', 1); // applied, then reported as failed
    await selector.update('a', 0); // waits behind the retried batch
    await selector.flush();
    const [first, retry, next] = store.calls;
    expect(first!.batchId).toBeDefined();
    expect(retry).toEqual(first); // the same id and the same increments
    expect(next!.batchId).not.toBe(first!.batchId);
    const fresh = createSelector({ store: inner });
    const [estimate] = await fresh.estimates(['a']);
    expect(estimate!.pulls).toBe(2);
    expect(estimate!.mean).toBeCloseTo(0.5, 12);
  });

  test('a refresh retries the unconfirmed batch before it scans, so the local view counts it once', async () => {
    const inner = memoryStore();
    const store = inDoubtStore(inner);
    const selector = createSelector({ seed: 1, store, arms: ['a'] });
    await selector.estimates(['a']);
    await selector.update('a', 1);
    await selector.refresh();
    expect((await selector.estimates(['a']))[0]!.pulls).toBe(1);
    expect(store.calls.map((call) => call.batchId)).toEqual([
      store.calls[0]!.batchId,
      store.calls[0]!.batchId,
    ]);
  });
});

describe('batching', () => {
  test('outcomes that arrive while a write is in flight go in the next batch, one increment per key', async () => {
    const inner = memoryStore();
    const store = gatedStore(inner);
    const batches: Array<readonly { key: string; deltas: Readonly<Record<string, number>> }[]> = [];
    const recording: Store = {
      ...store,
      scanCounters: (prefix) => store.scanCounters(prefix),
      increment: (increments, options) => {
        batches.push(increments);
        return store.increment(increments, options);
      },
    };
    const selector = createSelector({ seed: 1, store: recording, arms: ['a', 'b'] });
    await selector.estimates(['a']);
    const first = selector.update('a', 1); // in flight at the gate
    const arrived = store.nextArrival();
    const queued = [
      selector.update('a', 1),
      selector.update('a', 0),
      selector.update('b', 1),
      selector.update('a', 0.5),
    ];
    store.release();
    await arrived;
    store.release();
    await Promise.all([first, ...queued]);
    expect(batches).toHaveLength(2);
    const second = batches[1]!;
    expect(second).toHaveLength(2); // a and b, once each
    const a = second.find((increment) => increment.key.endsWith(':a'))!;
    expect(a.deltas['reward.count']).toBe(3);
    expect(a.deltas['reward.sum']).toBe(1.5);
    expect(a.deltas['reward.sumOfSquares']).toBe(1.25);
    const fresh = createSelector({ store: inner });
    const estimates = await fresh.estimates(['a', 'b']);
    expect(estimates.map((estimate) => estimate.pulls)).toEqual([4, 1]);
  });
});

describe('clocks that disagree', () => {
  test('outcomes from a process whose clock is ahead, across an epoch boundary, still count', async () => {
    const store = memoryStore();
    const halfLifeMs = 10; // an epoch spans 640 ms
    const behind = manualClock(635);
    const ahead = manualClock(641);
    const reader = createSelector({ seed: 1, store, clock: behind, halfLifeMs, arms: ['a'] });
    const writer = createSelector({ seed: 1, store, clock: ahead, halfLifeMs, arms: ['a'] });
    await writer.update('a', 1);
    await reader.refresh();
    // Observed 6 ms in the reader's future: weight 2^(6/10).
    expect((await reader.estimates(['a']))[0]!.pulls).toBeCloseTo(2 ** 0.6, 9);
  });
});

test('bad input is reported as such even while the store is away', async () => {
  const store = faultyStore(memoryStore());
  store.failing = true;
  const scout = createScout({ seed: 1, store });
  const selectError = await scout.selectOptimal({ candidates: [] }).catch((caught: unknown) => caught);
  expect(InvalidArgumentError.isInstance(selectError)).toBe(true);
  const outcomeError = await scout
    .recordOutcome({ modelId: 'a', quality: 2 })
    .catch((caught: unknown) => caught);
  expect(InvalidArgumentError.isInstance(outcomeError)).toBe(true);
  const selector = createSelector({ seed: 1, store });
  const updateError = await selector.update('a', Number.NaN).catch((caught: unknown) => caught);
  expect(InvalidArgumentError.isInstance(updateError)).toBe(true);
});
