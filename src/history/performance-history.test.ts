import { afterAll, describe, expect, test } from 'vitest';
import { manualClock } from '../clock/manual-clock.js';
import type { StoreErrorEvent } from '../events.js';
import { seededRandom } from '../random/seeded-random.js';
import { createScout } from '../scout.js';
import { memoryStore } from '../store/memory-store.js';
import type { CounterRecord, Store } from '../store/spec.js';
import { faultyStore } from '../testing/faulty-store.js';
import { LATENCY_BIN_RATIO } from './latency-histogram.js';
import { storeKinds } from './testing/history-stores.js';

const HOUR = 3_600_000;
/** An hour boundary: bucket starts of the default width fall on it. */
const T0 = Date.UTC(2026, 0, 5, 9);

async function counters(store: Store, prefix: string): Promise<Map<string, CounterRecord>> {
  const found = new Map<string, CounterRecord>();
  for await (const [key, record] of store.scanCounters(prefix)) found.set(key, record);
  return found;
}

/** Log-normal latencies around `median` ms. */
function latencies(count: number, seed: number, median: number): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => {
    const normal = Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());
    return median * Math.exp(0.6 * normal);
  });
}

function exactQuantile(values: readonly number[], quantile: number): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.max(Math.ceil(quantile * sorted.length), 1) - 1]!;
}

const kinds = storeKinds();
afterAll(async () => {
  for (const kind of kinds) await kind.dispose();
});

