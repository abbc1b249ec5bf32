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

/**
 * A store whose increments are held at a gate while `hold` is true (`release()` lets the held
 * ones through, `nextArrival()` resolves when the next one is held), and whose increments or
 * scans fail while `failIncrements` or `failScans` is true (checked when a call goes through).
 */
interface ControlledStore extends Store {
  hold: boolean;
  failIncrements: boolean;
  failScans: boolean;
  readonly held: number;
  release(): void;
  nextArrival(): Promise<void>;
}

function controlledStore(inner: Store): ControlledStore {
  let held: Array<() => void> = [];
  let arrival: (() => void) | undefined;
  const outage = (operation: string) =>
    new StoreError({ store: 'controlled', message: `${operation} failed (simulated)`, isRetryable: true });
  const store: ControlledStore = {
    ...inner,
    name: 'controlled',
    hold: false,
    failIncrements: false,
    failScans: false,
    get held(): number {
      return held.length;
    },
    release(): void {
      const released = held;
      held = [];
      for (const release of released) release();
    },
    nextArrival: () =>
      new Promise<void>((resolve) => {
        arrival = resolve;
      }),
    increment(increments, options) {
      const run = (): Promise<void> =>
        store.failIncrements ? Promise.reject(outage('increment')) : inner.increment(increments, options);
      if (!store.hold) return run();
      return new Promise<void>((resolve, reject) => {
        held.push(() => {
          run().then(resolve, reject);
        });
        arrival?.();
        arrival = undefined;
      });
    },
    async *scanCounters(prefix) {
      if (store.failScans) throw outage('scanCounters');
      yield* inner.scanCounters(prefix);
    },
  };
  return store;
}

/** Reward pulls of `arm` as a new selector reading `store` sees them. */
async function storedPulls(store: Store, arm = 'a'): Promise<number> {
  const [estimate] = await createSelector({ store }).estimates([arm]);
  return estimate!.pulls;
}

