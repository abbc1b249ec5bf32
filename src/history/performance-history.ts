import { timeStamp } from '../lifecycle/upkeep/availability-history.js';
import type { CounterIncrement, CounterRecord, Store } from '../store/spec.js';
import { keyPart } from './key-part.js';
import {
  binOfField,
  estimateQuantile,
  LATENCY_BIN_FIELDS,
  LATENCY_HISTOGRAM,
  latencyBin,
} from './latency-histogram.js';
import type { ResolvedWindow } from './time-window.js';

/**
 * What a model's served requests did over a window: totals of the outcomes `recordOutcome`
 * recorded, from the performance time series. Means and percentiles are `undefined` when
 * nothing was measured.
 */
export interface PerformanceSummary {
  readonly modelId: string;
  /** The window's start (clock milliseconds); buckets overlapping the window count whole. */
  readonly since: number;
  /** The window's end (clock milliseconds, included). */
  readonly until: number;
  /** Outcomes recorded. */
  readonly count: number;
  /** Outcomes that failed: with an `error`, or with quality (or `success`) 0. */
  readonly failures: number;
  /**
   * Share of the judged outcomes (with quality, `success` or `error`) that did not fail:
   * (judged − failures) / judged. Outcomes with only a latency or a cost are no verdict: they
   * count neither way.
   */
  readonly successRate: number | undefined;
  /** Mean quality learned (over outcomes with quality, `success` or `error`). */
  readonly meanReward: number | undefined;
  /** Outcomes with a latency. */
  readonly latencyCount: number;
  /** Mean latency in milliseconds. */
  readonly meanLatencyMs: number | undefined;
  /** Median latency, estimated from the histogram (within ±9 %). */
  readonly p50LatencyMs: number | undefined;
  /** 95th percentile of the latency, estimated from the histogram (within ±9 %). */
  readonly p95LatencyMs: number | undefined;
  /** 99th percentile of the latency, estimated from the histogram (within ±9 %). */
  readonly p99LatencyMs: number | undefined;
  /** Total cost in US dollars of the outcomes with a cost. */
  readonly totalCostUsd: number;
  /** Mean cost in US dollars (over outcomes with a cost). */
  readonly meanCostUsd: number | undefined;
}

/** One bucket of a model's latency trend ({@link History.latencyTrend}). */
export interface LatencyTrendRow {
  /** Start of the bucket, in clock milliseconds. */
  readonly start: number;
  /** Outcomes with a latency in the bucket. */
  readonly count: number;
  /** Mean latency in milliseconds. */
  readonly meanMs: number;
  /** Median latency, estimated from the histogram (within ±9 %). */
  readonly p50Ms: number;
  /** 95th percentile, estimated from the histogram (within ±9 %). */
  readonly p95Ms: number;
  /** 99th percentile, estimated from the histogram (within ±9 %). */
  readonly p99Ms: number;
}

/**
 * Where the performance history sends its increments: the learning state's write queue
 * (`LearningState.queue`), so that they are batched with the bandit statistics, kept while the
 * store fails and retried with them. @internal
 */
export interface IncrementQueue {
  /** Queues `increments` to be written with the next batch (the caller's next write or flush). */
  queue(increments: readonly CounterIncrement[]): void;
}

/** `modelscout:{namespace}:performance:` (and the model's part, when given). @internal */
export function performancePrefix(namespace: string, modelId?: string): string {
  return `modelscout:${namespace}:performance:${modelId === undefined ? '' : `${keyPart(modelId)}:`}`;
}

/** The start of the bucket of width `bucketMs` holding `time` (buckets are aligned on the epoch). @internal */
export function bucketStart(time: number, bucketMs: number): number {
  return Math.floor(time / bucketMs) * bucketMs;
}

/**
 * The counter of one model's bucket: `modelscout:{namespace}:performance:{model}:{start, 15 digits}`.
 * @internal
 */
