import path from 'node:path';
import type { EventEmitter } from 'eventemitter3';
import type { Clock } from '../../clock/clock.js';
import { systemClock } from '../../clock/clock.js';
import { assertKnownKeys, assertNumber } from '../../core/validate.js';
import { defaultHuggingFaceCacheDirectory } from '../../discovery/providers/hf-cache-layout.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import type { Store } from '../../store/spec.js';
import type { CacheEvents } from './cache-events.js';
import { type CachePin, parsePins } from './cache-pins.js';

/** Options of {@link createCacheManager}. */
export interface CacheManagerOptions {
  /**
   * The Hugging Face cache folder, the one holding `models--org--name/` folders. A folder that
   * does not exist yet is an empty cache.
   * @default `defaultHuggingFaceCacheDirectory()`: `HF_HUB_CACHE`, else `HF_HOME/hub`, else
   * `XDG_CACHE_HOME/huggingface/hub`, else `~/.cache/huggingface/hub`
   */
  readonly cacheDirectory?: string;
  /**
   * The size the cache should stay within, in bytes, for `enforceBudget()` and
   * `prune({ budget: true })`. Lower it on small disks; raise it on model servers.
   * @default 10 GiB (`10 * 1024 ** 3`)
   */
  readonly budgetBytes?: number;
  /**
   * Models never evicted: `'org/name'` (every revision) or `'org/name@revision'` (a commit sha,
   * or whatever revision a ref such as `main` points to when a plan is made). Pinned revisions
   * lose nothing to any prune strategy.
   * @default []
   */
  readonly pins?: readonly string[];
  /**
   * Where last-use times and hit statistics are kept. Share one store between processes (a
   * `keyvStore` on Redis, say) and their statistics add up and their uses merge.
   * @default memoryStore()
   */
  readonly store?: Store;
  /**
   * Stamps recorded uses (`recordUse`), scans (`scannedAt`) and prune durations, and is the
   * default store's clock. It does not decide the LRU order alone: a revision's `lastAccess` is
   * the latest of its recorded use and the real access and modification times of its files and
   * snapshot folder (milliseconds since the Unix epoch). A recorded use only counts when it is
   * later than those, so a `manualClock()` starting at 0 records uses that never change the order;
   * start it at an epoch time after the files' times (e.g. `manualClock(Date.now())`) for recorded
   * uses to order revisions in tests.
   * @default systemClock
   */
  readonly clock?: Clock;
  /** Where events go (a host may pass its own emitter). @default a new emitter */
  readonly events?: EventEmitter<CacheEvents>;
}

/** Defaults of {@link CacheManagerOptions} (the cache folder's default is read from the environment). */
export const CACHE_MANAGER_DEFAULTS = Object.freeze({
  budgetBytes: 10 * 1024 ** 3,
  pins: Object.freeze([] as string[]),
  clock: systemClock,
});

const OPTION_KEYS = ['cacheDirectory', 'budgetBytes', 'pins', 'store', 'clock', 'events'];

/** {@link CacheManagerOptions} validated, defaults applied (store and events are created by the manager). @internal */
export interface CacheManagerSettings {
  readonly directory: string;
  readonly budgetBytes: number;
  readonly pins: readonly string[];
  readonly parsedPins: readonly CachePin[];
  readonly store: Store | undefined;
  readonly clock: Clock;
  readonly events: EventEmitter<CacheEvents> | undefined;
}

/**
 * Validates the options of `createCacheManager`.
 * @throws InvalidArgumentError for unknown options and invalid values.
 * @internal
 */
export function resolveCacheManagerOptions(options: unknown): CacheManagerSettings {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new InvalidArgumentError({ argument: 'options', value: options, message: 'must be an object' });
  }
  assertKnownKeys('options', options, OPTION_KEYS);
  const {
    cacheDirectory = defaultHuggingFaceCacheDirectory(),
    budgetBytes = CACHE_MANAGER_DEFAULTS.budgetBytes,
    pins = CACHE_MANAGER_DEFAULTS.pins,
    store,
    clock = CACHE_MANAGER_DEFAULTS.clock,
    events,
  } = options as CacheManagerOptions;
  if (typeof cacheDirectory !== 'string' || cacheDirectory.trim() === '' || cacheDirectory.includes('\0')) {
    throw new InvalidArgumentError({
      argument: 'options.cacheDirectory',
      value: cacheDirectory,
      message: 'must be a non-empty path',
    });
  }
  assertNumber('options.budgetBytes', budgetBytes, { minimum: 0 });
  const parsedPins = parsePins('options.pins', pins);
  if (store !== undefined && !isStore(store)) {
    throw new InvalidArgumentError({
      argument: 'options.store',
      value: store,
      message: "must be a Store of specificationVersion 'v1'",
    });
  }
  if (clock === null || typeof clock !== 'object' || typeof clock.now !== 'function') {
    throw new InvalidArgumentError({ argument: 'options.clock', value: clock, message: 'must be a Clock' });
  }
  if (
    events !== undefined &&
    (events === null || typeof events.emit !== 'function' || typeof events.on !== 'function')
  ) {
    throw new InvalidArgumentError({
      argument: 'options.events',
      value: events,
      message: 'must be an EventEmitter',
    });
  }
  return {
    directory: path.resolve(cacheDirectory),
    budgetBytes,
    pins: Object.freeze([...pins]),
    parsedPins,
    store,
    clock,
    events,
  };
}

function isStore(store: unknown): store is Store {
  const candidate = store as Partial<Store> | null;
  return (
    candidate !== null &&
    typeof candidate === 'object' &&
    candidate.specificationVersion === 'v1' &&
    typeof candidate.increment === 'function' &&
    typeof candidate.readCounters === 'function' &&
    typeof candidate.getDocument === 'function' &&
    typeof candidate.setDocument === 'function' &&
    typeof candidate.scanDocuments === 'function'
  );
}
