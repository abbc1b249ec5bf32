import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createScout, redisStore, type Scout, type Store } from 'modelscout';
import { information, verdict } from './measure.js';
import { startRedisForBenchmark } from './redis.js';

const MODELS = Array.from({ length: 8 }, (_, index) => `model-${index}`);

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))]!;
}

/**
 * Per-call times of `selectOptimal` (microseconds, sorted) over `calls` calls, each followed by
 * the outcome it would record (not timed), after `warmup` untimed rounds.
 */
async function selectOptimalTimes(scout: Scout, calls: number, warmup: number): Promise<number[]> {
  const request = { candidates: MODELS, objective: { quality: 1, latencyMs: 0.001 } };
  let round = 0;
  async function one(timed: number[] | undefined): Promise<void> {
    const start = process.hrtime.bigint();
    const { primary } = await scout.selectOptimal(request);
    if (timed !== undefined) timed.push(Number(process.hrtime.bigint() - start) / 1000);
    round++;
    await scout.recordOutcome({
      modelId: primary.id,
      success: round % 3 !== 0,
      latencyMs: 50 + (round % 40),
    });
  }
  for (let index = 0; index < warmup; index++) await one(undefined);
  const times: number[] = [];
  for (let index = 0; index < calls; index++) await one(times);
  return times.sort((left, right) => left - right);
}

/**
 * `recordOutcome` throughput: `total` outcomes from `concurrency` request loops, each awaiting
 * its own `recordOutcome` (a server handling that many requests at once). The learning state
 * batches what arrives while a write is in flight into one store call (a pipeline), then
 * `flush()` waits for the last write. Returns outcomes per second and the pulls read back.
 */
async function recordThroughput(
  scout: Scout,
  total: number,
  concurrency: number,
): Promise<{ perSecond: number }> {
  let next = 0;
  async function loop(): Promise<void> {
    while (next < total) {
      const index = next++;
      await scout.recordOutcome({
        modelId: MODELS[index % MODELS.length]!,
        success: index % 5 !== 0,
        latencyMs: 20 + (index % 100),
      });
    }
  }
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, loop));
  await scout.flush();
  const seconds = (performance.now() - start) / 1000;
  return { perSecond: total / seconds };
}

/** Total reward observations of every model, read by a fresh scout over `store` (a second process's view). */
async function countedOutcomes(store: Store, namespace: string): Promise<number> {
  const reader = createScout({ store, namespace, models: MODELS });
  const selected = await reader.selectOptimal({ candidates: MODELS });
  return selected.estimates.reduce((sum, estimate) => sum + estimate.pulls, 0);
}

/**
 * Storage (issue 6): `selectOptimal` per-call latency with the embedded SQLite store and with
 * Redis on loopback (targets: p50 ≤ 0.2 ms and ≤ 1 ms), and `recordOutcome` throughput with
 * Redis (target ≥ 20,000/s), checked by reading the counts back.
 */
export async function runStorageBenchmark({
  calls = 20_000,
  outcomes = 100_000,
  concurrency = 256,
}: {
  calls?: number;
  outcomes?: number;
  concurrency?: number;
} = {}): Promise<{ lines: string[]; failures: number }> {
  const lines: string[] = [];
  let failures = 0;
  const directory = await mkdtemp(path.join(tmpdir(), 'modelscout-bench-storage-'));
  try {
    // SQLite, embedded: createScout({ path }).
    const sqliteScout = createScout({ path: path.join(directory, 'bench.sqlite'), seed: 1, models: MODELS });
    const sqliteTimes = await selectOptimalTimes(sqliteScout, calls, 5_000);
    const sqliteP50 = percentile(sqliteTimes, 0.5);
    lines.push(
      verdict(
        `selectOptimal, SQLite store (p50 of ${calls.toLocaleString('en')} calls)`,
        sqliteP50,
        200,
        'µs',
      ),
    );
    lines.push(information('  p99', percentile(sqliteTimes, 0.99), 'µs'));
    if (sqliteP50 > 200) failures++;
    const sqliteRecords = await recordThroughput(sqliteScout, outcomes, concurrency);
    lines.push(
      `${'recordOutcome throughput, SQLite store (outcomes/s)'.padEnd(66)} ${Math.round(sqliteRecords.perSecond).toLocaleString('en').padStart(8)} /s`,
    );
    await sqliteScout.close();

    // Redis on loopback.
    const redis = await startRedisForBenchmark();
    try {
      const prefix = `bench-${process.pid}-${Date.now()}:`;
      const store = redisStore({ url: redis.url, prefix });
      const redisScout = createScout({ store, seed: 1, models: MODELS, refreshIntervalMs: 1000 });
      const redisTimes = await selectOptimalTimes(redisScout, calls, 5_000);
      const redisP50 = percentile(redisTimes, 0.5);
      lines.push(
        verdict(
          `selectOptimal, Redis store, refresh every 1 s (p50 of ${calls.toLocaleString('en')} calls)`,
          redisP50,
          1000,
          'µs',
        ),
      );
      lines.push(information('  p99', percentile(redisTimes, 0.99), 'µs'));
      if (redisP50 > 1000) failures++;

      const recordStore = redisStore({ url: redis.url, prefix: `${prefix}throughput:` });
      const recorder = createScout({ store: recordStore, seed: 2, models: MODELS });
      await recorder.selectOptimal({ candidates: MODELS }); // the first load, outside the timing
      const throughput = await recordThroughput(recorder, outcomes, concurrency);
      const counted = await countedOutcomes(recordStore, 'default');
      lines.push(
        `${'recordOutcome throughput, Redis store (outcomes/s)'.padEnd(66)} ${Math.round(throughput.perSecond).toLocaleString('en').padStart(8)} /s  target ≥ 20,000 /s  ratio ${(throughput.perSecond / 20_000).toFixed(3)}  ${throughput.perSecond >= 20_000 ? 'PASS' : 'FAIL'}`,
      );
      lines.push(
        `  ${outcomes.toLocaleString('en')} outcomes from ${concurrency} concurrent loops; read back: ${counted.toLocaleString('en')}${counted === outcomes ? ' (exact)' : ' (MISMATCH)'}`,
      );
      if (throughput.perSecond < 20_000 || counted !== outcomes) failures++;
      await recordStore.clear();
      await recordStore.close();
      await store.clear();
      await store.close();
    } finally {
      await redis.stop();
    }
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
  return { lines, failures };
}
