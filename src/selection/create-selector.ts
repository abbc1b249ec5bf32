import { EventEmitter } from 'eventemitter3';
import type { Estimate } from '../bandit/estimate.js';
import type { BanditStrategy } from '../bandit/spec.js';
import { thompsonSampling } from '../bandit/thompson-sampling.js';
import type { Clock } from '../clock/clock.js';
import { systemClock } from '../clock/clock.js';
import { assertArmIds, assertKnownKeys, assertNamespace, assertNumber } from '../core/validate.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { UnknownArmError } from '../errors/unknown-arm-error.js';
import type { SelectorEvents, StoreErrorEvent } from '../events.js';
import { seededRandom } from '../random/seeded-random.js';
import { memoryStore } from '../store/memory-store.js';
import type { Store } from '../store/spec.js';
import { chooseArm } from './choose.js';
import { type Context, ContextParser } from './context.js';
import { LearningState, metricStatistics } from './learning-state.js';
import { type CandidateListCache, emptyCandidateListCache } from './select-optimal.js';

/** Options of {@link createSelector}. */
export interface SelectorOptions {
  /** The bandit strategy. @default thompsonSampling() */
  readonly strategy?: BanditStrategy;
  /** Seed of the selector's random source; the same seed and outcomes give the same choices. @default a random seed */
  readonly seed?: number | string;
  /** Where learned statistics live. @default memoryStore() */
  readonly store?: Store;
  /** Separates this selector's statistics from others in the same store. @default 'default' */
  readonly namespace?: string;
  /** Arms known up front: outcomes for them are accepted before they are first offered. @default [] */
  readonly arms?: readonly string[];
  /**
   * Half-life of observations in milliseconds (of `clock` time): an observation weighs half as
   * much after `halfLifeMs`, so the selector follows arms whose quality changes. Omit for a
   * stationary world where every observation counts forever. @default undefined (no forgetting)
   */
  readonly halfLifeMs?: number;
  /**
   * How many pseudo-observations a broader partition lends a context partition: a context seen
   * far fewer times behaves like the broader estimate, one seen far more often by its own data.
   * @default 10
   */
  readonly backoffStrength?: number;
  /** Probability mass of estimate intervals. @default 0.95 */
  readonly confidenceLevel?: number;
  /**
   * Re-read the store every this many milliseconds to pick up what other processes learned;
   * 0 never re-reads after the first load. @default 0
   */
  readonly refreshIntervalMs?: number;
  /** The clock (decay, refresh). @default systemClock */
  readonly clock?: Clock;
}

/** Defaults of {@link createSelector}'s options. */
export const SELECTOR_DEFAULTS = Object.freeze({
  namespace: 'default',
  backoffStrength: 10,
  confidenceLevel: 0.95,
  refreshIntervalMs: 0,
});

/** @internal */
export const SELECTOR_OPTION_KEYS = [
  'strategy',
  'seed',
  'store',
  'namespace',
  'arms',
  'halfLifeMs',
  'backoffStrength',
  'confidenceLevel',
  'refreshIntervalMs',
  'clock',
] as const;

/** Options of {@link Selector.select}, {@link Selector.update} and {@link Selector.estimates}. */
export interface ContextOptions {
  /** What is known about the request; see {@link Context}. */
  readonly context?: Context;
}

/** What a selector believes about one arm. */
export interface ArmEstimate extends Estimate {
  readonly id: string;
  /** Effective number of rewards observed for the arm in the context's partition (decayed). */
  readonly pulls: number;
}

/** A bandit selector over string arm ids that learns from rewards in [0, 1]. */
export interface Selector {
  /** The strategy it chooses with. */
  readonly strategy: BanditStrategy;
  /** The namespace of its statistics. */
  readonly namespace: string;
  /** Chooses one of `arms` (non-empty, distinct ids) for the request's context. */
  select(arms: readonly string[], options?: ContextOptions): Promise<string>;
  /**
   * Learns `reward` (in [0, 1]; any finite number for strategies whose `rewardDomain` is
   * `'real'`) for `arm` in the context. Resolves once the store has it; if the store fails, the
   * update stays queued, a `store_error` event is emitted, and it resolves all the same.
   */
  update(arm: string, reward: number, options?: ContextOptions): Promise<void>;
  /** Mean reward, interval and pulls of each arm for the context, in the order given. */
  estimates(arms: readonly string[], options?: ContextOptions): Promise<ArmEstimate[]>;
  /** Writes queued updates to the store (after a store failure). */
  flush(): Promise<void>;
  /** Re-reads the store, picking up what other processes learned. */
  refresh(): Promise<void>;
  /** Store events: `store_error`, `store_recovered`. */
  readonly events: EventEmitter<SelectorEvents>;
}

/** Validated selector settings shared with the scout. @internal */
export interface SelectorSetup {
  readonly strategy: BanditStrategy;
  readonly state: LearningState;
  readonly parser: ContextParser;
  readonly random: ReturnType<typeof seededRandom>;
  readonly confidenceLevel: number;
  readonly namespace: string;
  readonly store: Store;
  readonly candidateCache: CandidateListCache;
}

/** Where the shared machinery reports store trouble. @internal */
export interface StoreEventSink {
  emit(event: 'store_error', payload: StoreErrorEvent): unknown;
  emit(event: 'store_recovered'): unknown;
}

