import { EventEmitter } from 'eventemitter3';
import { type Clock, systemClock } from './clock/clock.js';
import type { ModelScore } from './core/model-score.js';
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
import { StoreError } from './errors/store-error.js';
import { UnknownArmError } from './errors/unknown-arm-error.js';
import {
  createEvaluator,
  type Evaluator,
  highResolutionClock,
} from './evaluation/evaluator/create-evaluator.js';
import type { EvaluationSettings } from './evaluation/evaluator/evaluation-defaults.js';
import type { EvaluationHistoryOptions } from './evaluation/evaluator/evaluation-history.js';
import type { EvaluateOptions, EvaluationRequest } from './evaluation/evaluator/evaluation-request.js';
import type { EvaluationScore } from './evaluation/evaluator/evaluation-score.js';
import { type WarmStartObservations, warmStartObservations } from './evaluation/evaluator/warm-start.js';
import type { InferenceRunner } from './evaluation/spec.js';
import type { DiscoveryEvents, EvaluationEvents, ScoutEvents } from './events.js';
import { type History, setUpHistory } from './history/history.js';
import type { HistoryOptions } from './history/history-options.js';
import { createLifecycle } from './lifecycle/create-lifecycle.js';
import type { LifecycleOptions } from './lifecycle/lifecycle-options.js';
import type { Lifecycle } from './lifecycle/spec.js';
import { seededRandom } from './random/seeded-random.js';
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
import { sqliteStore } from './store/sqlite-store.js';

/** Options of {@link createScout}: the selection engine's options (see {@link SelectorOptions}). */
export interface ScoutOptions extends Omit<SelectorOptions, 'arms'> {
  /**
   * A database file for the embedded persistent store: the scout opens `sqliteStore({ path })`
   * (created when missing; its directory must exist), so what it learns survives restarts and is
   * shared by every process opening the same file. `scout.close()` closes it. Give either `path`
   * or `store`, not both. @default none (`store`, else in memory)
   */
  readonly path?: string;
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
  /**
   * What `evaluate` runs candidates with: each candidate gets the first runner whose
   * `supports(candidate, task)` is true. @default [] (candidates must name their runner)
   */
  readonly runners?: readonly InferenceRunner[];
  /**
   * Overrides of the evaluation defaults (budget, sample cap, batch size, race options…; see
   * `EVALUATION_DEFAULTS`). Evaluations read time from the scout's `clock` when one is
   * given, else from a sub-millisecond clock, and keep their history in the scout's `store`.
   * @default EVALUATION_DEFAULTS
   */
  readonly evaluation?: EvaluationSettings;
  /**
   * Options of `scout.lifecycle` (downloads, cache, loaded models, fallbacks, upkeep; see
   * {@link LifecycleOptions}). It shares the scout's store, namespace, clock, runners (unless
   * given here), discovery (for re-discovery) and `recordOutcome` (for `withFallback`).
   * @default {} (created on first use of `scout.lifecycle`)
   */
  readonly lifecycle?: Omit<
    LifecycleOptions,
    'store' | 'namespace' | 'clock' | 'recordOutcome' | 'discovery'
  >;
  /**
   * What `scout.history` records besides the bandit statistics (the performance time series,
   * the outcome log, model records) and how long it is kept (see {@link HistoryOptions}).
   * @default HISTORY_DEFAULTS
   */
  readonly history?: HistoryOptions;
}

/** Options of {@link Scout.warmStart}. */
export interface WarmStartOptions {
  /**
   * Most pseudo-observations one score adds: min(samples, weight), split into successes and
   * failures by its quality (see `warmStartObservations`).
   * @default EVALUATION_DEFAULTS.warmStartWeight (20)
   */
  readonly weight?: number;
  /** The context the observations belong to (as given to `selectOptimal`). @default no context */
  readonly context?: Context;
}

