import { EventEmitter } from 'eventemitter3';
import { assertArmIds, assertKnownKeys, assertNumber } from './core/validate.js';
import type { DiscoveryOptions } from './discovery/service/discovery-options.js';
import type {
  DiscoverOptions,
  DiscoveryQuery,
  DiscoveryResult,
} from './discovery/service/discovery-result.js';
import { type DiscoveryService, setUpDiscoveryService } from './discovery/service/discovery-service.js';
import type { ModelProvider } from './discovery/spec.js';
import { InvalidArgumentError } from './errors/invalid-argument-error.js';
import { UnknownArmError } from './errors/unknown-arm-error.js';
import type { DiscoveryEvents, ScoutEvents } from './events.js';
import type { Context } from './selection/context.js';
import {
  assertReward,
  SELECTOR_OPTION_KEYS,
  type SelectorOptions,
  setUpSelector,
} from './selection/create-selector.js';
import { runSelectOptimal } from './selection/select-optimal.js';
import type { SelectedModels, SelectionRequest } from './selection/selected-models.js';
import type { Store } from './store/spec.js';

/** Options of {@link createScout}: the selection engine's options (see {@link SelectorOptions}). */
export interface ScoutOptions extends Omit<SelectorOptions, 'arms'> {
  /**
   * Models whose outcomes are accepted before they are offered to `selectOptimal` (e.g. in a
   * worker that only records outcomes). @default []
   */
  readonly models?: readonly string[];
  /**
   * Where `discover` finds models: the Hugging Face Hub, the local cache, Ollama, catalogs…
   * (each with a distinct name). @default [] (discover finds nothing)
   */
  readonly providers?: readonly ModelProvider[];
  /**
   * Options of the discovery service: concurrency, timeouts, cache TTL… (see
   * {@link DiscoveryOptions}). It reads time from the scout's `clock`.
   * @default DISCOVERY_DEFAULTS
   */
  readonly discovery?: Omit<DiscoveryOptions, 'providers' | 'clock'>;
}

/** What happened when a model served a request. */
export interface Outcome {
  /** The model that served it. */
  readonly modelId: string;
  /** The request's context, as given to `selectOptimal`. */
  readonly context?: Context;
  /** Whether it succeeded; learned as quality 1 or 0 when `quality` is not given. */
  readonly success?: boolean;
  /** Quality of the result in [0, 1] (wins over `success`). */
  readonly quality?: number;
  /** Time it took, in milliseconds. */
  readonly latencyMs?: number;
  /** What it cost, in US dollars. */
  readonly costUsd?: number;
  /** The failure, if it failed; learned as quality 0 unless `quality` or `success` say otherwise. */
  readonly error?: unknown;
}

/** The modelscout facade: what a host application composes. */
export interface Scout {
  /**
   * Chooses the model for one request among `candidates`: hard constraints, then the bandit
   * strategy on the objective's utility in the request's context. Throws
   * `NoFeasibleCandidateError` when constraints remove every candidate and
   * `ContradictoryConstraintsError` when they cannot be met together.
   */
  selectOptimal(request: SelectionRequest): Promise<SelectedModels>;
  /** Learns from what happened when a model served a request. */
  recordOutcome(outcome: Outcome): Promise<void>;
  /**
   * Finds models across the scout's `providers`: the candidates matching `query` (structured
   * filters, free text, sort, pagination), merged across providers, with facets and the
   * per-provider errors. See {@link DiscoveryService.discover}.
   */
  discover(query?: DiscoveryQuery, options?: DiscoverOptions): Promise<DiscoveryResult>;
  /** The discovery service behind `discover`: `getModel`, `refresh`, `knownModels`, `clearCache`. */
  readonly discovery: DiscoveryService;
  /**
   * `selection`, `outcome`, `store_error`, `store_recovered`, and discovery's `model_added`,
   * `model_updated`, `model_removed`, `provider_started`, `provider_finished`.
   */
  readonly events: EventEmitter<ScoutEvents>;
  /** The store holding what it learned. */
  readonly store: Store;
  /** Writes outcomes queued while the store was failing. */
  flush(): Promise<void>;
  /** Re-reads the store, picking up what other processes learned. */
  refresh(): Promise<void>;
}

const OUTCOME_KEYS = ['modelId', 'context', 'success', 'quality', 'latencyMs', 'costUsd', 'error'];

/**
 * Creates a scout: the facade over selection (and, as they land, discovery, evaluation and
 * lifecycle). Everything it learns is additive statistics in `options.store`.
 *
 * @example
 * ```ts
 * const scout = createScout({ seed: 1 });
 * const { primary } = await scout.selectOptimal({ candidates: ['small', 'large'], objective: { quality: 1, latencyMs: 0.001 } });
 * await scout.recordOutcome({ modelId: primary.id, success: true, latencyMs: 120 });
 * ```
 */