describe.each(kinds)('performance time series ($name store)', (kind) => {
  test('one increment per outcome into the bucket holding its time; edges go to the later bucket', async () => {
    const clock = manualClock(T0 + HOUR - 1);
    const { store } = kind.open(clock);
    const scout = createScout({ seed: 1, store, clock, models: ['org/a'] });
    await scout.recordOutcome({ modelId: 'org/a', success: true, latencyMs: 120, costUsd: 0.002 });
    clock.advance(1);
    await scout.recordOutcome({ modelId: 'org/a', success: false, latencyMs: 80 });
    await scout.recordOutcome({ modelId: 'org/a', error: new Error('timeout') });

    const buckets = await counters(store, 'modelscout:default:performance:');
    const first = `modelscout:default:performance:org%2Fa:${String(T0).padStart(15, '0')}`;
    const second = `modelscout:default:performance:org%2Fa:${String(T0 + HOUR).padStart(15, '0')}`;
    expect([...buckets.keys()].sort()).toEqual([first, second]);
    expect(buckets.get(first)).toMatchObject({
      count: 1,
      'reward.count': 1,
      'reward.sum': 1,
      'latencyMs.count': 1,
      'latencyMs.sum': 120,
      'latencyMs.sumOfSquares': 14_400,
      'costUsd.count': 1,
      'costUsd.sum': 0.002,
    });
    expect(buckets.get(first)?.failures ?? 0).toBe(0);
    expect(buckets.get(second)).toMatchObject({ count: 2, failures: 2, 'reward.count': 2, 'reward.sum': 0 });
    // The statistics' prefix holds only the bandit statistics.
    for (const key of (await counters(store, 'modelscout:default:statistics:')).keys()) {
      expect(key).not.toContain(':performance:');
    }

    // A window counts the buckets it overlaps, whole.
    const { history } = scout;
    expect((await history.performance('org/a', { since: T0 + HOUR - 1, until: T0 + HOUR - 1 })).count).toBe(
      1,
    );
    expect((await history.performance('org/a', { since: T0 + HOUR, until: T0 + HOUR })).count).toBe(2);
    expect((await history.performance('org/a', { since: T0, until: T0 + 2 * HOUR })).count).toBe(3);
    expect((await history.performance('org/a', { since: T0 + 2 * HOUR, until: T0 + 3 * HOUR })).count).toBe(
      0,
    );
  });

  test('the summary: failures, success rate, mean quality, latency and cost over the window', async () => {
    const clock = manualClock(T0);
    const { store } = kind.open(clock);
    const scout = createScout({ seed: 1, store, clock, models: ['m'] });
    await scout.recordOutcome({ modelId: 'm', success: true, latencyMs: 100, costUsd: 0.01 });
    await scout.recordOutcome({ modelId: 'm', quality: 0.5 });
    await scout.recordOutcome({ modelId: 'm', error: 'boom' });
    await scout.recordOutcome({ modelId: 'm', success: false, costUsd: 0.03 });
    await scout.recordOutcome({ modelId: 'm', latencyMs: 50 });
    const summary = await scout.history.performance('m', { since: '1h' });
    expect(summary).toMatchObject({
      modelId: 'm',
      since: T0 - HOUR,
      until: T0,
      count: 5,
      failures: 2,
      // The latency-only outcome is no verdict: 2 of the 4 judged outcomes failed.
      successRate: 2 / 4,
      meanReward: 1.5 / 4,
      latencyCount: 2,
      meanLatencyMs: 75,
      meanCostUsd: 0.02,
    });
    expect(summary.totalCostUsd).toBeCloseTo(0.04, 12);
    const empty = await scout.history.performance('never-served');
    expect(empty).toMatchObject({
      count: 0,
      successRate: undefined,
      meanLatencyMs: undefined,
      p95LatencyMs: undefined,
    });
  });

  test('outcomes with only a latency or a cost do not count as successes', async () => {
    const clock = manualClock(T0);
    const { store } = kind.open(clock);
    const scout = createScout({ seed: 1, store, clock, models: ['m'] });
    // The host reports each request's latency at once, and its verdict later.
    for (let index = 0; index < 4; index++) await scout.recordOutcome({ modelId: 'm', latencyMs: 40 });
    for (let index = 0; index < 4; index++) await scout.recordOutcome({ modelId: 'm', success: index === 0 });
    await scout.recordOutcome({ modelId: 'm', costUsd: 0.01 });
    const summary = await scout.history.performance('m');
    expect(summary).toMatchObject({ count: 9, failures: 3, successRate: 1 / 4, meanReward: 1 / 4 });
    const onlyLatencies = createScout({ seed: 1, store, clock, models: ['fast'] });
    await onlyLatencies.recordOutcome({ modelId: 'fast', latencyMs: 10 });
    expect((await onlyLatencies.history.performance('fast')).successRate).toBeUndefined();
  });

  test('two processes sharing the store merge by addition; percentiles of the merged histogram', async () => {
    const clock = manualClock(T0 + 10 * 60_000);
    const opened = kind.open(clock);
    const first = createScout({ seed: 1, store: opened.store, clock, models: ['m'] });
    const second = createScout({ seed: 2, store: opened.reopen(), clock, models: ['m'] });
    const firstLatencies = latencies(600, 11, 80);
    const secondLatencies = latencies(400, 12, 200);
    // Interleaved, as two processes would write.
    for (let index = 0; index < 600; index++) {
      await first.recordOutcome({
        modelId: 'm',
        success: index % 10 !== 0,
        latencyMs: firstLatencies[index]!,
      });
      if (index < 400)
        await second.recordOutcome({ modelId: 'm', success: true, latencyMs: secondLatencies[index]! });
    }
    const all = [...firstLatencies, ...secondLatencies];
    for (const scout of [first, second]) {
      const summary = await scout.history.performance('m');
      expect(summary.count).toBe(1000);
      expect(summary.failures).toBe(60);
      expect(summary.latencyCount).toBe(1000);
      expect(summary.meanLatencyMs).toBeCloseTo(all.reduce((sum, value) => sum + value, 0) / 1000, 6);
      for (const [estimate, quantile] of [
        [summary.p50LatencyMs!, 0.5],
        [summary.p95LatencyMs!, 0.95],
        [summary.p99LatencyMs!, 0.99],
      ] as const) {
        const ratio = estimate / exactQuantile(all, quantile);
        expect(ratio, `p${quantile * 100}`).toBeGreaterThan(1 / LATENCY_BIN_RATIO);
        expect(ratio, `p${quantile * 100}`).toBeLessThan(LATENCY_BIN_RATIO);
      }
    }
    const [trend] = await second.history.latencyTrend('m');
    expect(trend).toMatchObject({ start: T0, count: 1000 });
  });
});

