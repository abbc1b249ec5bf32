import { EventEmitter } from 'eventemitter3';
import { systemClock } from '../clock/clock.js';
import { isTimerClock, type TimerClock } from '../clock/timer-clock.js';
import type { ModelCandidate } from '../core/model-candidate.js';
import type { Task } from '../core/task.js';
import { assertKnownKeys, assertNamespace } from '../core/validate.js';
import { hfCache } from '../discovery/providers/hf-cache.js';
import { redact } from '../discovery/providers/http-json.js';
import { huggingFace } from '../discovery/providers/hugging-face.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { RunnerError } from '../errors/runner-error.js';
import { assertRunners } from '../evaluation/evaluator/resolve-candidate.js';
import type { InferenceRunner, LoadedModel } from '../evaluation/spec.js';
import { seededRandom } from '../random/index.js';
import { memoryStore } from '../store/memory-store.js';
import { createCacheManager } from './cache/create-cache-manager.js';
import { createDownloader } from './download/create-downloader.js';
import { isHuggingFaceOffline } from './download/offline-mode.js';
import { createCircuitBreakers } from './health/circuit-breakers.js';
import { runWithFallback, withFallback } from './health/with-fallback.js';
import type { LifecycleEvents } from './lifecycle-events.js';
import { LIFECYCLE_OPTION_KEYS, type LifecycleOptions } from './lifecycle-options.js';
import { createModelRegistry } from './registry/create-model-registry.js';
import { createScheduler } from './scheduler/scheduler.js';
import { UPKEEP_DEFAULTS } from './scheduler/upkeep-defaults.js';
import type { DownloadOptions, Lifecycle, LifecycleFallbackOptions } from './spec.js';
import { saveAvailability } from './upkeep/availability-history.js';
import { pruneHistory } from './upkeep/history-retention.js';

/** The transformers.js runner's name: the runner whose models are files to download. */
const FILE_RUNNER = 'transformers-js';
/** Providers whose candidates are Hub repositories (downloadable by id). */
const HUB_PROVIDERS = new Set(['huggingface']);

/** Re-emits every event of `source` on `target` (their event names are distinct). */
function forward<Events extends object>(
  source: EventEmitter<Events>,
  target: EventEmitter<LifecycleEvents>,
  names: readonly (keyof Events & string)[],
): void {
  const emitter = source as unknown as EventEmitter;
  const sink = target as unknown as EventEmitter;
  for (const name of names) emitter.on(name, (...args: unknown[]) => sink.emit(name, ...args));
}

/**
 * Creates the {@link Lifecycle}: a downloader into the Hugging Face cache, the cache manager over
 * the same folder, a memory-bounded registry whose loads download Hub models first, circuit
 * breakers shared by every `withFallback`, and the upkeep scheduler (re-discovery, availability,
 * performance, retention). `createScout({ lifecycle })` builds one as `scout.lifecycle`, wired to
 * the scout's store, clock, runners, discovery and `recordOutcome`.
 *
 * @example
 * ```ts
 * const lifecycle = createLifecycle({ runners: [transformersJsRunner()], download: { hubUrl } });
 * const model = await lifecycle.getOrLoad('modelscout/sst2-bow-logreg', { task: 'text-classification', dtype: 'q8' });
 * const [prediction] = await model.predict(['a gorgeous film']);
 * ```
 */
