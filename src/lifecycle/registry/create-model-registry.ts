import type { EventEmitter } from 'eventemitter3';
import type { ModelCandidate } from '../../core/model-candidate.js';
import { isTask, type Task } from '../../core/task.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import { ModelRegistryError } from '../../errors/registry-error.js';
import { candidateFromString } from '../../evaluation/evaluator/resolve-candidate.js';
import { isLoadedModel } from '../../evaluation/is-loaded-model.js';
import type { LoadedModel } from '../../evaluation/spec.js';
import { dtypeChoices } from './dtype-choices.js';
import { createFlight, type LoadFlight, leasesWaiting, settleWaiters, waitForFlight } from './load-flight.js';
import type { ModelLease } from './model-lease.js';
import type {
  ModelRegistry,
  ModelRegistryRequest,
  RegistryModelFilter,
  RegistryTrimLimits,
} from './model-registry.js';
import {
  evictionsFor,
  type LoadPlan,
  planLoad,
  type RegistryLimits,
  type RegistryUsage,
} from './plan-load.js';
import type { RegisteredModel } from './registered-model.js';
import type { RegistryEntry } from './registry-entry.js';
import type { ModelRegistryEvents, ModelUnloadReason } from './registry-events.js';
import { type ModelLoader, type ModelRegistryOptions, resolveRegistryOptions } from './registry-options.js';
import type { ModelRegistryStatistics } from './registry-statistics.js';

/** No models and no bytes: what `enforceLimits` adds to the current usage. */
const NOTHING: RegistryUsage = Object.freeze({ count: 0, bytes: 0 });

const modelOf = (entry: RegistryEntry): LoadedModel => entry.model;

function measuredBytes(model: LoadedModel): number | undefined {
  const bytes = model.memoryBytes;
  return typeof bytes === 'number' && Number.isFinite(bytes) && bytes >= 0 ? bytes : undefined;
}

/** `model.dispose()`, resolving to what it rejected with (or `undefined`), never rejecting. */
async function disposeQuietly(model: LoadedModel): Promise<{ error: unknown } | undefined> {
  try {
    await model.dispose();
    return undefined;
  } catch (error) {
    return { error };
  }
}

/**
 * Creates a registry of loaded models bounded by a model count and a memory budget.
 *
 * - **Hits** (`getOrLoad` of a loaded model) answer an already-resolved promise without
 *   allocating: a map lookup and a recency update.
 * - **Single flight**: concurrent requests for the same id, task and dtype share one load (a
 *   request without a dtype joins any load of the id and task). Each caller's `signal` only stops
 *   its own wait; the last one aborting abandons the load, and whatever it loads is disposed.
 * - **Memory**: before a load, the candidate's estimate (`estimateMemoryBytes`: its ONNX files of
 *   the dtype × 1.5) must fit beside the models in use and the loads in flight; idle models are
 *   unloaded, least recently used first, to make room. Once loaded, the model's own `memoryBytes`
 *   (transformers.js measures it) replaces the estimate, and idle models are unloaded if the
 *   measurement went over the budget. A model whose measured memory alone exceeds the budget is
 *   handed out all the same, and unloaded once idle when a later load or release needs the room.
 * - **Dtype choice**: a request without a dtype loads the first of `dtypePreference` that the
 *   candidate has and whose estimate fits; when none fits, a `ModelRegistryError` (`'too-large'`
 *   when none would fit even alone, `'no-room'` when models in use hold the memory).
 * - **In use**: models pinned by `acquire()` leases or `use()` are never unloaded to make room.
 * - **Events** are emitted once the registry's state and its callers are settled. What a
 *   `model_loaded`, `model_load_failed` or `model_unloaded` listener throws is ignored: it cannot
 *   fail a load, an `unload()` or a `trim()`, nor leave a rejection nobody handles.
 *
 * @example
 * ```ts
 * const registry = createModelRegistry({
 *   runners: [transformersJsRunner()],
 *   provider: localDirectory({ root: './models' }),
 *   maxMemoryBytes: 2e9,
 * });
 * const scores = await registry.use('my-org/classifier', { task: 'text-classification' },
 *   (model) => model.predict(['great film']));
 * ```
 *
 * @throws {InvalidArgumentError} for invalid options (neither or both of `runners` and `load`,
 *   a `maxModels` below 1, an empty `dtypePreference`, an unknown option).
 */
