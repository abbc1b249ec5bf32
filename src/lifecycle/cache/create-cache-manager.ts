import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { EventEmitter } from 'eventemitter3';
import { assertKnownKeys, assertNumber } from '../../core/validate.js';
import { realPathInside } from '../../discovery/local-hub/safe-path.js';
import { cacheFolderName } from '../../discovery/providers/hf-cache-layout.js';
import { CacheError } from '../../errors/cache-error.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import { StoreError } from '../../errors/store-error.js';
import { memoryStore } from '../../store/memory-store.js';
import type { Store } from '../../store/spec.js';
import type { CacheEvents } from './cache-events.js';
import { type CacheManagerOptions, resolveCacheManagerOptions } from './cache-manager-options.js';
import { assertModelId, assertRevision } from './cache-pins.js';
import type { CacheReport } from './cache-report.js';
import { resolveCacheRoot } from './cache-root.js';
import {
  addStatistics,
  type CacheStatistics,
  readLastUses,
  readStatistics,
  writeLastUse,
} from './cache-usage.js';
import { emitPruneEvents } from './emit-prune-events.js';
import { type ExecutedPrune, executePrune } from './execute-prune.js';
import { type PlannedPrune, planPrune } from './plan-prune.js';
import { type CachePruneOptions, resolvePruneOptions } from './prune-options.js';
import type { CachePrunePlan, CachePruneResult } from './prune-plan.js';
import { COMMIT_PATTERN, scanCache } from './scan-cache.js';
import type { CacheVerificationReport } from './verification-report.js';
import { verifyCache } from './verify-cache.js';

/** Options of {@link CacheManager.recordLookup}. */
export interface CacheLookupOptions {
  /** Bytes served from the cache (a hit) or fetched (a miss), added to `hitBytes` / `missBytes`. @default 0 */
  readonly sizeBytes?: number;
}

/** Options of {@link CacheManager.enforceBudget}. */
export interface CacheBudgetOptions {
  /** The budget in bytes. @default the manager's `budgetBytes` */
  readonly budgetBytes?: number;
  /** Pins for this call, added to the manager's. @default [] */
  readonly pins?: readonly string[];
}