export function createLifecycle(options: LifecycleOptions = {}): Lifecycle {
  if (options === null || typeof options !== 'object') {
    throw new InvalidArgumentError({ argument: 'options', value: options, message: 'must be an object' });
  }
  assertKnownKeys('options', options, LIFECYCLE_OPTION_KEYS);
  const subOptionKeys = {
    upkeep: [
      'start',
      'rediscoveryIntervalMs',
      'availabilityCheckIntervalMs',
      'performanceCheckIntervalMs',
      'historyRetentionMs',
      'historyBucketMs',
      'enforceCacheBudget',
      'checkPerformance',
      'jitter',
    ],
    registry: ['maxModels', 'maxMemoryBytes', 'dtypePreference', 'provider'],
    fallback: ['timeoutMs', 'allCircuitsOpen'],
  } as const;
  for (const [name, keys] of Object.entries(subOptionKeys)) {
    const value = options[name as keyof typeof subOptionKeys];
    if (value === undefined) continue;
    if (value === null || typeof value !== 'object') {
      throw new InvalidArgumentError({ argument: `options.${name}`, value, message: 'must be an object' });
    }
    assertKnownKeys(`options.${name}`, value, keys);
  }
  const runners = options.runners ?? [];
  assertRunners(runners, 'options.runners');
  const namespace = options.namespace ?? 'default';
  assertNamespace(namespace, 'options.namespace');
  // A clock without timers still gives the time; the schedule's timers are then the system's.
  const givenClock = options.clock;
  if (givenClock !== undefined && (givenClock === null || typeof givenClock.now !== 'function')) {
    throw new InvalidArgumentError({
      argument: 'options.clock',
      value: givenClock,
      message: 'must be a Clock',
    });
  }
  const clock: TimerClock =
    givenClock === undefined
      ? systemClock
      : isTimerClock(givenClock)
        ? givenClock
        : { now: () => givenClock.now(), setTimer: systemClock.setTimer };
  const now = () => clock.now();
  const random = options.random ?? seededRandom();
  const store = options.store ?? memoryStore();
  const events = new EventEmitter<LifecycleEvents>();
  const downloadOptions = options.download ?? {};

  // The cache's pins also hold against the downloader's `keepRevisions` cleanup.
  const pins = [...(downloadOptions.pins ?? []), ...(options.cache?.pins ?? [])];
  const downloader = createDownloader({ ...downloadOptions, pins, clock, random });
  const cache = createCacheManager({
    ...options.cache,
    cacheDirectory: downloader.cacheDirectory,
    store,
    clock,
  });
  const offline = downloadOptions.offline ?? isHuggingFaceOffline(downloadOptions.environment ?? process.env);
  /** The cache as a provider: ids looked up offline, and the local copies loads prefer. */
  const cached = hfCache({ cacheDir: downloader.cacheDirectory });
  const provider =
    options.registry?.provider ??
    (offline
      ? cached
      : huggingFace({
          ...(downloadOptions.hubUrl === undefined ? {} : { hubUrl: downloadOptions.hubUrl }),
          ...(downloadOptions.accessToken === undefined ? {} : { accessToken: downloadOptions.accessToken }),
          ...(downloadOptions.fetch === undefined ? {} : { fetch: downloadOptions.fetch }),
        }));

  const runnerFor = (candidate: ModelCandidate, task: Task): InferenceRunner => {
    const runner = runners.find((each) => each.supports(candidate, task));
    if (runner === undefined) {
      throw new RunnerError({
        runner: 'lifecycle',
        modelId: candidate.id,
        reason: 'unsupported',
        message: `no runner supports '${candidate.id}' for '${task}'`,
      });
    }
    return runner;
  };

  /** The models this lifecycle downloaded or loaded from the cache, with the files it chose: what upkeep checks. */
  const managed = new Map<string, Pick<DownloadOptions, 'dtype' | 'allow' | 'ignore'>>();

  /**
   * Hub models load from the cache when its `main` snapshot has the dtype's files (no network),
   * else they are downloaded first (only that dtype); other candidates load as they are.
   */
  const load = async (
    candidate: ModelCandidate,
    task: Task,
    { dtype, signal }: { readonly dtype?: string; readonly signal: AbortSignal },
  ): Promise<LoadedModel> => {
    const runner = runnerFor(candidate, task);
    let local = candidate;
    const fromHub =
      candidate.localPath === undefined &&
      runner.name === FILE_RUNNER &&
      (candidate.provider === undefined || HUB_PROVIDERS.has(candidate.provider));
    if (fromHub) {
      const copy = await cached.getModel(candidate.id, { signal });
      if (copy?.localPath !== undefined && (dtype === undefined || copy.dtypes?.includes(dtype))) {
        local = {
          ...candidate,
          localPath: copy.localPath,
          ...(copy.revision === undefined ? {} : { revision: copy.revision }),
        };
        await cache.recordLookup(true);
        await cache.recordUse(candidate.id, copy.revision);
      } else {
        // By ref (`main`), not by the listing's commit, so refs/main is written and updates are seen.
        const result = await downloader.download(candidate.id, {
          ...(dtype === undefined ? {} : { dtype }),
          signal,
        });
        local = { ...candidate, localPath: result.path, revision: result.commit };
        await cache.recordLookup(false);
        await cache.recordUse(candidate.id, result.commit);
      }
      managed.set(candidate.id, dtype === undefined ? {} : { dtype });
    } else if (candidate.provider === 'hf-cache') {
      await cache.recordUse(candidate.id, candidate.revision);
    }
    return runner.load(local, task, { ...(dtype === undefined ? {} : { dtype }), signal });
  };

  const registry = createModelRegistry({
    load,
    provider,
    clock,
    ...(options.registry?.maxModels === undefined ? {} : { maxModels: options.registry.maxModels }),
    ...(options.registry?.maxMemoryBytes === undefined
      ? {}
      : { maxMemoryBytes: options.registry.maxMemoryBytes }),
    ...(options.registry?.dtypePreference === undefined
      ? {}
      : { dtypePreference: options.registry.dtypePreference }),
  });
  const circuitBreakers = createCircuitBreakers({ ...options.circuitBreaker, clock });

  const fallbackDefaults = {
    ...options.fallback,
    circuitBreakers,
    clock,
    ...(options.recordOutcome === undefined ? {} : { recordOutcome: options.recordOutcome }),
  };

  // Upkeep.
  const upkeep = options.upkeep ?? {};
  const jitter = upkeep.jitter ?? 0.1;
  const retentionMs = upkeep.historyRetentionMs ?? UPKEEP_DEFAULTS.historyRetentionMs;
  const historyBucketMs = upkeep.historyBucketMs ?? UPKEEP_DEFAULTS.historyBucketMs;
  if (!Number.isInteger(historyBucketMs) || historyBucketMs <= 0) {
    throw new InvalidArgumentError({
      argument: 'options.upkeep.historyBucketMs',
      value: historyBucketMs,
      message: 'must be a positive integer number of milliseconds',
    });
  }
  const scheduler = createScheduler({ clock, random });
  if (options.discovery !== undefined) {
    const discovery = options.discovery;
    scheduler.add({
      name: 'rediscovery',
      intervalMs: upkeep.rediscoveryIntervalMs ?? UPKEEP_DEFAULTS.rediscoveryIntervalMs,
      jitter,
      run: async (signal) => {
        await discovery.refresh({ signal });
      },
    });
  }
  const secrets = downloadOptions.accessToken === undefined ? [] : [downloadOptions.accessToken];
  scheduler.add({
    name: 'availability',
    intervalMs: upkeep.availabilityCheckIntervalMs ?? UPKEEP_DEFAULTS.availabilityCheckIntervalMs,
    jitter,
    run: async (signal) => {
      for (const [modelId, files] of managed) {
        signal.throwIfAborted();
        const started = now();
        let record: Parameters<typeof saveAvailability>[2];
        try {
          const check = await downloader.checkForUpdates(modelId, { ...files, signal });
          record = {
            modelId,
            checkedAt: started,
            available: true,
            latencyMs: now() - started,
            remoteCommit: check.remoteCommit,
            updateAvailable: check.updateAvailable,
          };
        } catch (error) {
          if (signal.aborted) throw error;
          record = {
            modelId,
            checkedAt: started,
            available: false,
            latencyMs: now() - started,
            error: redact(error instanceof Error ? error.message : String(error), secrets),
          };
        }
        await saveAvailability(store, namespace, record);
        events.emit('availability_checked', record);
      }
    },
  });
  if (upkeep.checkPerformance !== undefined) {
    scheduler.add({
      name: 'performance',
      intervalMs: upkeep.performanceCheckIntervalMs ?? UPKEEP_DEFAULTS.performanceCheckIntervalMs,
      jitter,
      run: upkeep.checkPerformance,
    });
  }
  scheduler.add({
    name: 'retention',
    intervalMs: Math.min(retentionMs, UPKEEP_DEFAULTS.rediscoveryIntervalMs),
    jitter,
    run: async (signal) => {
      const olderThan = now() - retentionMs;
      const removed = await pruneHistory(store, namespace, olderThan, signal, historyBucketMs);
      events.emit('history_pruned', { olderThan, ...removed });
      if (upkeep.enforceCacheBudget === true) await cache.enforceBudget();
    },
  });

  forward(downloader.events, events, [
    'download_started',
    'file_started',
    'file_progress',
    'download_progress',
    'file_finished',
    'download_finished',
    'download_failed',
    'update_available',
    'revisions_removed',
    'cleanup_failed',
  ]);
  forward(cache.events, events, [
    'cache_evicted',
    'cache_files_removed',
    'cache_pruned',
    'cache_budget_exceeded',
    'cache_error',
  ]);
  forward(registry.events, events, ['model_loaded', 'model_unloaded', 'model_load_failed']);
  forward(circuitBreakers.events, events, ['circuit_opened', 'circuit_half_opened', 'circuit_closed']);
  forward(scheduler.events, events, ['job_started', 'job_finished', 'job_failed', 'job_skipped']);

  async function downloadManaged(modelId: string, request: DownloadOptions = {}) {
    const result = await downloader.download(modelId, request);
    const { dtype, allow, ignore } = request;
    managed.set(modelId, {
      ...(dtype === undefined ? {} : { dtype }),
      ...(allow === undefined ? {} : { allow }),
      ...(ignore === undefined ? {} : { ignore }),
    });
    return result;
  }

  if (upkeep.start === true) scheduler.start();

  return {
    specificationVersion: 'v1',
    async download(modelId, downloadRequest) {
      return (await downloadManaged(modelId, downloadRequest)).path;
    },
    downloadDetailed: downloadManaged,
    checkForUpdates: (modelId, request) => downloader.checkForUpdates(modelId, request),
    getOrLoad: (model, request) => registry.getOrLoad(model, request),
    withFallback: <Result>(
      selected: Parameters<typeof withFallback<Result>>[0],
      run: Parameters<typeof withFallback<Result>>[1],
      callOptions: LifecycleFallbackOptions<Result> = {},
    ) => withFallback<Result>(selected, run, { ...fallbackDefaults, ...callOptions }),
    runWithFallback: <Result>(
      selected: Parameters<typeof runWithFallback<Result>>[0],
      run: Parameters<typeof runWithFallback<Result>>[1],
      callOptions: LifecycleFallbackOptions<Result> = {},
    ) => runWithFallback<Result>(selected, run, { ...fallbackDefaults, ...callOptions }),
    cache,
    downloader,
    registry,
    circuitBreakers,
    scheduler,
    events,
    async close() {
      await scheduler.stop();
      await registry.close();
    },
  };
}