export function createModelRegistry(options: ModelRegistryOptions): ModelRegistry {
  const settings = resolveRegistryOptions(options);
  const { clock, events, maxModels, maxMemoryBytes, dtypePreference, provider } = settings;
  const limits: RegistryLimits = { maxModels, maxMemoryBytes };

  /** Entries handed out, by model id (each list sorted by dtype preference). */
  const byId = new Map<string, RegistryEntry[]>();
  /** Every entry accounted for: those handed out and those `unload()` waits to dispose. */
  const held = new Set<RegistryEntry>();
  /** Loads not settled yet, abandoned or not (their estimates stay reserved until they settle). */
  const flights = new Set<LoadFlight>();
  /** Disposals not settled yet. */
  const disposals = new Set<Promise<void>>();
  let heldBytes = 0;
  let useCounter = 0;
  let closed = false;
  let closing: Promise<void> | undefined;
  let hits = 0;
  let misses = 0;
  let loads = 0;
  let loadFailures = 0;
  let evictions = 0;
  let explicitUnloads = 0;

  const rankOf = (dtype: string | undefined): number => {
    const index = dtype === undefined ? -1 : dtypePreference.indexOf(dtype);
    return index === -1 ? dtypePreference.length : index;
  };

  /** The entry handed out for `id`, `task` (any when undefined) and `dtype` (the most preferred when undefined). */
  function find(id: string, task: Task | undefined, dtype: string | undefined): RegistryEntry | undefined {
    const entries = byId.get(id);
    if (entries === undefined) return undefined;
    for (let index = 0; index < entries.length; index++) {
      const entry = entries[index]!;
      if ((task === undefined || entry.task === task) && (dtype === undefined || entry.dtype === dtype)) {
        return entry;
      }
    }
    return undefined;
  }

  function findFlight(id: string, task: Task, dtype: string | undefined): LoadFlight | undefined {
    for (const flight of flights) {
      if (
        !flight.abandoned &&
        flight.id === id &&
        flight.task === task &&
        (dtype === undefined || flight.dtype === dtype)
      ) {
        return flight;
      }
    }
    return undefined;
  }

  function touch(entry: RegistryEntry): void {
    entry.recency = ++useCounter;
    entry.lastUsed = clock.now();
  }

  /** Emits an event; what a listener throws is ignored (the registry's state is already settled). */
  function notify<Name extends keyof ModelRegistryEvents>(
    name: Name,
    event: ModelRegistryEvents[Name][0],
  ): void {
    try {
      (events as unknown as EventEmitter).emit(name, event);
    } catch {
      // A listener's error is its own: the load, unload or trim it reports went through.
    }
  }

  function closedError(modelId: string): ModelRegistryError {
    return new ModelRegistryError({ modelId, reason: 'closed', message: 'the registry is closed' });
  }

  function removeFromLookup(entry: RegistryEntry): void {
    const entries = byId.get(entry.id);
    const index = entries?.indexOf(entry) ?? -1;
    if (index === -1) return;
    entries!.splice(index, 1);
    if (entries!.length === 0) byId.delete(entry.id);
  }

  function trackDisposal(disposal: Promise<void>): Promise<void> {
    disposals.add(disposal);
    const forget = () => {
      disposals.delete(disposal);
    };
    disposal.then(forget, forget);
    return disposal;
  }

  /** Forgets `entry` now (its memory is released from the accounting) and disposes it. */
  function unloadEntry(entry: RegistryEntry, reason: ModelUnloadReason): Promise<void> {
    removeFromLookup(entry);
    if (!held.delete(entry)) return Promise.resolve();
    heldBytes -= entry.memoryBytes;
    if (reason === 'explicit') explicitUnloads++;
    else evictions++;
    return trackDisposal(
      disposeQuietly(entry.model).then((failure) => {
        notify('model_unloaded', {
          modelId: entry.id,
          task: entry.task,
          dtype: entry.dtype,
          memoryBytes: entry.memoryBytes,
          reason,
          ...failure,
        });
      }),
    );
  }

  /** Idle entries (not pinned), least recently used first. */
  function idleEntries(except?: RegistryEntry): RegistryEntry[] {
    const idle: RegistryEntry[] = [];
    for (const entry of held) if (entry.pins === 0 && entry !== except) idle.push(entry);
    return idle.sort((left, right) => left.recency - right.recency);
  }

  function activeFlightCount(): number {
    let count = 0;
    for (const flight of flights) if (!flight.abandoned) count++;
    return count;
  }

  function reservedBytes(): number {
    let bytes = 0;
    for (const flight of flights) bytes += flight.estimate ?? 0;
    return bytes;
  }

  /**
   * Unloads idle models (except `protect`), least recently used first, while the registry is over
   * its limits: after a load measured more than its estimate, or a release.
   */
  function enforceLimits(protect?: RegistryEntry): void {
    const now = usage();
    if (now.count <= maxModels && now.bytes <= maxMemoryBytes) return;
    for (const [entry, reason] of evictionsFor(idleEntries(protect), now, NOTHING, limits)) {
      void unloadEntry(entry, reason);
    }
  }

  /** What the registry holds now: its models and loads in flight, their bytes and reservations. */
  function usage(): RegistryUsage {
    return { count: held.size + activeFlightCount(), bytes: heldBytes + reservedBytes() };
  }

  function loaderFor(candidate: ModelCandidate, task: Task): ModelLoader {
    if (settings.load !== undefined) return settings.load;
    const runner = settings.runners!.find((each) => each.supports(candidate, task));
    if (runner === undefined) {
      throw new ModelRegistryError({
        modelId: candidate.id,
        reason: 'no-runner',
        message: `none of the runners (${settings.runners!.map((each) => each.name).join(', ') || 'none'}) supports it for ${task}`,
      });
    }
    return (loadCandidate, loadTask, loadOptions) => runner.load(loadCandidate, loadTask, loadOptions);
  }

  function onLoaded(flight: LoadFlight, model: LoadedModel): void {
    flights.delete(flight);
    if (flight.abandoned) {
      void trackDisposal(disposeQuietly(model).then(() => undefined));
      return;
    }
    const measured = measuredBytes(model);
    const dtype = typeof model.dtype === 'string' ? model.dtype : flight.dtype;
    const entry: RegistryEntry = {
      id: flight.id,
      task: flight.task,
      dtype,
      model,
      resolved: Promise.resolve(model),
      rank: rankOf(dtype),
      estimatedMemoryBytes: flight.estimate,
      memoryBytes: measured ?? flight.estimate ?? 0,
      measured: measured !== undefined,
      pins: leasesWaiting(flight),
      lastUsed: 0,
      recency: 0,
      unloadPending: false,
    };
    touch(entry);
    held.add(entry);
    heldBytes += entry.memoryBytes;
    const entries = byId.get(entry.id);
    if (entries === undefined) byId.set(entry.id, [entry]);
    else {
      const index = entries.findIndex((other) => other.rank > entry.rank);
      entries.splice(index === -1 ? entries.length : index, 0, entry);
    }
    loads++;
    settleWaiters(flight, { entry });
    enforceLimits(entry);
    notify('model_loaded', {
      modelId: entry.id,
      task: entry.task,
      dtype,
      memoryBytes: entry.memoryBytes,
      estimatedMemoryBytes: flight.estimate,
      loadMs: clock.now() - flight.startedAt,
    });
  }

  function onFailed(flight: LoadFlight, error: unknown): void {
    flights.delete(flight);
    if (flight.abandoned) return;
    loadFailures++;
    const failure = new ModelRegistryError({
      modelId: flight.id,
      reason: 'load-failed',
      message: `loading ${flight.dtype ?? 'it'} for ${flight.task} failed: ${error instanceof Error ? error.message : String(error)}`,
      cause: error,
    });
    settleWaiters(flight, { error: failure });
    notify('model_load_failed', {
      modelId: flight.id,
      task: flight.task,
      dtype: flight.dtype,
      error: failure,
    });
  }

  function startFlight(
    candidate: ModelCandidate,
    task: Task,
    loader: ModelLoader,
    chosen: LoadPlan,
  ): LoadFlight {
    const unloading = chosen.evictions.map(([entry, reason]) => unloadEntry(entry, reason));
    const flight = createFlight({
      id: candidate.id,
      task,
      dtype: chosen.dtype,
      estimate: chosen.estimate,
      startedAt: clock.now(),
    });
    flights.add(flight);
    const { signal } = flight.controller;
    const loading = (async () => {
      // Loading only once the evicted models released their memory keeps the peak within the budget.
      if (unloading.length > 0) await Promise.allSettled(unloading);
      signal.throwIfAborted();
      const model = await loader(candidate, task, {
        ...(chosen.dtype === undefined ? {} : { dtype: chosen.dtype }),
        signal,
      });
      if (!isLoadedModel(model))
        throw new TypeError('the load resolved to something that is not a LoadedModel');
      return model;
    })();
    flight.settled = loading.then(
      (model) => onLoaded(flight, model),
      (error: unknown) => onFailed(flight, error),
    );
    return flight;
  }

  function assertRequest(request: ModelRegistryRequest): void {
    if (request === null || typeof request !== 'object') {
      throw new InvalidArgumentError({
        argument: 'request',
        value: request,
        message: 'must be an object with a task',
      });
    }
    if (!isTask(request.task)) {
      throw new InvalidArgumentError({
        argument: 'request.task',
        value: request.task,
        message: 'must be a task of the @huggingface/tasks taxonomy',
      });
    }
    if (request.dtype !== undefined && (typeof request.dtype !== 'string' || request.dtype.length === 0)) {
      throw new InvalidArgumentError({
        argument: 'request.dtype',
        value: request.dtype,
        message: 'must be a non-empty string',
      });
    }
  }

  function modelIdOf(model: ModelCandidate | string): string {
    const id = typeof model === 'string' ? model : model?.id;
    if (typeof id !== 'string' || id.length === 0) {
      throw new InvalidArgumentError({
        argument: 'model',
        value: model,
        message: 'must be a model id or a ModelCandidate with an id',
      });
    }
    return id;
  }

  async function resolveCandidate(model: ModelCandidate | string, signal: AbortSignal | undefined) {
    if (typeof model !== 'string') return model;
    const found = provider === undefined ? undefined : await provider.getModel(model, { signal });
    return found ?? candidateFromString(model);
  }

  /** The miss path: joins the load in flight, or plans and starts one. */
  async function load(
    model: ModelCandidate | string,
    request: ModelRegistryRequest,
    pin: boolean,
  ): Promise<RegistryEntry> {
    assertRequest(request);
    let id = modelIdOf(model);
    const { task, dtype, signal } = request;
    signal?.throwIfAborted();
    if (closed) throw closedError(id);
    misses++;
    let flight = findFlight(id, task, dtype);
    if (flight === undefined) {
      const candidate = await resolveCandidate(model, signal);
      signal?.throwIfAborted();
      if (closed) throw closedError(id);
      id = candidate.id;
      // Loaded or started by another caller while the candidate was looked up.
      const entry = find(id, task, dtype);
      if (entry !== undefined) {
        if (pin) entry.pins++;
        touch(entry);
        return entry;
      }
      flight = findFlight(id, task, dtype);
      if (flight === undefined) {
        const loader = loaderFor(candidate, task);
        const choices = dtypeChoices(candidate, dtype, dtypePreference);
        const chosen = planLoad(id, task, choices, idleEntries(), usage(), limits);
        flight = startFlight(candidate, task, loader, chosen);
      }
    }
    return waitForFlight(flight, signal, pin);
  }

  function unpin(entry: RegistryEntry): void {
    entry.pins--;
    if (!entry.unloadPending) touch(entry);
    if (entry.pins > 0) return;
    if (entry.unloadPending) void unloadEntry(entry, 'explicit');
    else enforceLimits();
  }

  function leaseOf(entry: RegistryEntry): ModelLease {
    let released = false;
    return {
      model: entry.model,
      release() {
        if (released) return;
        released = true;
        if (held.has(entry)) unpin(entry);
      },
    };
  }

  /** The hit path: the entry handed out for a valid, unaborted request, else `undefined`. */
  function lookup(model: ModelCandidate | string, request: ModelRegistryRequest): RegistryEntry | undefined {
    if (closed || request?.task === undefined || request.signal?.aborted === true) return undefined;
    const id = typeof model === 'string' ? model : model?.id;
    return id === undefined ? undefined : find(id, request.task, request.dtype);
  }

  const registry: ModelRegistry = {
    events,

    getOrLoad(model, request) {
      const entry = lookup(model, request);
      if (entry !== undefined) {
        hits++;
        touch(entry);
        return entry.resolved;
      }
      return load(model, request, false).then(modelOf);
    },

    acquire(model, request) {
      const entry = lookup(model, request);
      if (entry !== undefined) {
        hits++;
        entry.pins++;
        touch(entry);
        return Promise.resolve(leaseOf(entry));
      }
      return load(model, request, true).then(leaseOf);
    },

    async use(model, request, run) {
      if (typeof run !== 'function') {
        throw new InvalidArgumentError({ argument: 'run', value: run, message: 'must be a function' });
      }
      const lease = await registry.acquire(model, request);
      try {
        return await run(lease.model);
      } finally {
        lease.release();
      }
    },

    peek(id, filter) {
      return find(id, filter?.task, filter?.dtype)?.model;
    },

    async unload(id, filter?: RegistryModelFilter) {
      const matching = (byId.get(id) ?? []).filter(
        (entry) =>
          (filter?.task === undefined || entry.task === filter.task) &&
          (filter?.dtype === undefined || entry.dtype === filter.dtype),
      );
      const disposing: Promise<void>[] = [];
      for (const entry of matching) {
        if (entry.pins > 0) {
          entry.unloadPending = true;
          removeFromLookup(entry);
        } else disposing.push(unloadEntry(entry, 'explicit'));
      }
      await Promise.all(disposing);
      return matching.length > 0;
    },

    async trim(limits: RegistryTrimLimits = {}) {
      const everything = limits.maxModels === undefined && limits.maxMemoryBytes === undefined;
      const keepModels = limits.maxModels ?? (everything ? 0 : Number.POSITIVE_INFINITY);
      const keepBytes = limits.maxMemoryBytes ?? (everything ? 0 : Number.POSITIVE_INFINITY);
      for (const [argument, value] of [
        ['limits.maxModels', keepModels],
        ['limits.maxMemoryBytes', keepBytes],
      ] as const) {
        if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
          throw new InvalidArgumentError({ argument, value, message: 'must be a number ≥ 0' });
        }
      }
      let count = held.size;
      let bytes = heldBytes;
      const disposing: Promise<void>[] = [];
      for (const entry of idleEntries()) {
        if (count <= keepModels && bytes <= keepBytes) break;
        count--;
        bytes -= entry.memoryBytes;
        disposing.push(unloadEntry(entry, 'lru'));
      }
      await Promise.all(disposing);
      return disposing.length;
    },

    list() {
      return [...held]
        .sort((left, right) => right.recency - left.recency)
        .map(
          (entry): RegisteredModel => ({
            id: entry.id,
            task: entry.task,
            dtype: entry.dtype,
            memoryBytes: entry.memoryBytes,
            estimatedMemoryBytes: entry.estimatedMemoryBytes,
            measured: entry.measured,
            lastUsed: entry.lastUsed,
            inUse: entry.pins > 0,
            leases: entry.pins,
            unloadPending: entry.unloadPending,
          }),
        );
    },

    statistics(): ModelRegistryStatistics {
      let modelsInUse = 0;
      for (const entry of held) if (entry.pins > 0) modelsInUse++;
      return {
        hits,
        misses,
        loads,
        loadFailures,
        evictions,
        explicitUnloads,
        models: held.size,
        modelsInUse,
        loading: activeFlightCount(),
        memoryBytes: heldBytes,
        reservedMemoryBytes: reservedBytes(),
        maxModels,
        maxMemoryBytes,
      };
    },

    close() {
      closing ??= (async () => {
        closed = true;
        for (const flight of flights) {
          if (flight.abandoned) continue;
          flight.abandoned = true;
          const error = closedError(flight.id);
          settleWaiters(flight, { error });
          flight.controller.abort(error);
        }
        for (const entry of [...held]) void unloadEntry(entry, 'explicit');
        while (flights.size > 0 || disposals.size > 0) {
          await Promise.allSettled([...[...flights].map((flight) => flight.settled), ...disposals]);
        }
      })();
      return closing;
    },
  };
  return registry;
}