/** Validates selector options and builds the shared machinery. @internal */
export function setUpSelector(
  options: SelectorOptions,
  argument: string,
  events: StoreEventSink,
  allowedKeys: readonly string[] = SELECTOR_OPTION_KEYS,
): SelectorSetup {
  if (options === null || typeof options !== 'object') {
    throw new InvalidArgumentError({ argument, value: options, message: 'must be an object' });
  }
  assertKnownKeys(argument, options, allowedKeys);
  const strategy = options.strategy ?? thompsonSampling();
  if (strategy.specificationVersion !== 'v1' || (strategy.kind !== 'scalar' && strategy.kind !== 'linear')) {
    throw new InvalidArgumentError({
      argument: `${argument}.strategy`,
      value: strategy.name,
      message: "must be a BanditStrategy of specificationVersion 'v1'",
    });
  }
  const namespace = options.namespace ?? SELECTOR_DEFAULTS.namespace;
  assertNamespace(namespace, `${argument}.namespace`);
  if (options.halfLifeMs !== undefined)
    assertNumber(`${argument}.halfLifeMs`, options.halfLifeMs, { minimum: 0, exclusiveMinimum: true });
  const backoffStrength = options.backoffStrength ?? SELECTOR_DEFAULTS.backoffStrength;
  assertNumber(`${argument}.backoffStrength`, backoffStrength, { minimum: 0 });
  const confidenceLevel = options.confidenceLevel ?? SELECTOR_DEFAULTS.confidenceLevel;
  assertNumber(`${argument}.confidenceLevel`, confidenceLevel, {
    minimum: 0,
    exclusiveMinimum: true,
    maximum: 0.999999,
  });
  const refreshIntervalMs = options.refreshIntervalMs ?? SELECTOR_DEFAULTS.refreshIntervalMs;
  assertNumber(`${argument}.refreshIntervalMs`, refreshIntervalMs, { minimum: 0 });
  const store = options.store ?? memoryStore({ clock: options.clock });
  const state = new LearningState({
    store,
    namespace,
    clock: options.clock ?? systemClock,
    halfLifeMs: options.halfLifeMs,
    backoffStrength,
    linear: strategy.kind === 'linear',
    refreshIntervalMs,
    onStoreError: (error, pendingIncrements) => {
      events.emit('store_error', { error, pendingIncrements });
    },
    onStoreRecovered: () => {
      events.emit('store_recovered');
    },
  });
  if (options.arms !== undefined) {
    assertArmIds(options.arms, `${argument}.arms`);
    for (const arm of options.arms) state.remember(arm);
  }
  return {
    strategy,
    state,
    parser: new ContextParser(),
    random: seededRandom(options.seed),
    confidenceLevel,
    namespace,
    store,
    candidateCache: emptyCandidateListCache(),
  };
}

/** Throws unless `reward` is in the strategy's domain. @internal */
export function assertReward(
  strategy: BanditStrategy,
  reward: unknown,
  argument = 'reward',
): asserts reward is number {
  if (strategy.rewardDomain === 'unit-interval') assertNumber(argument, reward, { minimum: 0, maximum: 1 });
  else assertNumber(argument, reward);
}

/**
 * Creates a bandit selector. Learned state is additive statistics in `store`, so selectors in
 * several processes sharing one store learn together.
 *
 * @example
 * ```ts
 * const selector = createSelector({ seed: 42 });
 * const arm = await selector.select(['small', 'large'], { context: { tier: 'free' } });
 * await selector.update(arm, 1, { context: { tier: 'free' } });
 * ```
 */
export function createSelector(options: SelectorOptions = {}): Selector {
  const events = new EventEmitter<SelectorEvents>();
  const { strategy, state, parser, random, confidenceLevel, namespace } = setUpSelector(
    options,
    'options',
    events,
  );

  async function select(arms: readonly string[], selectOptions?: ContextOptions): Promise<string> {
    assertArmIds(arms);
    const context = parser.parse(selectOptions?.context);
    const loading = state.ready();
    if (loading !== undefined) await loading;
    for (let index = 0; index < arms.length; index++) state.remember(arms[index]!);
    return arms[chooseArm(state, strategy, random, arms, context)]!;
  }

  async function update(arm: string, reward: number, updateOptions?: ContextOptions): Promise<void> {
    if (typeof arm !== 'string' || arm.length === 0) {
      throw new InvalidArgumentError({ argument: 'arm', value: arm, message: 'must be a non-empty string' });
    }
    assertReward(strategy, reward);
    const context = parser.parse(updateOptions?.context);
    const loading = state.ready();
    if (loading !== undefined) await loading;
    if (!state.knows(arm)) throw new UnknownArmError({ armId: arm });
    await state.record(arm, context, { reward }, context.features);
  }

  async function estimates(
    arms: readonly string[],
    estimateOptions?: ContextOptions,
  ): Promise<ArmEstimate[]> {
    assertArmIds(arms);
    const context = parser.parse(estimateOptions?.context);
    const loading = state.ready();
    if (loading !== undefined) await loading;
    const { values, pulls } = state.scalarStatistics(arms, context);
    const linearStatistics = strategy.kind === 'linear' ? state.linearStatistics(arms, context) : [];
    return arms.map((id, index) => {
      const estimate =
        strategy.kind === 'linear'
          ? strategy.estimate(linearStatistics[index]!, context.features, confidenceLevel)
          : strategy.estimate(metricStatistics(values, index, 'reward'), confidenceLevel);
      return { id, ...estimate, pulls: pulls[index]! };
    });
  }

  return {
    strategy,
    namespace,
    select,
    update,
    estimates,
    flush: () => state.flush(),
    refresh: () => state.refresh(),
    events,
  };
}