/** Options of {@link Scout.evaluate}. */
export interface ScoutEvaluateOptions extends EvaluateOptions {
  /**
   * Feed the measured successes and failures into the learning state afterwards
   * ({@link Scout.warmStart}); `true` uses the default weight. @default false
   */
  readonly warmStart?: boolean | WarmStartOptions;
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
   * `selection`, `outcome`, `store_error`, `store_recovered`; discovery's `model_added`,
   * `model_updated`, `model_removed`, `provider_started`, `provider_finished`; evaluation's
   * `evaluation_started`, `evaluation_progress`, `candidate_eliminated`, `evaluation_finished`;
   * and the history's `history_error`.
   */
  readonly events: EventEmitter<ScoutEvents>;
  /**
   * Evaluates candidates on labeled data with the scout's `runners` (see {@link Evaluator.evaluate}):
   * one score per candidate, kept in the store's history; with `warmStart`, also learned as
   * outcomes.
   */
  evaluate<Input, Label>(
    request: EvaluationRequest<Input, Label>,
    options?: ScoutEvaluateOptions,
  ): Promise<EvaluationScore[]>;
  /**
   * Learns from measured scores as if they were outcomes: per score, min(samples, weight)
   * pseudo-observations of quality 1 (successes) and 0 (failures) in the proportion of its
   * quality. They are recorded like `recordOutcome`'s, as increments of the additive statistics,
   * so they merge across processes sharing the store. Resolves to what was added per model.
   */
  warmStart(scores: readonly ModelScore[], options?: WarmStartOptions): Promise<WarmStartObservations[]>;
  /** The stored evaluations of `modelId`, newest first (optionally of one revision or task). */
  getEvaluationHistory(modelId: string, options?: EvaluationHistoryOptions): Promise<EvaluationScore[]>;
  /** The evaluator behind `evaluate`. */
  readonly evaluator: Evaluator;
  /**
   * Downloads, cache, loaded models, fallbacks with circuit breakers and scheduled upkeep (see
   * {@link Lifecycle}); created on first use, with its own `events`.
   */
  readonly lifecycle: Lifecycle;
  /** The store holding what it learned. */
  readonly store: Store;
  /**
   * Structured records and the queries over them: performance time series, evaluation results,
   * model records, availability, the outcome log, retention (see {@link History}).
   */
  readonly history: History;
  /**
   * Writes outcomes queued while the store was failing (statistics and performance increments)
   * and the outcome log's buffered entries.
   */
  flush(): Promise<void>;
  /** Re-reads the store, picking up what other processes learned. */
  refresh(): Promise<void>;
  /**
   * Closes the lifecycle (when it was created; its upkeep stops first), writes what is queued,
   * then closes the store the scout opened from `path`. A store passed as `store` is the host's
   * to close. Rejects with a retryable `StoreError` when queued increments cannot be written:
   * the store is then left open, and `close()` may be called again to retry.
   */
  close(): Promise<void>;
}

