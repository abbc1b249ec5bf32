/** Calls and failures counted over a rolling window. @internal */
export interface RollingWindow {
  /** Counts one call at `time`. */
  add(time: number, failed: boolean): void;
  /** Calls and failures within the window ending at `time`. */
  totals(time: number): { readonly calls: number; readonly failures: number };
  clear(): void;
}

/** Buckets per window: the window slides in steps of a tenth of its length. */
const BUCKETS = 10;

interface Bucket {
  readonly start: number;
  calls: number;
  failures: number;
}

/**
 * A rolling window of `windowMs` kept as ten buckets, so memory stays constant however many
 * calls it counts. A call leaves the window between `windowMs` and `windowMs` × 1.1 after it was counted.
 * @internal
 */
export function rollingWindow(windowMs: number): RollingWindow {
  const bucketMs = windowMs / BUCKETS;
  let buckets: Bucket[] = [];

  function prune(time: number): void {
    const oldest = time - windowMs - bucketMs;
    if (buckets.length > 0 && buckets[0]!.start <= oldest) {
      buckets = buckets.filter((bucket) => bucket.start > oldest);
    }
  }

  return {
    add(time, failed) {
      prune(time);
      const start = Math.floor(time / bucketMs) * bucketMs;
      let last = buckets.at(-1);
      if (last === undefined || last.start !== start) {
        last = { start, calls: 0, failures: 0 };
        buckets.push(last);
      }
      last.calls++;
      if (failed) last.failures++;
    },
    totals(time) {
      prune(time);
      let calls = 0;
      let failures = 0;
      for (const bucket of buckets) {
        calls += bucket.calls;
        failures += bucket.failures;
      }
      return { calls, failures };
    },
    clear() {
      buckets = [];
    },
  };
}