export function createScout(options: ScoutOptions = {}): Scout {
  const events = new EventEmitter<ScoutEvents>();
  if (options !== null && typeof options === 'object') {
    assertKnownKeys('options', options, [
      ...SELECTOR_OPTION_KEYS.filter((key) => key !== 'arms'),
      'models',
      'providers',
      'discovery',
    ]);
  }
  const { models, providers = [], discovery: discoveryOptions = {}, ...selectorOptions } = options;
  if (models !== undefined) assertArmIds(models, 'options.models');
  const setup = setUpSelector(
    models === undefined ? selectorOptions : { ...selectorOptions, arms: models },
    'options',
    events,
  );
  const { state, parser, strategy } = setup;
  if (discoveryOptions === null || typeof discoveryOptions !== 'object') {
    throw new InvalidArgumentError({
      argument: 'options.discovery',
      value: discoveryOptions,
      message: 'must be an object',
    });
  }
  if ('providers' in discoveryOptions || 'clock' in discoveryOptions) {
    throw new InvalidArgumentError({
      argument: 'options.discovery',
      value: Object.keys(discoveryOptions),
      message: 'takes neither providers nor clock: pass them as options.providers and options.clock',
    });
  }
  const discovery = setUpDiscoveryService(
    {
      ...discoveryOptions,
      providers,
      ...(selectorOptions.clock === undefined ? {} : { clock: selectorOptions.clock }),
    },
    // The scout's emitter carries discovery's events too (ScoutEvents extends DiscoveryEvents).
    events as unknown as EventEmitter<DiscoveryEvents>,
    { options: 'options.discovery', providers: 'options.providers' },
  );

  async function selectOptimal(request: SelectionRequest): Promise<SelectedModels> {
    const selected = await runSelectOptimal(setup, request);
    if (events.listenerCount('selection') > 0) {
      events.emit('selection', {
        modelId: selected.primary.id,
        fallbacks: selected.fallbacks.map((candidate) => candidate.id),
        context: request.context,
        explored: selected.decision === 'explore',
      });
    }
    return selected;
  }

  async function recordOutcome(outcome: Outcome): Promise<void> {
    if (outcome === null || typeof outcome !== 'object') {
      throw new InvalidArgumentError({ argument: 'outcome', value: outcome, message: 'must be an object' });
    }
    assertKnownKeys('outcome', outcome, OUTCOME_KEYS);
    const { modelId, success, quality, latencyMs, costUsd, error } = outcome;
    if (typeof modelId !== 'string' || modelId.length === 0) {
      throw new InvalidArgumentError({
        argument: 'outcome.modelId',
        value: modelId,
        message: 'must be a non-empty string',
      });
    }
    if (success !== undefined && typeof success !== 'boolean') {
      throw new InvalidArgumentError({
        argument: 'outcome.success',
        value: success,
        message: 'must be a boolean',
      });
    }
    if (quality !== undefined) assertReward(strategy, quality, 'outcome.quality');
    if (latencyMs !== undefined) assertNumber('outcome.latencyMs', latencyMs, { minimum: 0 });
    if (costUsd !== undefined) assertNumber('outcome.costUsd', costUsd, { minimum: 0 });
    const reward = quality ?? (success !== undefined ? Number(success) : error !== undefined ? 0 : undefined);
    if (reward === undefined && latencyMs === undefined && costUsd === undefined) {
      throw new InvalidArgumentError({
        argument: 'outcome',
        value: undefined,
        message: 'has nothing to learn: give quality, success, error, latencyMs or costUsd',
      });
    }
    const context = parser.parse(outcome.context);
    const loading = state.ready();
    if (loading !== undefined) await loading;
    if (!state.knows(modelId)) throw new UnknownArmError({ armId: modelId });
    await state.record(modelId, context, { reward, latencyMs, costUsd }, context.features);
    if (events.listenerCount('outcome') > 0) {
      events.emit('outcome', {
        modelId,
        context: outcome.context,
        reward,
        latencyMs,
        costUsd,
        error: error === undefined ? undefined : error instanceof Error ? error.message : String(error),
      });
    }
  }

  return {
    selectOptimal,
    recordOutcome,
    discover: (query, discoverOptions) => discovery.discover(query, discoverOptions),
    discovery,
    events,
    store: setup.store,
    flush: () => state.flush(),
    refresh: () => state.refresh(),
  };
}

let defaultScout: Scout | undefined;

/** The scout behind the package-level {@link selectOptimal} and {@link recordOutcome} (in memory, created on first use). */
export function getDefaultScout(): Scout {
  defaultScout ??= createScout();
  return defaultScout;
}

/**
 * Chooses the model for one request with the package's default scout (in-memory learning).
 * Hosts that persist or share what is learned create their own with {@link createScout}.
 */
export function selectOptimal(request: SelectionRequest): Promise<SelectedModels> {
  return getDefaultScout().selectOptimal(request);
}

/** Learns from an outcome with the package's default scout (see {@link selectOptimal}). */
export function recordOutcome(outcome: Outcome): Promise<void> {
  return getDefaultScout().recordOutcome(outcome);
}
