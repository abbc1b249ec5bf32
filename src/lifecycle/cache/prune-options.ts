import { assertKnownKeys, assertNumber } from '../../core/validate.js';
import { ONNX_DTYPE_SUFFIXES } from '../../discovery/providers/onnx-variants.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import { assertModelId, type CachePin, parsePins } from './cache-pins.js';

/** Options of the unused-revisions strategy of {@link CachePruneOptions}. */
export interface CacheUnusedRevisionsOptions {
  /**
   * How many of each model's unused revisions to keep, the most recently modified ones.
   * @default 0
   */
  readonly keepNewest?: number;
}

/** Options of the unused-dtypes strategy of {@link CachePruneOptions}. */
export interface CacheUnusedDtypesOptions {
  /** The dtypes in use, e.g. `['q8']`: ONNX weight files of every other dtype are removed. */
  readonly keep: readonly string[];
  /** The models it applies to. @default every model in the cache */
  readonly models?: readonly string[];
}

/**
 * What `CacheManager.prune()` should remove. Strategies combine, applied in this order: unused
 * dtype variants, then unused revisions, then the size budget on what is left. At least one is
 * required. Pinned revisions lose nothing to any strategy.
 */
export interface CachePruneOptions {
  /**
   * Fit a size budget: evict whole revisions, least recently used first (by `lastAccess`), until
   * the cache holds at most this many bytes. `true` uses the manager's `budgetBytes`. When the
   * budget cannot be met without removing pinned revisions, the plan says so
   * (`budget.fits === false`) and keeps them.
   * @default false
   */
  readonly budget?: boolean | number;
  /**
   * Remove revisions that no ref (`main`, a tag) points to and that are not pinned. `true` keeps
   * none of them; `{ keepNewest: 1 }` keeps the most recent one of each model.
   * @default false
   */
  readonly unusedRevisions?: boolean | CacheUnusedRevisionsOptions;
  /**
   * Remove ONNX weight files (and their external data) of dtypes not in `keep`, e.g.
   * `{ keep: ['q8'] }`. A model part (`model`, `decoder_model_merged`…) that has none of the kept
   * dtypes keeps all of its files, and the plan notes it: pruning never leaves a model without weights.
   * @default no dtype pruning
   */
  readonly unusedDtypes?: CacheUnusedDtypesOptions;
  /** Pins for this plan, added to the manager's `pins`. @default [] */
  readonly pins?: readonly string[];
}

/** Defaults of {@link CachePruneOptions}. */
export const CACHE_PRUNE_DEFAULTS = Object.freeze({
  budget: false,
  unusedRevisions: false,
  keepNewest: 0,
  pins: Object.freeze([] as string[]),
});

/** {@link CachePruneOptions} validated, with defaults applied. @internal */
export interface PruneStrategies {
  readonly budgetBytes: number | undefined;
  readonly unusedRevisions: { readonly keepNewest: number } | undefined;
  readonly unusedDtypes:
    | { readonly keep: ReadonlySet<string>; readonly models: ReadonlySet<string> | undefined }
    | undefined;
  readonly pins: readonly CachePin[];
}

const OPTION_KEYS = ['budget', 'unusedRevisions', 'unusedDtypes', 'pins'];

/** Every dtype transformers.js names an ONNX file for. @internal */
export const KNOWN_DTYPES: readonly string[] = ['fp32', ...ONNX_DTYPE_SUFFIXES.map(([, dtype]) => dtype)];

/**
 * Validates prune options.
 * @throws InvalidArgumentError for unknown options, invalid values, or no strategy at all.
 * @internal
 */
export function resolvePruneOptions(options: unknown, managerBudgetBytes: number): PruneStrategies {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new InvalidArgumentError({ argument: 'options', value: options, message: 'must be an object' });
  }
  assertKnownKeys('options', options, OPTION_KEYS);
  const {
    budget = CACHE_PRUNE_DEFAULTS.budget,
    unusedRevisions = CACHE_PRUNE_DEFAULTS.unusedRevisions,
    unusedDtypes,
    pins = CACHE_PRUNE_DEFAULTS.pins,
  } = options as CachePruneOptions;

  let budgetBytes: number | undefined;
  if (typeof budget === 'number') {
    assertNumber('options.budget', budget, { minimum: 0 });
    budgetBytes = budget;
  } else if (budget === true) budgetBytes = managerBudgetBytes;
  else if (budget !== false) {
    throw new InvalidArgumentError({
      argument: 'options.budget',
      value: budget,
      message: 'must be a boolean or a number of bytes ≥ 0',
    });
  }

  let revisions: PruneStrategies['unusedRevisions'];
  if (unusedRevisions === true) revisions = { keepNewest: CACHE_PRUNE_DEFAULTS.keepNewest };
  else if (unusedRevisions !== false) {
    if (unusedRevisions === null || typeof unusedRevisions !== 'object' || Array.isArray(unusedRevisions)) {
      throw new InvalidArgumentError({
        argument: 'options.unusedRevisions',
        value: unusedRevisions,
        message: 'must be a boolean or { keepNewest }',
      });
    }
    assertKnownKeys('options.unusedRevisions', unusedRevisions, ['keepNewest']);
    const keepNewest = unusedRevisions.keepNewest ?? CACHE_PRUNE_DEFAULTS.keepNewest;
    assertNumber('options.unusedRevisions.keepNewest', keepNewest, { minimum: 0, integer: true });
    revisions = { keepNewest };
  }

  let dtypes: PruneStrategies['unusedDtypes'];
  if (unusedDtypes !== undefined) {
    if (unusedDtypes === null || typeof unusedDtypes !== 'object' || Array.isArray(unusedDtypes)) {
      throw new InvalidArgumentError({
        argument: 'options.unusedDtypes',
        value: unusedDtypes,
        message: 'must be { keep, models? }',
      });
    }
    assertKnownKeys('options.unusedDtypes', unusedDtypes, ['keep', 'models']);
    const { keep, models } = unusedDtypes;
    if (!Array.isArray(keep) || keep.length === 0) {
      throw new InvalidArgumentError({
        argument: 'options.unusedDtypes.keep',
        value: keep,
        message: "must be a non-empty array of dtypes, e.g. ['q8']",
      });
    }
    for (const [index, dtype] of keep.entries()) {
      if (typeof dtype !== 'string' || !KNOWN_DTYPES.includes(dtype)) {
        throw new InvalidArgumentError({
          argument: `options.unusedDtypes.keep[${index}]`,
          value: dtype,
          message: `must be one of ${KNOWN_DTYPES.join(', ')}`,
        });
      }
    }
    if (models !== undefined && !Array.isArray(models)) {
      throw new InvalidArgumentError({
        argument: 'options.unusedDtypes.models',
        value: models,
        message: 'must be an array of model ids',
      });
    }
    for (const [index, model] of (models ?? []).entries()) {
      assertModelId(`options.unusedDtypes.models[${index}]`, model);
    }
    dtypes = { keep: new Set(keep), models: models === undefined ? undefined : new Set(models) };
  }

  if (budgetBytes === undefined && revisions === undefined && dtypes === undefined) {
    throw new InvalidArgumentError({
      argument: 'options',
      value: options,
      message: 'choose at least one strategy: budget, unusedRevisions or unusedDtypes',
    });
  }
  return {
    budgetBytes,
    unusedRevisions: revisions,
    unusedDtypes: dtypes,
    pins: parsePins('options.pins', pins),
  };
}