/** Options of {@link CacheManager.verify}. */
export interface CacheVerifyOptions {
  /** Only these models. @default every model in the cache */
  readonly models?: readonly string[];
  /** Stops hashing; `verify()` then rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/** Manages a Hugging Face cache folder: what it holds, what was used, what to remove. */
export interface CacheManager {
  /** The cache folder, as configured (absolute). */
  readonly directory: string;
  /** The size budget of `enforceBudget()`, in bytes. */
  readonly budgetBytes: number;
  /** Models and revisions never evicted. */
  readonly pins: readonly string[];
  /** Where last uses and statistics are kept. */
  readonly store: Store;
  /** `cache_evicted`, `cache_files_removed`, `cache_pruned`, `cache_budget_exceeded`, `cache_error`. */
  readonly events: EventEmitter<CacheEvents>;
  /**
   * Reads the cache: repositories, revisions, files (sub-folders included), sizes with every blob
   * counted once, last access (the later of the recorded last use and the blobs' times) and last
   * modification. Broken entries are reported as warnings, never thrown. A missing cache folder
   * is an empty cache.
   * @throws CacheError `'unreadable'` when the cache folder exists but cannot be read.
   */
  scan(): Promise<CacheReport>;
  /**
   * Records that a cached model was used now (loaders call it), so LRU eviction keeps it. A ref
   * name (`main`, the default; `HEAD` means `main`) is resolved to the commit it points to in the
   * cache; a ref not in the cache yet is recorded by name and applies to whatever revision it
   * points to when the cache is scanned.
   * @throws InvalidArgumentError for an invalid model id or revision.
   */
  recordUse(modelId: string, revision?: string): Promise<void>;
  /** Counts a cache lookup: a hit (the model was cached) or a miss. Additive across processes. */
  recordLookup(hit: boolean, options?: CacheLookupOptions): Promise<void>;
  /** Hits, misses, hit rate, bytes, evictions: summed over every process sharing the store. */
  statistics(): Promise<CacheStatistics>;
  /**
   * Plans what the strategies would remove, without removing anything (a dry run); call
   * `execute()` on the plan to do it.
   * @throws InvalidArgumentError for invalid options or none of the strategies.
   */
  prune(options: CachePruneOptions): Promise<CachePrunePlan>;
  /** Plans the size budget (LRU eviction, pins kept) and executes it: `prune({ budget }).execute()`. */
  enforceBudget(options?: CacheBudgetOptions): Promise<CachePruneResult>;
  /**
   * Checks every blob's content against its name (sha256 for 64-hex names, the git blob sha1 for
   * 40-hex names), and reports broken links and `*.incomplete` leftovers.
   */
  verify(options?: CacheVerifyOptions): Promise<CacheVerificationReport>;
}

/**
 * Creates a manager of the Hugging Face cache folder (`models--org--name/{blobs,refs,snapshots}`,
 * as `huggingface_hub` and transformers.js write it): scans it, records uses and lookups in a
 * store, plans and executes prunes (size budget by LRU, unused revisions, unused ONNX dtype
 * variants) and verifies blobs. It never removes anything outside the cache folder and never
 * follows a symlink out of it.
 *
 * @example
 * ```ts
 * const cache = createCacheManager({ budgetBytes: 5 * 1024 ** 3, pins: ['Xenova/all-MiniLM-L6-v2'] });
 * await cache.recordUse('Xenova/distilbert-base-uncased-finetuned-sst-2-english');
 * const plan = await cache.prune({ budget: true, unusedDtypes: { keep: ['q8'] } });
 * console.log(plan.expectedFreedBytes, plan.revisions, plan.files);
 * await plan.execute();
 * ```
 * @throws InvalidArgumentError for invalid options.
 */
export function createCacheManager(options: CacheManagerOptions = {}): CacheManager {
  const settings = resolveCacheManagerOptions(options);
  const { directory, budgetBytes, clock } = settings;
  const store = settings.store ?? memoryStore({ clock });
  const events = settings.events ?? new EventEmitter<CacheEvents>();
  /** Executions run one at a time, so two plans never remove the same entries at once. */
  let executions: Promise<unknown> = Promise.resolve();

  const scan = async (): Promise<CacheReport> => {
    const realRoot = await resolveCacheRoot(directory);
    const lastUses = realRoot === undefined ? new Map() : await readLastUses(store);
    return scanCache({ realRoot, directory, lastUses, scannedAt: clock.now() });
  };

  const execute = async (planned: PlannedPrune): Promise<CachePruneResult> => {
    const start = clock.now();
    const realRoot = await resolveCacheRoot(directory);
    const executed: ExecutedPrune =
      realRoot !== undefined && realRoot === planned.directory
        ? await executePrune(planned, realRoot)
        : {
            // The cache folder is gone or now resolves elsewhere: nothing of the plan applies.
            freedBytes: 0,
            removedRevisions: [],
            removedFiles: [],
            removedBlobs: [],
            skipped: [
              ...planned.revisions.map((revision) => revision.snapshotPath),
              ...planned.files.map((file) => file.filePath),
            ].map(
              (entry) => ({ path: entry, reason: realRoot === undefined ? 'missing' : 'changed' }) as const,
            ),
            failures: [],
            freedByRemoval: new Map(),
          };
    let storeError: StoreError | undefined;
    if (executed.removedRevisions.length + executed.removedFiles.length + executed.freedBytes > 0) {
      try {
        await addStatistics(store, {
          evictions: executed.removedRevisions.length,
          removedFiles: executed.removedFiles.length,
          freedBytes: executed.freedBytes,
        });
      } catch (error) {
        storeError = StoreError.isInstance(error)
          ? error
          : new StoreError({
              store: store.name,
              message: 'could not add the cache statistics',
              cause: error,
            });
      }
    }
    const result: CachePruneResult = {
      freedBytes: executed.freedBytes,
      removedRevisions: executed.removedRevisions,
      removedFiles: executed.removedFiles,
      removedBlobs: executed.removedBlobs,
      skipped: executed.skipped,
      budget: planned.budget,
      durationMs: Math.max(0, clock.now() - start),
      storeError,
    };
    emitPruneEvents(events, planned, executed, result);
    events.emit('cache_pruned', { result });
    if (executed.failures.length > 0) {
      const error = new CacheError({
        reason: 'delete-failed',
        directory: planned.directory,
        paths: executed.failures.map((failure) => failure.path),
        message: `${executed.failures.length} entr${executed.failures.length === 1 ? 'y' : 'ies'} could not be removed (the others were): ${executed.failures
          .slice(0, 3)
          .map((failure) => failure.path)
          .join(', ')}`,
        cause: new AggregateError(executed.failures.map((failure) => failure.error)),
      });
      events.emit('cache_error', { error });
      throw error;
    }
    return result;
  };

  const prune = async (pruneOptions: CachePruneOptions): Promise<CachePrunePlan> => {
    const strategies = resolvePruneOptions(pruneOptions, budgetBytes);
    const report = await scan();
    const planned = planPrune(report, { ...strategies, pins: [...settings.parsedPins, ...strategies.pins] });
    let execution: Promise<CachePruneResult> | undefined;
    return Object.freeze({
      directory: planned.directory,
      revisions: planned.revisions,
      files: planned.files,
      blobs: planned.blobs,
      refs: planned.refs,
      sizeBeforeBytes: planned.sizeBeforeBytes,
      expectedFreedBytes: planned.expectedFreedBytes,
      expectedSizeAfterBytes: planned.expectedSizeAfterBytes,
      budget: planned.budget,
      notes: planned.notes,
      execute(): Promise<CachePruneResult> {
        if (execution === undefined) {
          execution = executions.then(() => execute(planned));
          executions = execution.catch(() => undefined);
        }
        return execution;
      },
    });
  };

  return {
    directory,
    budgetBytes,
    pins: settings.pins,
    store,
    events,
    scan,

    async recordUse(modelId: string, revision?: string): Promise<void> {
      assertModelId('modelId', modelId);
      assertRevision('revision', revision);
      const name = revision === undefined || revision === 'HEAD' ? 'main' : revision;
      const time = clock.now();
      const commit = COMMIT_PATTERN.test(name) ? name : await resolveReference(directory, modelId, name);
      await writeLastUse(store, modelId, commit ?? name, time);
    },

    async recordLookup(hit: boolean, lookupOptions: CacheLookupOptions = {}): Promise<void> {
      if (typeof hit !== 'boolean') {
        throw new InvalidArgumentError({ argument: 'hit', value: hit, message: 'must be a boolean' });
      }
      if (lookupOptions === null || typeof lookupOptions !== 'object') {
        throw new InvalidArgumentError({
          argument: 'options',
          value: lookupOptions,
          message: 'must be an object',
        });
      }
      assertKnownKeys('options', lookupOptions, ['sizeBytes']);
      const { sizeBytes = 0 } = lookupOptions;
      assertNumber('options.sizeBytes', sizeBytes, { minimum: 0 });
      await addStatistics(
        store,
        hit ? { hits: 1, hitBytes: sizeBytes } : { misses: 1, missBytes: sizeBytes },
      );
    },

    statistics: () => readStatistics(store),

    prune,

    async enforceBudget(budgetOptions: CacheBudgetOptions = {}): Promise<CachePruneResult> {
      if (budgetOptions === null || typeof budgetOptions !== 'object') {
        throw new InvalidArgumentError({
          argument: 'options',
          value: budgetOptions,
          message: 'must be an object',
        });
      }
      assertKnownKeys('options', budgetOptions, ['budgetBytes', 'pins']);
      const plan = await prune({
        budget: budgetOptions.budgetBytes ?? true,
        ...(budgetOptions.pins === undefined ? {} : { pins: budgetOptions.pins }),
      });
      return plan.execute();
    },

    async verify(verifyOptions: CacheVerifyOptions = {}): Promise<CacheVerificationReport> {
      if (verifyOptions === null || typeof verifyOptions !== 'object') {
        throw new InvalidArgumentError({
          argument: 'options',
          value: verifyOptions,
          message: 'must be an object',
        });
      }
      assertKnownKeys('options', verifyOptions, ['models', 'signal']);
      const { models, signal } = verifyOptions;
      if (models !== undefined && !Array.isArray(models)) {
        throw new InvalidArgumentError({
          argument: 'options.models',
          value: models,
          message: 'must be an array of model ids',
        });
      }
      for (const [index, model] of (models ?? []).entries()) assertModelId(`options.models[${index}]`, model);
      signal?.throwIfAborted();
      const realRoot = await resolveCacheRoot(directory);
      const report = await scanCache({ realRoot, directory, lastUses: new Map(), scannedAt: clock.now() });
      return verifyCache({ report, models: models === undefined ? undefined : new Set(models), signal });
    },
  };
}

/** The commit a ref of a cached model points to, or `undefined` when it is not in the cache. */
async function resolveReference(
  directory: string,
  modelId: string,
  name: string,
): Promise<string | undefined> {
  const realRoot = await resolveCacheRoot(directory).catch(() => undefined);
  if (realRoot === undefined) return undefined;
  const reference = await realPathInside(
    realRoot,
    path.join(realRoot, cacheFolderName(modelId), 'refs', ...name.split('/')),
  );
  if (reference === undefined) return undefined;
  const commit = (await readFile(reference, 'utf8').catch(() => '')).trim();
  return COMMIT_PATTERN.test(commit) ? commit : undefined;
}
