/**
 * How often the lifecycle's upkeep jobs run, and how long history is kept. The jobs run on a
 * scheduler (`createScheduler`); every interval gets the scheduler's jitter.
 */
export interface UpkeepOptions {
  /** Milliseconds between re-discoveries: listing every provider again to find new and removed models. @default 86_400_000 (1 day) */
  readonly rediscoveryIntervalMs?: number;
  /**
   * Milliseconds between availability checks: each checks the remote commit of the models the
   * lifecycle manages (loaded or downloaded by it).
   * @default 1_800_000 (30 minutes)
   */
  readonly availabilityCheckIntervalMs?: number;
  /** Milliseconds between performance re-checks (re-evaluating latency and quality). @default 21_600_000 (6 hours) */
  readonly performanceCheckIntervalMs?: number;
  /**
   * Milliseconds history records are kept before they are pruned: evaluation results,
   * availability records, performance buckets and outcome-log chunks (see `scout.history`). The
   * bandit statistics are not pruned (`halfLifeMs` makes old outcomes weigh less instead).
   * @default 2_592_000_000 (30 days)
   */
  readonly historyRetentionMs?: number;
  /**
   * Width of the performance history's buckets in milliseconds, so that retention removes a
   * bucket only once it ends before the cut-off. A scout passes its `history.bucketMs`.
   * @default 3_600_000 (1 hour, as `HISTORY_DEFAULTS.bucketMs`)
   */
  readonly historyBucketMs?: number;
}

/** Defaults of {@link UpkeepOptions}. */
export const UPKEEP_DEFAULTS = Object.freeze({
  rediscoveryIntervalMs: 24 * 60 * 60 * 1000,
  availabilityCheckIntervalMs: 30 * 60 * 1000,
  performanceCheckIntervalMs: 6 * 60 * 60 * 1000,
  historyRetentionMs: 30 * 24 * 60 * 60 * 1000,
  historyBucketMs: 60 * 60 * 1000,
});