describe('performance time series: the write path', () => {
  test('increments made while the store fails are queued with the statistics and written later', async () => {
    const clock = manualClock(T0);
    const shared = memoryStore({ clock });
    const store = faultyStore(shared);
    const scout = createScout({ seed: 1, store, clock, models: ['m'] });
    const errors: StoreErrorEvent[] = [];
    scout.events.on('store_error', (event) => errors.push(event));
    await scout.recordOutcome({ modelId: 'm', success: true, latencyMs: 10 });
    store.failing = true;
    for (let index = 0; index < 25; index++) {
      await scout.recordOutcome({ modelId: 'm', success: index % 5 !== 0, latencyMs: 10 + index });
    }
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.at(-1)!.pendingIncrements).toBeGreaterThanOrEqual(25);
    store.failing = false;
    await scout.flush();
    const summary = await createScout({ store: shared, clock }).history.performance('m');
    expect(summary).toMatchObject({ count: 26, failures: 5, latencyCount: 26 });
    expect(summary.meanLatencyMs).toBeCloseTo((10 + (25 * 10 + (24 * 25) / 2)) / 26, 9);
  });

  test('performance: false writes no time series; the statistics are unchanged', async () => {
    const clock = manualClock(T0);
    const store = memoryStore({ clock });
    const scout = createScout({ seed: 1, store, clock, models: ['m'], history: { performance: false } });
    await scout.recordOutcome({ modelId: 'm', success: true, latencyMs: 10 });
    expect((await counters(store, 'modelscout:default:performance:')).size).toBe(0);
    expect((await counters(store, 'modelscout:default:statistics:')).size).toBeGreaterThan(0);
    expect((await scout.history.performance('m')).count).toBe(0);
  });

  test('model ids are URI-encoded in keys: ids sharing a prefix stay apart; namespaces too', async () => {
    const clock = manualClock(T0);
    const store = memoryStore({ clock });
    const scout = createScout({ seed: 1, store, clock, models: ['org/a', 'org/a:b', 'org/a%3Ab'] });
    const other = createScout({ seed: 1, store, clock, namespace: 'other', models: ['org/a'] });
    await scout.recordOutcome({ modelId: 'org/a', success: true });
    await scout.recordOutcome({ modelId: 'org/a:b', success: true });
    await scout.recordOutcome({ modelId: 'org/a:b', success: true });
    await scout.recordOutcome({ modelId: 'org/a%3Ab', success: true });
    await other.recordOutcome({ modelId: 'org/a', success: false });
    expect((await scout.history.performance('org/a')).count).toBe(1);
    expect((await scout.history.performance('org/a:b')).count).toBe(2);
    expect((await scout.history.performance('org/a%3Ab')).count).toBe(1);
    expect(await other.history.performance('org/a')).toMatchObject({ count: 1, failures: 1 });
    // A fresh scout's statistics are not confused by the performance counters.
    const fresh = createScout({ seed: 1, store, clock });
    const selected = await fresh.selectOptimal({ candidates: ['org/a', 'org/a:b'] });
    const pulls = Object.fromEntries(selected.estimates.map((estimate) => [estimate.id, estimate.pulls]));
    expect(pulls).toEqual({ 'org/a': 1, 'org/a:b': 2 });
  });

  test('a custom bucket width; latencyTrend merges stored buckets into multiples of it', async () => {
    const clock = manualClock(T0);
    const store = memoryStore({ clock });
    const scout = createScout({ seed: 1, store, clock, models: ['m'], history: { bucketMs: 15 * 60_000 } });
    // Four 15-minute buckets, two outcomes each: latencies 10·(bucket + 1) and 20·(bucket + 1).
    for (let bucket = 0; bucket < 4; bucket++) {
      await scout.recordOutcome({ modelId: 'm', latencyMs: 10 * (bucket + 1) });
      await scout.recordOutcome({ modelId: 'm', latencyMs: 20 * (bucket + 1) });
      clock.advance(15 * 60_000);
    }
    const fine = await scout.history.latencyTrend('m', { since: T0, until: clock.now() });
    expect(fine.map((row) => [row.start - T0, row.count, row.meanMs])).toEqual([
      [0, 2, 15],
      [15 * 60_000, 2, 30],
      [30 * 60_000, 2, 45],
      [45 * 60_000, 2, 60],
    ]);
    const hourly = await scout.history.latencyTrend('m', { since: T0, until: clock.now(), bucketMs: HOUR });
    expect(hourly).toHaveLength(1);
    expect(hourly[0]).toMatchObject({ start: T0, count: 8, meanMs: 37.5 });
    expect(hourly[0]!.p50Ms).toBeGreaterThan(20 / LATENCY_BIN_RATIO);
    expect(hourly[0]!.p50Ms).toBeLessThan(30 * LATENCY_BIN_RATIO);
    const halfHourly = await scout.history.latencyTrend('m', {
      since: T0,
      until: clock.now(),
      bucketMs: HOUR / 2,
    });
    expect(halfHourly.map((row) => [row.start - T0, row.count, row.meanMs])).toEqual([
      [0, 4, 22.5],
      [HOUR / 2, 4, 52.5],
    ]);
    await expect(scout.history.latencyTrend('m', { bucketMs: 20 * 60_000 })).rejects.toThrow(
      /'options\.bucketMs'.*multiple of the stored bucket width \(900000 ms\)/,
    );
    await expect(scout.history.latencyTrend('m', { bucketMs: 5 * 60_000 })).rejects.toThrow(
      /'options\.bucketMs'/,
    );
  });
});