describe('writes and refreshes', () => {
  test('an outcome recorded while a refresh writes its last batch resolves only once it is written', async () => {
    const inner = memoryStore();
    const store = controlledStore(inner);
    const selector = createSelector({ seed: 1, store, arms: ['a'] });
    await selector.estimates(['a']);
    store.hold = true;
    const arrived = store.nextArrival();
    const refreshed = selector.refresh();
    const first = selector.update('a', 1); // during the scan: written at the end of the refresh
    await arrived; // the refresh's batch is held
    const second = selector.update('a', 1); // while that batch is in flight
    store.release();
    await Promise.all([first, refreshed]);
    // The second outcome's batch starts once the refresh is over: it is held, so it has not resolved.
    expect(store.held).toBe(1);
    store.release();
    await second;
    expect(await storedPulls(inner)).toBe(2);
  });

  test('a caller waiting behind a write when a refresh fails is written, not left waiting', async () => {
    const inner = memoryStore();
    const store = controlledStore(inner);
    const selector = createSelector({ seed: 1, store, arms: ['a'] });
    await selector.estimates(['a']);
    store.hold = true;
    const first = selector.update('a', 1); // held
    const second = selector.update('a', 1); // waits behind it
    store.failScans = true;
    const refreshed = selector.refresh(); // waits for the first batch, then fails to scan
    store.release();
    await expect(refreshed).rejects.toSatisfy(StoreError.isInstance);
    await first;
    // The second outcome is written once the refresh has failed (held here), not left waiting.
    expect(store.held).toBe(1);
    store.release();
    await second;
    expect(await storedPulls(inner)).toBe(2);
  });

  test('outcomes waiting behind a retried batch resolve only once they are written, even during a refresh', async () => {
    const inner = memoryStore();
    const store = controlledStore(inner);
    const selector = createSelector({ seed: 1, store, arms: ['a'] });
    await selector.estimates(['a']);
    store.failIncrements = true;
    await selector.update('a', 1); // failed: retried first by the next write
    store.failIncrements = false;
    store.hold = true;
    const retried = store.nextArrival();
    const waiting = selector.update('a', 1); // its write retries the failed batch first
    await retried;
    const refreshed = selector.refresh(); // waits for the retry
    let resolved = false;
    void waiting.then(() => {
      resolved = true;
    });
    const next = store.nextArrival();
    store.release(); // the retry is written; the refresh scans, then writes `waiting`'s outcome
    await next;
    expect(resolved).toBe(false); // its outcome is held at the gate
    store.release();
    await Promise.all([waiting, refreshed]);
    expect(await storedPulls(inner)).toBe(2);
  });

  test('a flush left waiting on a failed refresh never writes during the next refresh’s scan', async () => {
    const inner = memoryStore();
    const store = controlledStore(inner);
    const selector = createSelector({ seed: 1, store, arms: ['a'] });
    await selector.estimates(['a']);
    store.failScans = true;
    const failing = selector.refresh();
    // Runs before the update's own continuation: a second refresh starts as the first fails.
    let second: Promise<void> | undefined;
    const restarted = failing.catch(() => {
      store.failScans = false;
      store.hold = true;
      second = selector.refresh();
    });
    const updated = selector.update('a', 1);
    await restarted;
    store.hold = false;
    store.release(); // a write started during the second refresh's scan, if any
    await Promise.all([updated, second]);
    expect(await storedPulls(inner)).toBe(1);
    expect((await selector.estimates(['a']))[0]!.pulls).toBe(1); // the local view kept it
  });

  test('a refresh whose retry of an unconfirmed batch fails again rejects and leaves the local view as it was', async () => {
    // Every write is applied and then reported as failed (the connection drops after each
    // send); batch ids are applied at most once, as a network store does.
    const inner = memoryStore();
    const applied = new Set<string>();
    let inDoubt = true;
    const store: Store = {
      ...inner,
      name: 'in-doubt',
      scanCounters: (prefix) => inner.scanCounters(prefix),
      async increment(increments, options) {
        const batchId = options?.batchId;
        if (batchId === undefined || !applied.has(batchId)) {
          await inner.increment(increments);
          if (batchId !== undefined) applied.add(batchId);
        }
        if (inDoubt)
          throw new StoreError({ store: 'in-doubt', message: 'connection lost', isRetryable: true });
      },
    };
    const selector = createSelector({ seed: 1, store, arms: ['a'] });
    await selector.estimates(['a']);
    await selector.update('a', 1); // applied, reported as failed
    await expect(selector.refresh()).rejects.toSatisfy(StoreError.isInstance);
    expect((await selector.estimates(['a']))[0]!.pulls).toBe(1);
    inDoubt = false;
    await selector.refresh();
    expect((await selector.estimates(['a']))[0]!.pulls).toBe(1);
    expect(await storedPulls(inner)).toBe(1);
  });

  test('store_error events of a failing refresh count the batch still unconfirmed', async () => {
    const store = faultyStore(memoryStore());
    const selector = createSelector({ seed: 1, store, arms: ['a'] });
    await selector.estimates(['a']);
    const pending: number[] = [];
    selector.events.on('store_error', ({ pendingIncrements }) => pending.push(pendingIncrements));
    store.failing = true;
    await selector.update('a', 1);
    await selector.refresh().catch(() => undefined);
    expect(pending.length).toBeGreaterThan(1);
    expect(pending.every((count) => count === 1)).toBe(true);
  });

  test('a store whose increment throws synchronously: the outcome resolves and stays queued', async () => {
    const inner = memoryStore();
    let throwing = true;
    const store: Store = {
      ...inner,
      scanCounters: (prefix) => inner.scanCounters(prefix),
      increment(increments, options) {
        if (throwing) throw new Error('not connected');
        return inner.increment(increments, options);
      },
    };
    const selector = createSelector({ seed: 1, store, arms: ['a'] });
    const errors: StoreError[] = [];
    selector.events.on('store_error', ({ error }) => errors.push(error));
    await selector.estimates(['a']);
    await expect(selector.update('a', 1)).resolves.toBeUndefined();
    expect(errors).toHaveLength(1);
    expect(StoreError.isInstance(errors[0])).toBe(true);
    throwing = false;
    await selector.flush();
    expect(await storedPulls(inner)).toBe(1);
  });
});

