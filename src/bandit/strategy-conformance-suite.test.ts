// Checks that the strategy conformance suite itself catches broken strategies.
import { describe, expect, test } from 'vitest';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { simulateBernoulliBandit, strategyConformance } from '../testing/strategy-conformance.js';
import type { ScalarBanditStrategy } from './spec.js';
import { thompsonSampling } from './thompson-sampling.js';
import { ucb1 } from './ucb1.js';

/** Runs the suite against `create`, returning the names of the tests that failed. */
async function failures(create: () => ScalarBanditStrategy, invalidOptions = [{ explorationFactor: -1 }]) {
  const tests: Array<[string, () => void | Promise<void>]> = [];
  strategyConformance(
    { test: (name, fn) => tests.push([name, fn]) },
    {
      name: 'subject',
      create: (options) => (options === undefined ? create() : validated(create, options)),
      invalidOptions,
    },
  );
  const failed: string[] = [];
  for (const [name, fn] of tests) {
    try {
      await fn();
    } catch {
      failed.push(name.replace('subject conforms: ', ''));
    }
  }
  return { count: tests.length, failed };
}

/** Creates the strategy, rejecting any option key other than `explorationFactor`, and negative values. */
function validated(
  create: () => ScalarBanditStrategy,
  options: Record<string, unknown>,
): ScalarBanditStrategy {
  for (const [key, value] of Object.entries(options)) {
    if (key !== 'explorationFactor' || typeof value !== 'number' || value < 0) {
      throw new InvalidArgumentError({ argument: `options.${key}`, value, message: 'invalid' });
    }
  }
  return create();
}

describe('strategyConformance', () => {
  test('passes a correct strategy', async () => {
    const result = await failures(() => ucb1());
    expect(result.count).toBeGreaterThanOrEqual(10);
    expect(result.failed).toEqual([]);
  });

  test('fails a strategy that always plays the first arm', async () => {
    const { failed } = await failures(() => ({ ...ucb1(), choose: () => 0 }));
    expect(failed).toContain('breaks ties at random');
    expect(failed).toContain('converges on an easy world (3 Bernoulli arms 0.5 / 0.8 / 0.2)');
    expect(failed).toContain('adds the utility offset to the arm index');
  });

  test('fails a strategy whose estimates contain NaN or are disordered', async () => {
    const nan = await failures(() => ({
      ...ucb1(),
      estimate: () => ({ mean: Number.NaN, lower: 0, upper: 1 }),
    }));
    // It keeps ucb1's expectedReward, which no longer matches its estimate.
    const expected = [
      'estimates without NaN, with lower ≤ mean ≤ upper, widening with the level',
      'expectedReward, when present, equals the mean of estimate',
    ];
    expect(nan.failed).toEqual(expected);
    const disordered = await failures(() => ({
      ...ucb1(),
      estimate: () => ({ mean: 0.5, lower: 0.6, upper: 1 }),
    }));
    expect(disordered.failed).toEqual(expected);
  });

  test('fails a strategy that uses randomness it was not given', async () => {
    let state = 0;
    const { failed } = await failures(() => ({
      ...ucb1({ explorationFactor: 0 }),
      choose: (arms) => {
        state = (state * 1103515245 + 12345) % 2147483648;
        return Math.floor((state / 2147483648) * arms.length);
      },
    }));
    expect(failed).toContain('is deterministic under a seed');
  });

  test('fails a strategy that accepts invalid options', async () => {
    const { failed } = await failures(() => thompsonSampling(), [{ explorationFactor: 2 }]);
    expect(failed).toEqual(['rejects invalid options with an InvalidArgumentError']);
  });
});

describe('simulateBernoulliBandit', () => {
  test('feeds rewards back so that statistics match the choices', () => {
    const strategy = thompsonSampling();
    const choices = simulateBernoulliBandit({ strategy, means: [0, 1], steps: 200, seed: 3 });
    expect(choices).toHaveLength(200);
    // With means 0 and 1 the second arm is found almost at once.
    let second = 0;
    for (let step = 100; step < 200; step++) if (choices[step] === 1) second++;
    expect(second).toBeGreaterThanOrEqual(98);
  });
});
