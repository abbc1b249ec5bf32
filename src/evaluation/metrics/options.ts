import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import { type RandomSource, seededRandom } from '../../random/index.js';
import type { ScoredExample, TaskScoreOptions } from '../task-score.js';
import { SCORING_DEFAULTS } from './defaults.js';

/** {@link TaskScoreOptions} with every default filled in. @internal */
export interface ResolvedScoreOptions {
  readonly random: RandomSource;
  readonly confidenceLevel: number;
  readonly bootstrapResamples: number;
  readonly recallAt: number;
}

/**
 * Validates `examples` (a non-empty array) and `options`, and fills in the defaults.
 *
 * @throws InvalidArgumentError for an empty example list or an option out of its domain.
 * @internal
 */
export function resolveScoreOptions(
  examples: readonly ScoredExample[],
  options: TaskScoreOptions = {},
): ResolvedScoreOptions {
  if (!Array.isArray(examples)) {
    throw new InvalidArgumentError({
      argument: 'examples',
      message: 'expected an array of scored examples.',
    });
  }
  if (examples.length === 0) {
    throw new InvalidArgumentError({
      argument: 'examples',
      value: examples,
      message: 'there is nothing to score: the example list is empty.',
    });
  }
  const {
    confidenceLevel = SCORING_DEFAULTS.confidenceLevel,
    bootstrapResamples = SCORING_DEFAULTS.bootstrapResamples,
    recallAt = SCORING_DEFAULTS.recallAt,
  } = options;
  if (!(Number.isFinite(confidenceLevel) && confidenceLevel > 0 && confidenceLevel < 1)) {
    throw new InvalidArgumentError({
      argument: 'confidenceLevel',
      value: confidenceLevel,
      message: 'expected a number strictly between 0 and 1, e.g. 0.95.',
    });
  }
  if (!(Number.isSafeInteger(bootstrapResamples) && bootstrapResamples >= 1)) {
    throw new InvalidArgumentError({
      argument: 'bootstrapResamples',
      value: bootstrapResamples,
      message: 'expected a positive integer, e.g. 1000.',
    });
  }
  if (!(Number.isSafeInteger(recallAt) && recallAt >= 1)) {
    throw new InvalidArgumentError({
      argument: 'recallAt',
      value: recallAt,
      message: 'expected a positive integer, e.g. 1.',
    });
  }
  return { random: options.random ?? seededRandom(), confidenceLevel, bootstrapResamples, recallAt };
}

/** Throws the {@link InvalidArgumentError} of an unusable gold label. @internal */
export function invalidLabel(index: number, label: unknown, expected: string): never {
  throw new InvalidArgumentError({
    argument: `examples[${index}].label`,
    value: label,
    message: `expected ${expected}.`,
  });
}
