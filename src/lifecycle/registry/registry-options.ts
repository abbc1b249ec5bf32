import { EventEmitter } from 'eventemitter3';
import type { Clock } from '../../clock/clock.js';
import { systemClock } from '../../clock/clock.js';
import type { ModelCandidate } from '../../core/model-candidate.js';
import type { Task } from '../../core/task.js';
import { assertKnownKeys } from '../../core/validate.js';
import type { ModelProvider } from '../../discovery/spec.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import { assertRunners } from '../../evaluation/evaluator/resolve-candidate.js';
import type { InferenceRunner, LoadedModel } from '../../evaluation/spec.js';
import type { ModelRegistryEvents } from './registry-events.js';

/**
 * Loads `candidate` for `task`, as an {@link InferenceRunner}'s `load` does. `dtype` is the one
 * the registry chose or was asked for (absent when the candidate lists no dtypes); `signal`
 * aborts when every caller waiting for the load gave up, or the registry closed.
 */
export type ModelLoader = (
  candidate: ModelCandidate,
  task: Task,
  options: { readonly dtype?: string; readonly signal: AbortSignal },
) => Promise<LoadedModel>;

/** Options of `createModelRegistry`. Give `runners` or `load`. */
export interface ModelRegistryOptions {
  /**
   * Runners to load with: each model is loaded by the first whose `supports(candidate, task)` is
   * true (none: a `ModelRegistryError` with reason `'no-runner'`).
   */
  readonly runners?: readonly InferenceRunner[];
  /** Loads models instead of `runners`, e.g. to wrap a runner or add caching of your own. */
  readonly load?: ModelLoader;
  /**
   * Where a model asked for by id is looked up on a miss (its `getModel`), so that the registry
   * knows its dtypes and file sizes, e.g. `localDirectory({ root })` or a discovery provider.
   * Without it, or when the provider does not know the id, an id is a bare candidate `{ id }`
   * (a local path, `./models/x` or absolute, gets `localPath`): the runner picks its dtype and
   * its memory is only known once it is loaded.
   */
  readonly provider?: ModelProvider;
  /**
   * The most models kept loaded (loads in flight count). Idle models are unloaded least recently
   * used first to make room. @default Number.POSITIVE_INFINITY
   */
  readonly maxModels?: number;
  /**
   * The most memory, in bytes, the loaded models may take. Before a load the registry counts the
   * model's estimate (`estimateMemoryBytes`: its ONNX files of the dtype × 1.5); once loaded, the
   * model's own `memoryBytes` when it reports one. Idle models are unloaded least recently used
   * first to make room. @default Number.POSITIVE_INFINITY
   */
  readonly maxMemoryBytes?: number;
  /**
   * The dtypes tried, in order, when a request names none: the first the candidate has whose
   * estimate fits the memory budget is loaded (the candidate's other dtypes are tried after these).
   * @default ['fp32', 'fp16', 'q8', 'q4']
   */
  readonly dtypePreference?: readonly string[];
  /** Time for `lastUsed` and load durations. @default systemClock */
  readonly clock?: Clock;
  /** Where events go. @default a new emitter */
  readonly events?: EventEmitter<ModelRegistryEvents>;
}

/** Defaults of {@link ModelRegistryOptions}. */
export const MODEL_REGISTRY_DEFAULTS = Object.freeze({
  maxModels: Number.POSITIVE_INFINITY,
  maxMemoryBytes: Number.POSITIVE_INFINITY,
  dtypePreference: Object.freeze(['fp32', 'fp16', 'q8', 'q4']) as readonly string[],
} as const);

/** {@link ModelRegistryOptions} checked, with defaults. @internal */
export interface ResolvedRegistryOptions {
  readonly runners: readonly InferenceRunner[] | undefined;
  readonly load: ModelLoader | undefined;
  readonly provider: ModelProvider | undefined;
  readonly maxModels: number;
  readonly maxMemoryBytes: number;
  readonly dtypePreference: readonly string[];
  readonly clock: Clock;
  readonly events: EventEmitter<ModelRegistryEvents>;
}

const OPTION_KEYS = [
  'runners',
  'load',
  'provider',
  'maxModels',
  'maxMemoryBytes',
  'dtypePreference',
  'clock',
  'events',
];

/** Checks `options` and fills in {@link MODEL_REGISTRY_DEFAULTS}. @internal */
export function resolveRegistryOptions(options: ModelRegistryOptions): ResolvedRegistryOptions {
  if (options === null || typeof options !== 'object') {
    throw new InvalidArgumentError({ argument: 'options', value: options, message: 'must be an object' });
  }
  assertKnownKeys('options', options, OPTION_KEYS);
  const { runners, load, provider } = options;
  if ((runners === undefined) === (load === undefined)) {
    throw new InvalidArgumentError({
      argument: 'options.runners',
      value: runners,
      message: 'give either runners or a load function (one of them, not both)',
    });
  }
  if (runners !== undefined) assertRunners(runners, 'options.runners');
  if (load !== undefined && typeof load !== 'function') {
    throw new InvalidArgumentError({ argument: 'options.load', value: load, message: 'must be a function' });
  }
  if (provider !== undefined && typeof provider?.getModel !== 'function') {
    throw new InvalidArgumentError({
      argument: 'options.provider',
      value: provider,
      message: 'must be a ModelProvider (with getModel)',
    });
  }
  const maxModels = options.maxModels ?? MODEL_REGISTRY_DEFAULTS.maxModels;
  if (!(maxModels === Number.POSITIVE_INFINITY || (Number.isInteger(maxModels) && maxModels >= 1))) {
    throw new InvalidArgumentError({
      argument: 'options.maxModels',
      value: maxModels,
      message: 'must be an integer ≥ 1 or Infinity',
    });
  }
  const maxMemoryBytes = options.maxMemoryBytes ?? MODEL_REGISTRY_DEFAULTS.maxMemoryBytes;
  if (typeof maxMemoryBytes !== 'number' || Number.isNaN(maxMemoryBytes) || maxMemoryBytes <= 0) {
    throw new InvalidArgumentError({
      argument: 'options.maxMemoryBytes',
      value: maxMemoryBytes,
      message: 'must be a number of bytes > 0 (or Infinity)',
    });
  }
  const dtypePreference = options.dtypePreference ?? MODEL_REGISTRY_DEFAULTS.dtypePreference;
  if (
    !Array.isArray(dtypePreference) ||
    dtypePreference.length === 0 ||
    dtypePreference.some((dtype) => typeof dtype !== 'string' || dtype.length === 0) ||
    new Set(dtypePreference).size !== dtypePreference.length
  ) {
    throw new InvalidArgumentError({
      argument: 'options.dtypePreference',
      value: dtypePreference,
      message: 'must be a non-empty array of distinct dtype names',
    });
  }
  const clock = options.clock ?? systemClock;
  if (typeof clock?.now !== 'function') {
    throw new InvalidArgumentError({ argument: 'options.clock', value: clock, message: 'must be a Clock' });
  }
  const events = options.events ?? new EventEmitter<ModelRegistryEvents>();
  if (typeof events?.emit !== 'function') {
    throw new InvalidArgumentError({
      argument: 'options.events',
      value: events,
      message: 'must be an EventEmitter',
    });
  }
  return {
    runners,
    load,
    provider,
    maxModels,
    maxMemoryBytes,
    dtypePreference: Object.freeze([...dtypePreference]),
    clock,
    events,
  };
}