const OUTCOME_KEYS = ['modelId', 'context', 'success', 'quality', 'latencyMs', 'costUsd', 'error'];
const WARM_START_KEYS = ['weight', 'context'];

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
      'runners',
      'evaluation',
      'lifecycle',
      'path',
      'history',
    ]);
  }
  const {
    path,
    models,
    providers = [],
    discovery: discoveryOptions = {},
    runners = [],
    evaluation: evaluationDefaults,
    lifecycle: lifecycleOptions = {},
    history: historyOptions,
    ...selectorOptions
  } = options;
  if (models !== undefined) assertArmIds(models, 'options.models');
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
  if (lifecycleOptions === null || typeof lifecycleOptions !== 'object') {
    throw new InvalidArgumentError({
      argument: 'options.lifecycle',
      value: lifecycleOptions,
      message: 'must be an object',
    });
  }
  for (const shared of ['store', 'namespace', 'clock', 'recordOutcome', 'discovery']) {
    if (shared in lifecycleOptions) {
      throw new InvalidArgumentError({
        argument: `options.lifecycle.${shared}`,
        value: Object.keys(lifecycleOptions),
        message: "is the scout's own: pass it to createScout",
      });
    }
  }
  const ownStore = openOwnStore(path, selectorOptions);
  // The rest validates options too: a refusal closes the store just opened.
  const { setup, historySetup, discovery, evaluator } = closingOnFailure(ownStore, () => {
    const setup = setUpSelector(
      {
        ...selectorOptions,
        ...(models === undefined ? {} : { arms: models }),
        ...(ownStore === undefined ? {} : { store: ownStore }),
      },
      'options',
      events,
    );
    const historySetup = setUpHistory(historyOptions, {
      store: setup.store,
      namespace: setup.namespace,
      clock: selectorOptions.clock ?? systemClock,
      increments: setup.state,
      events,
    });
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
    const evaluator = createEvaluator({
      runners,
      store: setup.store,
      namespace: setup.namespace,
      clock: selectorOptions.clock ?? highResolutionClock,
      ...(selectorOptions.seed === undefined
        ? {}
        : { random: seededRandom(`${selectorOptions.seed}:evaluation`) }),
      ...(evaluationDefaults === undefined ? {} : { defaults: evaluationDefaults }),
      // The scout's emitter carries evaluation's events too (ScoutEvents extends EvaluationEvents).
      events: events as unknown as EventEmitter<EvaluationEvents>,
    });
    return { setup, historySetup, discovery, evaluator };
  });
  const { state, parser, strategy } = setup;

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
    // Bounded so that sums of squares stay finite (1e12 ms is 31 years; $1e12 per request).
    if (latencyMs !== undefined) assertNumber('outcome.latencyMs', latencyMs, { minimum: 0, maximum: 1e12 });
    if (costUsd !== undefined) assertNumber('outcome.costUsd', costUsd, { minimum: 0, maximum: 1e12 });
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
    // The history's increments are queued first, so that state.record writes them in its batch.
    historySetup.recordOutcome(modelId, reward, latencyMs, costUsd, error, outcome.context);
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

  async function warmStart(
    scores: readonly ModelScore[],
    warmStartOptions: WarmStartOptions = {},
  ): Promise<WarmStartObservations[]> {
    if (!Array.isArray(scores)) {
      throw new InvalidArgumentError({
        argument: 'scores',
        value: scores,
        message: 'must be an array of ModelScores',
      });
    }
    if (warmStartOptions === null || typeof warmStartOptions !== 'object') {
      throw new InvalidArgumentError({
        argument: 'options',
        value: warmStartOptions,
        message: 'must be an object',
      });
    }
    assertKnownKeys('options', warmStartOptions, WARM_START_KEYS);
    const weight = warmStartOptions.weight ?? evaluator.defaults.warmStartWeight;
    assertNumber('options.weight', weight, { minimum: 0 });
    const observations = scores.map((score, index) => {
      if (
        score === null ||
        typeof score !== 'object' ||
        typeof score.modelId !== 'string' ||
        score.modelId === ''
      ) {
        throw new InvalidArgumentError({
          argument: `scores[${index}]`,
          value: score,
          message: 'must be a ModelScore with a modelId',
        });
      }
      return warmStartObservations(score, weight);
    });
    const context = parser.parse(warmStartOptions.context);
    const loading = state.ready();
    if (loading !== undefined) await loading;
    // The same path as recordOutcome: each pseudo-observation is a set of increments of the
    // additive statistics (in every partition of the context), so processes merge by addition.
    const writes: Promise<void>[] = [];
    for (const { modelId, observations: count, successes } of observations) {
      state.remember(modelId);
      const reward = count === 0 ? 0 : successes / count;
      for (let index = 0; index < count; index++) {
        writes.push(state.record(modelId, context, { reward }, context.features));
      }
    }
    await Promise.all(writes);
    return observations;
  }

  async function evaluate<Input, Label>(
    request: EvaluationRequest<Input, Label>,
    evaluateOptions: ScoutEvaluateOptions = {},
  ): Promise<EvaluationScore[]> {
    if (evaluateOptions === null || typeof evaluateOptions !== 'object') {
      throw new InvalidArgumentError({
        argument: 'options',
        value: evaluateOptions,
        message: 'must be an object',
      });
    }
    const { warmStart: warm, ...rest } = evaluateOptions;
    if (warm !== undefined && typeof warm !== 'boolean' && (warm === null || typeof warm !== 'object')) {
      throw new InvalidArgumentError({
        argument: 'options.warmStart',
        value: warm,
        message: 'must be a boolean or { weight?, context? }',
      });
    }
    const scores = await evaluator.evaluate(request, rest);
    if (warm === true) await warmStart(scores);
    else if (typeof warm === 'object') await warmStart(scores, warm);
    return scores;
  }

  let lifecycle: Lifecycle | undefined;

  return {
    selectOptimal,
    recordOutcome,
    evaluate,
    warmStart,
    getEvaluationHistory: (modelId, historyOptions) =>
      evaluator.getEvaluationHistory(modelId, historyOptions),
    evaluator,
    discover: (query, discoverOptions) => discovery.discover(query, discoverOptions),
    discovery,
    events,
    get lifecycle() {
      lifecycle ??= createLifecycle({
        runners,
        ...lifecycleOptions,
        ...withHistoryRetention(
          lifecycleOptions.upkeep,
          historySetup.history.options.retentionMs,
          historySetup.history.options.bucketMs,
        ),
        store: setup.store,
        namespace: setup.namespace,
        ...(selectorOptions.clock === undefined ? {} : { clock: selectorOptions.clock }),
        ...(selectorOptions.seed === undefined
          ? {}
          : { random: seededRandom(`${selectorOptions.seed}:lifecycle`) }),
        recordOutcome,
        ...(providers.length === 0 ? {} : { discovery }),
      });
      return lifecycle;
    },
    store: setup.store,
    history: historySetup.history,
    async flush() {
      await state.flush();
      await historySetup.flush();
    },
    refresh: () => state.refresh(),
    async close() {
      // The upkeep first: a job still going may record outcomes, written by the flushes below.
      await lifecycle?.close();
      await state.flush();
      await historySetup.close();
      const unwritten = state.pendingIncrements;
      if (unwritten > 0) {
        // Closing the store now would lose them: it stays open, and close() may be called again.
        throw new StoreError({
          store: setup.store.name,
          message: `${unwritten} increments could not be written, so the store was not closed: call close() again once it is back`,
          cause: state.writeError,
          isRetryable: true,
        });
      }
      await ownStore?.close();
    },
  };
}