export function performanceKey(namespace: string, modelId: string, start: number): string {
  return `${performancePrefix(namespace, modelId)}${timeStamp(start)}`;
}

/** The bucket start in a performance key, or `undefined` for a key of another shape. @internal */
export function bucketOfKey(key: string): number | undefined {
  const match = /:(\d{15})$/.exec(key);
  return match === null ? undefined : Number(match[1]);
}

/**
 * Turns outcomes into increments of the performance time series: per outcome one increment of
 * its model's current bucket, with `count`, `failures`, `reward.count`/`.sum`,
 * `latencyMs.count`/`.sum`/`.sumOfSquares`, `latencyMs.bin.{i}` (see `latencyBin`) and
 * `costUsd.count`/`.sum`. Every field is additive, so processes sharing a store merge by addition.
 * @internal
 */
export class PerformanceRecorder {
  /** The key of each model's latest bucket, so that a key is built once per model and bucket. */
  private readonly keys = new Map<string, { start: number; key: string }>();

  constructor(
    private readonly namespace: string,
    private readonly bucketMs: number,
    private readonly queue: IncrementQueue,
  ) {}

  /** Queues one outcome's increment (values validated by the caller), written with the caller's next batch. */
  record(
    modelId: string,
    time: number,
    reward: number | undefined,
    latencyMs: number | undefined,
    costUsd: number | undefined,
    failed: boolean,
  ): void {
    const start = bucketStart(time, this.bucketMs);
    let cached = this.keys.get(modelId);
    if (cached === undefined || cached.start !== start) {
      cached = { start, key: performanceKey(this.namespace, modelId, start) };
      this.keys.set(modelId, cached);
    }
    const deltas: Record<string, number> = { count: 1 };
    if (failed) deltas.failures = 1;
    if (reward !== undefined) {
      deltas['reward.count'] = 1;
      deltas['reward.sum'] = reward;
    }
    if (latencyMs !== undefined) {
      deltas['latencyMs.count'] = 1;
      deltas['latencyMs.sum'] = latencyMs;
      deltas['latencyMs.sumOfSquares'] = latencyMs * latencyMs;
      deltas[LATENCY_BIN_FIELDS[latencyBin(latencyMs)]!] = 1;
    }
    if (costUsd !== undefined) {
      deltas['costUsd.count'] = 1;
      deltas['costUsd.sum'] = costUsd;
    }
    const increment: CounterIncrement = { key: cached.key, deltas };
    this.queue.queue([increment]);
  }
}

/** Sums of performance counters over any number of buckets (and processes). @internal */
export class PerformanceTotals {
  count = 0;
  failures = 0;
  rewardCount = 0;
  rewardSum = 0;
  latencyCount = 0;
  latencySum = 0;
  costCount = 0;
  costSum = 0;
  readonly bins: number[] = new Array<number>(LATENCY_HISTOGRAM.bins).fill(0);

  /** Adds one stored bucket. Unknown or non-finite fields are ignored. */
  add(record: CounterRecord): void {
    for (const field in record) {
      const value = record[field]!;
      if (!Number.isFinite(value)) continue;
      switch (field) {
        case 'count':
          this.count += value;
          break;
        case 'failures':
          this.failures += value;
          break;
        case 'reward.count':
          this.rewardCount += value;
          break;
        case 'reward.sum':
          this.rewardSum += value;
          break;
        case 'latencyMs.count':
          this.latencyCount += value;
          break;
        case 'latencyMs.sum':
          this.latencySum += value;
          break;
        case 'costUsd.count':
          this.costCount += value;
          break;
        case 'costUsd.sum':
          this.costSum += value;
          break;
        default: {
          const bin = binOfField(field);
          if (bin !== undefined) this.bins[bin]! += value;
        }
      }
    }
  }

  /** The latency quantile estimated from the merged histogram. */
  latencyQuantile(quantile: number): number | undefined {
    return estimateQuantile(this.bins, quantile);
  }

