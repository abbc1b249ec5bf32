import { assertKnownKeys, assertNumber } from '../core/validate.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { UPKEEP_DEFAULTS } from '../lifecycle/scheduler/upkeep-defaults.js';

/**
 * Options of `scout.history` (`createScout({ history })`): what the scout records besides its
 * bandit statistics, and how long it is kept.
 */
export interface HistoryOptions {
  /**
   * Width of a bucket of the performance time series, in milliseconds (an integer ≥ 1000;
   * buckets are aligned on the Unix epoch). Every process sharing a store's namespace should use
   * the same width. `latencyTrend` merges buckets into any multiple of it.
   * @default 3_600_000 (1 hour)
   */
  readonly bucketMs?: number;
  /**
   * Whether `recordOutcome` also adds each outcome to its model's performance time series (one
   * more counter increment, written with the statistics' queue). Turn off only when the few
   * microseconds it costs matter more than `performance`, `latencyTrend` and `bestModels`' served figures.
   * @default true
   */
  readonly performance?: boolean;
  /**
   * Whether `recordOutcome` also appends each outcome to the outcome log (`history.outcomes()`),
   * in chunk documents of `outcomeLogChunkSize` entries. Off by default: it costs document writes
   * and space. Entries still buffered when the process exits without `scout.flush()` are lost.
   * @default false
   */
  readonly outcomeLog?: boolean;
  /** Outcome log entries per chunk document (an integer in [1, 100 000]). @default 256 */
  readonly outcomeLogChunkSize?: number;
  /**
   * Longest time, in milliseconds, an outcome log entry waits in the buffer before its chunk is
   * written, when the scout's clock has timers (the system clock and `manualClock` do; a bare
   * `{ now }` clock does not: chunks are then written only when full and on `scout.flush()`).
   * 0 writes only full chunks and on `scout.flush()`.
   * @default 60_000 (1 minute)
   */
  readonly outcomeLogFlushIntervalMs?: number;
  /**
   * Whether the models discovery reports (`model_added`, `model_updated`, `model_removed`) are
   * kept as records in the store (`history.models()`, `history.model(id)`).
   * @default true
   */
  readonly modelRecords?: boolean;
  /**
   * How long history records are kept, in milliseconds: outcome log chunks expire after it, and
   * it is the default of `history.prune()` and of the lifecycle's retention job
   * (`lifecycle.upkeep.historyRetentionMs` wins when given).
   * @default 2_592_000_000 (30 days, as UPKEEP_DEFAULTS.historyRetentionMs)
   */
  readonly retentionMs?: number;
  /** The window of queries given no `since`, in milliseconds before `until`. @default 604_800_000 (7 days) */
  readonly windowMs?: number;
}

/** {@link HistoryOptions} with every default applied. */
export type ResolvedHistoryOptions = Readonly<Required<HistoryOptions>>;

/** Defaults of {@link HistoryOptions}. */
export const HISTORY_DEFAULTS: ResolvedHistoryOptions = Object.freeze({
  bucketMs: 3_600_000,
  performance: true,
  outcomeLog: false,
  outcomeLogChunkSize: 256,
  outcomeLogFlushIntervalMs: 60_000,
  modelRecords: true,
  retentionMs: UPKEEP_DEFAULTS.historyRetentionMs,
  windowMs: 7 * 86_400_000,
});

const OPTION_KEYS = Object.keys(HISTORY_DEFAULTS);
const BOOLEAN_KEYS = ['performance', 'outcomeLog', 'modelRecords'] as const;

/**
 * Validates `options` (named `argument` in errors) and applies the defaults.
 * @throws {InvalidArgumentError} for unknown keys or values out of range.
 * @internal
 */
export function resolveHistoryOptions(options: unknown, argument: string): ResolvedHistoryOptions {
  if (options === undefined) return HISTORY_DEFAULTS;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new InvalidArgumentError({ argument, value: options, message: 'must be an object' });
  }
  assertKnownKeys(argument, options, OPTION_KEYS);
  // An option given as `undefined` takes its default, as everywhere else in modelscout.
  const given = Object.entries(options).filter(([, value]) => value !== undefined);
  const resolved = { ...HISTORY_DEFAULTS, ...(Object.fromEntries(given) as HistoryOptions) };
  for (const key of BOOLEAN_KEYS) {
    if (typeof resolved[key] !== 'boolean') {
      throw new InvalidArgumentError({
        argument: `${argument}.${key}`,
        value: resolved[key],
        message: 'must be a boolean',
      });
    }
  }
  assertNumber(`${argument}.bucketMs`, resolved.bucketMs, { integer: true, minimum: 1000 });
  assertNumber(`${argument}.outcomeLogChunkSize`, resolved.outcomeLogChunkSize, {
    integer: true,
    minimum: 1,
    maximum: 100_000,
  });
  assertNumber(`${argument}.outcomeLogFlushIntervalMs`, resolved.outcomeLogFlushIntervalMs, { minimum: 0 });
  assertNumber(`${argument}.retentionMs`, resolved.retentionMs, { minimum: 0, exclusiveMinimum: true });
  assertNumber(`${argument}.windowMs`, resolved.windowMs, { minimum: 0, exclusiveMinimum: true });
  return Object.freeze(resolved);
}