/** How `promise` stands after one turn of the event loop (the stores here never wait for I/O). */
async function stateAfterOneTurn(promise: Promise<unknown>): Promise<'resolved' | 'rejected' | 'pending'> {
  const turn = new Promise<'pending'>((resolve) => setImmediate(() => resolve('pending')));
  return Promise.race([
    promise.then(
      () => 'resolved' as const,
      () => 'rejected' as const,
    ),
    turn,
  ]);
}

test('store_error and store_recovered listeners that throw leave no caller waiting', async () => {
  const inner = memoryStore();
  const store = faultyStore(inner);
  const selector = createSelector({ seed: 1, store, arms: ['a'] });
  await selector.estimates(['a']);
  selector.events.on('store_error', () => {
    throw new Error('a listener failed');
  });
  selector.events.on('store_recovered', () => {
    throw new Error('a listener failed');
  });
  store.failing = true;
  expect(await stateAfterOneTurn(selector.update('a', 1))).toBe('resolved');
  await expect(selector.refresh()).rejects.toSatisfy(StoreError.isInstance);
  store.failing = false;
  expect(await stateAfterOneTurn(selector.update('a', 1))).toBe('resolved');
  await expect(selector.refresh()).resolves.toBeUndefined();
  expect(await storedPulls(inner)).toBe(2);
});

test('merging a batch never changes the increments of other partitions that share an outcome’s deltas', async () => {
  const inner = memoryStore();
  const store = controlledStore(inner);
  const selector = createSelector({ seed: 1, store, arms: ['a'] });
  const context = { tier: 'free', region: 'eu' };
  await selector.estimates(['a'], { context });
  store.hold = true;
  const arrived = store.nextArrival();
  const first = selector.update('a', 1, { context }); // held
  await arrived;
  // Queued behind it: each outcome's one deltas object is shared by its four partitions.
  const queued = [0, 1, 0.5].map((reward) => selector.update('a', reward, { context }));
  const next = store.nextArrival();
  store.release();
  await next;
  store.release();
  await Promise.all([first, ...queued]);
  // Each partition's counter holds the four outcomes, once each (the queued three merged).
  const counters: Array<{ key: string; record: Readonly<Record<string, number>> }> = [];
  for await (const [key, record] of inner.scanCounters('modelscout:')) counters.push({ key, record });
  expect(counters).toHaveLength(4);
  for (const { record } of counters) {
    expect(record).toMatchObject({ 'reward.count': 4, 'reward.sum': 2.5, 'reward.sumOfSquares': 2.25 });
  }
});

test('an outcome whose statistics would overflow is refused, and never holds back later writes', async () => {
  const store = memoryStore();
  const scout = createScout({ seed: 1, store, models: ['a'] });
  const refused = await scout
    .recordOutcome({ modelId: 'a', latencyMs: 1e200 })
    .catch((caught: unknown) => caught);
  expect(InvalidArgumentError.isInstance(refused)).toBe(true);
  const selector = createSelector({ seed: 1, store, arms: ['a'] });
  const linearRefused = await selector.update('a', Number.MAX_VALUE).catch((caught: unknown) => caught);
  expect(InvalidArgumentError.isInstance(linearRefused)).toBe(true);
  await scout.recordOutcome({ modelId: 'a', success: true, latencyMs: 10 });
  await scout.flush();
  const fresh = createSelector({ store });
  expect((await fresh.estimates(['a']))[0]!.pulls).toBe(1);
});