  /** The totals as a {@link PerformanceSummary} of `modelId` over `window`. */
  summary(modelId: string, window: ResolvedWindow): PerformanceSummary {
    const ratio = (sum: number, count: number) => (count > 0 ? sum / count : undefined);
    return {
      modelId,
      since: window.since,
      until: window.until,
      count: this.count,
      failures: this.failures,
      // Every failure is judged (an error learns quality 0): the judged outcomes are those with a reward.
      successRate: ratio(Math.max(this.rewardCount - this.failures, 0), this.rewardCount),
      meanReward: ratio(this.rewardSum, this.rewardCount),
      latencyCount: this.latencyCount,
      meanLatencyMs: ratio(this.latencySum, this.latencyCount),
      p50LatencyMs: this.latencyQuantile(0.5),
      p95LatencyMs: this.latencyQuantile(0.95),
      p99LatencyMs: this.latencyQuantile(0.99),
      totalCostUsd: this.costSum,
      meanCostUsd: ratio(this.costSum, this.costCount),
    };
  }
}

/** One stored bucket of a model's time series. @internal */
export interface StoredBucket {
  readonly start: number;
  readonly record: CounterRecord;
}

/**
 * The stored buckets of `modelId` (of width `bucketMs`) that overlap `window`, oldest first.
 * @internal
 */
export async function readBuckets(
  store: Store,
  namespace: string,
  modelId: string,
  window: ResolvedWindow,
  bucketMs: number,
): Promise<StoredBucket[]> {
  const buckets: StoredBucket[] = [];
  for await (const [key, record] of store.scanCounters(performancePrefix(namespace, modelId))) {
    const start = bucketOfKey(key);
    if (start === undefined || start > window.until || start + bucketMs <= window.since) continue;
    buckets.push({ start, record });
  }
  return buckets.sort((left, right) => left.start - right.start);
}

/** Totals of `modelId`'s performance over `window`. @internal */
export async function readPerformance(
  store: Store,
  namespace: string,
  modelId: string,
  window: ResolvedWindow,
  bucketMs: number,
): Promise<PerformanceSummary> {
  const totals = new PerformanceTotals();
  for (const { record } of await readBuckets(store, namespace, modelId, window, bucketMs)) totals.add(record);
  return totals.summary(modelId, window);
}

/**
 * `modelId`'s latency per bucket of width `trendBucketMs` (a multiple of the stored `bucketMs`:
 * consecutive stored buckets are merged), oldest first; buckets without latencies are left out.
 * @internal
 */
export async function readLatencyTrend(
  store: Store,
  namespace: string,
  modelId: string,
  window: ResolvedWindow,
  bucketMs: number,
  trendBucketMs: number,
): Promise<LatencyTrendRow[]> {
  const merged = new Map<number, PerformanceTotals>();
  for (const { start, record } of await readBuckets(store, namespace, modelId, window, bucketMs)) {
    const trendStart = bucketStart(start, trendBucketMs);
    let totals = merged.get(trendStart);
    if (totals === undefined) {
      totals = new PerformanceTotals();
      merged.set(trendStart, totals);
    }
    totals.add(record);
  }
  const rows: LatencyTrendRow[] = [];
  for (const [start, totals] of merged) {
    if (totals.latencyCount <= 0) continue;
    const meanMs = totals.latencySum / totals.latencyCount;
    // A bucket always has bins with its latencies; the mean stands in should one lack them.
    rows.push({
      start,
      count: totals.latencyCount,
      meanMs,
      p50Ms: totals.latencyQuantile(0.5) ?? meanMs,
      p95Ms: totals.latencyQuantile(0.95) ?? meanMs,
      p99Ms: totals.latencyQuantile(0.99) ?? meanMs,
    });
  }
  return rows.sort((left, right) => left.start - right.start);
}
