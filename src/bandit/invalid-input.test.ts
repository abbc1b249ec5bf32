import { describe, expect, test } from 'vitest';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { seededRandom } from '../random/seeded-random.js';
import { epsilonGreedy } from './epsilon-greedy.js';
import { klUcb } from './kl-ucb.js';
import { linUcb } from './lin-ucb.js';
import { emptyLinearStatistics } from './linear-statistics.js';
import { EMPTY_SCALAR_STATISTICS } from './scalar-statistics.js';
import type { BanditStrategy } from './spec.js';
import { thompsonSampling } from './thompson-sampling.js';
import { ucb1 } from './ucb1.js';

type Factory = (options?: unknown) => BanditStrategy;

const factories: Record<string, Factory> = {
  thompsonSampling: thompsonSampling as Factory,
  ucb1: ucb1 as Factory,
  klUcb: klUcb as Factory,
  epsilonGreedy: epsilonGreedy as Factory,
  linUcb: linUcb as Factory,
};

/** Runs `action`, which must throw an InvalidArgumentError, and returns it. */
function invalidArgument(action: () => unknown): InvalidArgumentError {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  expect(
    InvalidArgumentError.isInstance(caught),
    `expected an InvalidArgumentError, got ${String(caught)}`,
  ).toBe(true);
  return caught as InvalidArgumentError;
}

/** [factory, options, the argument the error must name]. */
const invalidOptions: ReadonlyArray<readonly [string, unknown, string]> = [
  ['thompsonSampling', { likelihood: 'poisson' }, 'options.likelihood'],
  ['thompsonSampling', { likelihood: 'Bernoulli' }, 'options.likelihood'],
  ['thompsonSampling', { priorSuccesses: 0 }, 'options.priorSuccesses'],
  ['thompsonSampling', { priorSuccesses: Number.NaN }, 'options.priorSuccesses'],
  ['thompsonSampling', { priorFailures: '1' }, 'options.priorFailures'],
  ['thompsonSampling', { priorMean: Number.POSITIVE_INFINITY }, 'options.priorMean'],
  ['thompsonSampling', { priorCount: 0 }, 'options.priorCount'],
  ['thompsonSampling', { priorShape: -1 }, 'options.priorShape'],
  ['thompsonSampling', { priorRate: Number.NaN }, 'options.priorRate'],
  ['thompsonSampling', { alpha: 1 }, 'options.alpha'],
  ['ucb1', { explorationFactor: -0.1 }, 'options.explorationFactor'],
  ['ucb1', { explorationFactor: Number.NaN }, 'options.explorationFactor'],
  ['ucb1', { exploration: 2 }, 'options.exploration'],
  ['klUcb', { explorationConstant: -1 }, 'options.explorationConstant'],
  ['klUcb', { explorationConstant: Number.NaN }, 'options.explorationConstant'],
  ['klUcb', { c: 3 }, 'options.c'],
  ['epsilonGreedy', { epsilon: 1.01 }, 'options.epsilon'],
  ['epsilonGreedy', { epsilon: -0.01 }, 'options.epsilon'],
  ['epsilonGreedy', { epsilon: Number.NaN }, 'options.epsilon'],
  ['epsilonGreedy', { decay: 'linear' }, 'options.decay'],
  ['epsilonGreedy', { decayConstant: 0 }, 'options.decayConstant'],
  ['epsilonGreedy', { decayConstant: Number.POSITIVE_INFINITY }, 'options.decayConstant'],
  ['linUcb', { alpha: -1 }, 'options.alpha'],
  ['linUcb', { alpha: Number.NaN }, 'options.alpha'],
  ['linUcb', { ridge: 0 }, 'options.ridge'],
  ['linUcb', { ridge: true }, 'options.ridge'],
  ['linUcb', { lambda: 1 }, 'options.lambda'],
];

describe('invalid input', () => {
  test.each(invalidOptions)('%s(%o) names %s', (name, options, argument) => {
    const error = invalidArgument(() => factories[name]!(options));
    expect(error.argument).toBe(argument);
    expect(error.message).toContain(argument);
  });

  test.each(Object.keys(factories))('%s rejects options that are not an object', (name) => {
    for (const options of [null, 5, 'fast', [], [{ alpha: 1 }]]) {
      expect(invalidArgument(() => factories[name]!(options)).argument).toBe('options');
    }
  });

  test.each(Object.keys(factories))('%s takes undefined option values as their defaults', (name) => {
    const factory = factories[name]!;
    const defaults = factory().options;
    const undefinedOptions = Object.fromEntries(Object.keys(defaults).map((key) => [key, undefined]));
    expect(factory(undefinedOptions).options).toEqual(defaults);
  });

  test.each(Object.keys(factories))('%s rejects interval levels outside (0, 1)', (name) => {
    const strategy = factories[name]!();
    for (const level of [0, 1, -0.5, 1.5, Number.NaN, '0.95']) {
      const error = invalidArgument(() =>
        strategy.kind === 'linear'
          ? strategy.estimate(emptyLinearStatistics(1), [1], level as number)
          : strategy.estimate(EMPTY_SCALAR_STATISTICS, level as number),
      );
      expect(error.argument).toBe('level');
    }
  });

  test('linUcb rejects feature vectors that are empty, not numbers or of the wrong length', () => {
    const strategy = linUcb();
    const arms = [{ id: 'a', statistics: emptyLinearStatistics(2), utilityOffset: 0 }];
    for (const features of [[], [1], [1, Number.POSITIVE_INFINITY], [1, Number.NaN], [1, '2']]) {
      const choice = invalidArgument(() =>
        strategy.choose(arms, { random: seededRandom(1), totalCount: 0, features: features as number[] }),
      );
      expect(choice.argument).toBe('context.features');
      const estimate = invalidArgument(() =>
        strategy.estimate(emptyLinearStatistics(2), features as number[], 0.9),
      );
      expect(estimate.argument).toBe('features');
    }
  });
});
