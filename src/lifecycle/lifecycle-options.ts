import type { Clock } from '../clock/clock.js';
import type { DiscoveryService } from '../discovery/service/discovery-service.js';
import type { InferenceRunner } from '../evaluation/spec.js';
import type { RandomSource } from '../random/index.js';
import type { Outcome } from '../scout.js';
import type { Store } from '../store/spec.js';
import type { CacheManagerOptions } from './cache/cache-manager-options.js';
import type { DownloaderOptions } from './download/downloader-options.js';
import type { CircuitBreakerOptions } from './health/circuit-breaker-options.js';
import type { AllCircuitsOpenPolicy } from './health/fallback-options.js';
import type { ModelRegistryOptions } from './registry/registry-options.js';
import type { UpkeepOptions } from './scheduler/upkeep-defaults.js';

/** Which upkeep jobs run, and how often (intervals and retention: {@link UpkeepOptions}). */
export interface LifecycleUpkeepOptions extends UpkeepOptions {
  /**
   * Start the jobs when the lifecycle is created (each runs once at start-up, then every
   * interval, with jitter). Otherwise call `lifecycle.scheduler.start()`. @default false
   */
  readonly start?: boolean;
  /**
   * Whether the retention job also enforces the cache budget (`cache.enforceBudget()`). Off by
   * default: the Hugging Face cache is shared with other tools (Python's `huggingface_hub`,
   * transformers), whose models an LRU eviction would remove too. @default false
   */
  readonly enforceCacheBudget?: boolean;
  /**
   * The host's performance re-check, e.g. `scout.evaluate` on a held-out sample; the
   * `performance` job exists only when it is given. @default undefined
   */
  readonly checkPerformance?: (signal: AbortSignal) => Promise<void>;
  /** Fraction of jitter on every interval. @default 0.1 */
  readonly jitter?: number;
}

/** Options of `createLifecycle` (and of `createScout({ lifecycle })`). */
export interface LifecycleOptions {
  /** Downloads: hub URL, cache folder, token, concurrency, offline mode, pickle policy, revisions kept, update policy. */
  readonly download?: Omit<DownloaderOptions, 'events' | 'clock' | 'random'>;
  /** The cache: budget (default 10 GiB) and pins. Its folder is the downloader's. */
  readonly cache?: Omit<CacheManagerOptions, 'cacheDirectory' | 'store' | 'clock' | 'events'>;
  /** The loaded models: count and memory limits, dtype preference, and where ids are looked up. */
  readonly registry?: Pick<
    ModelRegistryOptions,
    'maxModels' | 'maxMemoryBytes' | 'dtypePreference' | 'provider'
  >;
  /** What models are loaded with (the first that supports a candidate). @default [] */
  readonly runners?: readonly InferenceRunner[];
  /** Per-model circuit breakers (threshold, cool-down, failure rate). */
  readonly circuitBreaker?: Omit<CircuitBreakerOptions, 'clock' | 'events'>;
  /** Fallback defaults: per-attempt timeout and what to do when every circuit is open. */
  readonly fallback?: { readonly timeoutMs?: number; readonly allCircuitsOpen?: AllCircuitsOpenPolicy };
  /** Scheduled upkeep. */
  readonly upkeep?: LifecycleUpkeepOptions;
  /** Where usage, statistics and history live. @default memoryStore() */
  readonly store?: Store;
  /** Separates this lifecycle's history from others in the same store. @default 'default' */
  readonly namespace?: string;
  /**
   * Time for every part: cool-downs, last uses, schedules. A clock without timers (`setTimer`)
   * gives the time, and the schedule's timers are then the system's. @default systemClock
   */
  readonly clock?: Clock;
  /** Jitter of retries and schedules. @default a seeded source */
  readonly random?: RandomSource;
  /** Where `withFallback` records every outcome, e.g. `scout.recordOutcome`. @default none */
  readonly recordOutcome?: (outcome: Outcome) => void | Promise<void>;
  /** What the re-discovery job refreshes. @default none (no re-discovery job) */
  readonly discovery?: Pick<DiscoveryService, 'refresh'>;
}

/** Used only to check option keys. @internal */
export const LIFECYCLE_OPTION_KEYS = [
  'download',
  'cache',
  'registry',
  'runners',
  'circuitBreaker',
  'fallback',
  'upkeep',
  'store',
  'namespace',
  'clock',
  'random',
  'recordOutcome',
  'discovery',
] as const;