/**
 * The lifecycle's upkeep options with the history's retention and bucket width as the retention
 * job's defaults (`upkeep.historyRetentionMs` and `upkeep.historyBucketMs` win); `{}` to leave
 * them as given (createLifecycle checks them).
 */
function withHistoryRetention(
  upkeep: LifecycleOptions['upkeep'],
  retentionMs: number,
  bucketMs: number,
): Pick<LifecycleOptions, 'upkeep'> {
  if (upkeep !== undefined && (upkeep === null || typeof upkeep !== 'object')) return {};
  return {
    upkeep: {
      ...upkeep,
      historyRetentionMs: upkeep?.historyRetentionMs ?? retentionMs,
      historyBucketMs: upkeep?.historyBucketMs ?? bucketMs,
    },
  };
}

/** Runs `build`; when it throws, closes `ownStore` (the store the scout opened), then rethrows. */
function closingOnFailure<Result>(ownStore: Store | undefined, build: () => Result): Result {
  try {
    return build();
  } catch (error) {
    ownStore?.close().catch(() => undefined);
    throw error;
  }
}

/** The embedded store opened from `options.path`, or `undefined` when none is asked for. */
function openOwnStore(
  path: string | undefined,
  options: { store?: Store; clock?: Clock },
): Store | undefined {
  if (path === undefined) return undefined;
  if (typeof path !== 'string' || path.length === 0) {
    throw new InvalidArgumentError({
      argument: 'options.path',
      value: path,
      message: 'must be a non-empty string',
    });
  }
  if (options.store !== undefined) {
    throw new InvalidArgumentError({
      argument: 'options.path',
      value: path,
      message: 'cannot be combined with options.store: give one of them',
    });
  }
  return sqliteStore({ path, ...(options.clock === undefined ? {} : { clock: options.clock }) });
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
