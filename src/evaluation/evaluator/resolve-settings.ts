import { assertKnownKeys } from '../../core/validate.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import {
  EVALUATION_DEFAULTS,
  type EvaluationSettings,
  type RaceOptions,
  type ResolvedSettings,
} from './evaluation-defaults.js';

/** The keys of {@link EvaluationSettings}. @internal */
export const SETTING_KEYS = Object.keys(EVALUATION_DEFAULTS) as (keyof typeof EVALUATION_DEFAULTS)[];

const RACE_KEYS = Object.keys(EVALUATION_DEFAULTS.race);

type NumberSetting = Exclude<keyof ResolvedSettings, 'race'>;

/**
 * Which numbers each setting accepts. Budgets, caps and timeouts accept `Infinity` (no limit);
 * a budget of 0 cannot measure anything and is an error.
 */
const RULES: Record<
  NumberSetting,
  { integer?: boolean; positive?: boolean; infinite?: boolean; unit?: boolean }
> = {
  budgetMs: { positive: true, infinite: true },
  maxSamples: { integer: true, positive: true, infinite: true },
  batchSize: { integer: true, positive: true },
  predictionTimeoutMs: { positive: true, infinite: true },
  loadTimeoutMs: { positive: true, infinite: true },
  disposeTimeoutMs: { positive: true, infinite: true },
  maxConsecutiveFailures: { integer: true, positive: true, infinite: true },
  confidenceLevel: { unit: true },
  bootstrapResamples: { integer: true, positive: true },
  progressIntervalMs: {},
  historyLimit: { integer: true, positive: true },
  warmStartWeight: {},
};

function checkNumber(
  argument: string,
  value: unknown,
  rule: { integer?: boolean; positive?: boolean; infinite?: boolean; unit?: boolean },
): number {
  const ok =
    typeof value === 'number' &&
    !Number.isNaN(value) &&
    (Number.isFinite(value) || (rule.infinite === true && value === Number.POSITIVE_INFINITY)) &&
    (rule.integer !== true || !Number.isFinite(value) || Number.isInteger(value)) &&
    (rule.positive === true ? value > 0 : value >= 0) &&
    (rule.unit !== true || (value > 0 && value < 1));
  if (!ok) {
    const expected = rule.unit
      ? 'a number strictly between 0 and 1'
      : `${rule.integer ? 'an integer' : 'a number'} ${rule.positive ? '> 0' : '≥ 0'}${rule.infinite ? ' (or Infinity)' : ''}`;
    throw new InvalidArgumentError({ argument, value, message: `must be ${expected}` });
  }
  return value as number;
}

function resolveRace(base: Required<RaceOptions>, race: unknown, argument: string): Required<RaceOptions> {
  if (race === undefined) return base;
  if (race === null || typeof race !== 'object') {
    throw new InvalidArgumentError({ argument, value: race, message: 'must be an object of race options' });
  }
  assertKnownKeys(argument, race, RACE_KEYS);
  const options = race as RaceOptions;
  return {
    confidence: checkNumber(`${argument}.confidence`, options.confidence ?? base.confidence, { unit: true }),
    minSamples: checkNumber(`${argument}.minSamples`, options.minSamples ?? base.minSamples, {
      integer: true,
    }),
    roundSize: checkNumber(`${argument}.roundSize`, options.roundSize ?? base.roundSize, {
      integer: true,
      positive: true,
    }),
    tolerance: checkNumber(`${argument}.tolerance`, options.tolerance ?? base.tolerance, {}),
    tightestAt: checkNumber(`${argument}.tightestAt`, options.tightestAt ?? base.tightestAt, {
      positive: true,
    }),
  };
}

/**
 * Validates `settings` (only the keys in `allowed`) and fills what they leave out from `base`.
 * @internal
 */
export function resolveSettings(
  base: ResolvedSettings,
  settings: EvaluationSettings | undefined,
  argument: string,
  allowed: readonly string[] = SETTING_KEYS,
): ResolvedSettings {
  if (settings === undefined) return base;
  if (settings === null || typeof settings !== 'object') {
    throw new InvalidArgumentError({ argument, value: settings, message: 'must be an object' });
  }
  assertKnownKeys(argument, settings, allowed);
  const resolved: Record<string, unknown> = { ...base };
  for (const key of Object.keys(RULES) as NumberSetting[]) {
    const value = (settings as Record<string, unknown>)[key];
    if (value !== undefined) resolved[key] = checkNumber(`${argument}.${key}`, value, RULES[key]);
  }
  resolved.race = resolveRace(base.race, settings.race, `${argument}.race`);
  return resolved as unknown as ResolvedSettings;
}

/** {@link EVALUATION_DEFAULTS} as {@link ResolvedSettings}. @internal */
export const DEFAULT_SETTINGS: ResolvedSettings = EVALUATION_DEFAULTS;
