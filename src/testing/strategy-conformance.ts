import assert from 'node:assert/strict';
import type { LinearStatistics } from '../bandit/linear-statistics.js';
import type { ScalarStatistics } from '../bandit/scalar-statistics.js';
import type {
  BanditStrategy,
  LinearBanditStrategy,
  LinearStrategyArm,
  ScalarBanditStrategy,
  ScalarStrategyArm,
} from '../bandit/spec.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type { RandomSource } from '../random/random-source.js';
import { seededRandom } from '../random/seeded-random.js';
import { createSelector } from '../selection/create-selector.js';
import { memoryStore } from '../store/memory-store.js';
import type { ConformanceTestRunner } from './conformance-test-runner.js';

/** The strategy under test, as {@link strategyConformance} sees it. */
export interface StrategyConformanceSubject {
  /** Shown in the test names. */
  readonly name: string;
  /** Creates the strategy; called with no options, with `{}`, and with each of `invalidOptions`. */
  readonly create: (options?: Record<string, unknown>) => BanditStrategy;
  /** Options that `create` must reject with an `InvalidArgumentError` (an unknown key is always tried too). */
  readonly invalidOptions: ReadonlyArray<Record<string, unknown>>;
}

/** Options of {@link simulateBernoulliBandit}. */
export interface BernoulliSimulationOptions {
  /** The strategy to run; linear strategies see the features `[1]`. */
  readonly strategy: BanditStrategy;
  /** Success probability of each arm. */
  readonly means: readonly number[];
  /** Number of decisions. */
  readonly steps: number;
  /** Seeds both the strategy's random source and the rewards (from separate streams). */
  readonly seed: number | string;
}

/**
 * Runs `strategy` for `steps` decisions against Bernoulli arms with success probabilities `means`.
 * The simulation keeps each arm's statistics itself (as a selector would, without decay) and
 * passes `totalCount` = the number of decisions so far. Returns the chosen arm of every step.
 */
export function simulateBernoulliBandit({
  strategy,
  means,
  steps,
  seed,
}: BernoulliSimulationOptions): Int32Array {
  const strategyRandom = seededRandom(`${seed}:strategy`);
  const rewardRandom = seededRandom(`${seed}:rewards`);
  const choices = new Int32Array(steps);
  if (strategy.kind === 'linear') {
    const features = [1];
    const arms = means.map((_, index) => ({
      id: `arm-${index}`,
      statistics: mutableLinearStatistics(0, 0),
      utilityOffset: 0,
    }));
    for (let step = 0; step < steps; step++) {
      const chosen = strategy.choose(arms, { random: strategyRandom, totalCount: step, features });
      const reward = rewardRandom.next() < means[chosen]! ? 1 : 0;
      const statistics = arms[chosen]!.statistics;
      statistics.count += 1;
      statistics.gramMatrix[0]! += 1;
      statistics.featureRewardSums[0]! += reward;
      statistics.sum += reward;
      statistics.sumOfSquares += reward;
      choices[step] = chosen;
    }
    return choices;
  }
  const arms = means.map((_, index) => ({
    id: `arm-${index}`,
    statistics: { count: 0, sum: 0, sumOfSquares: 0 },
    utilityOffset: 0,
  }));
  for (let step = 0; step < steps; step++) {
    const chosen = strategy.choose(arms, { random: strategyRandom, totalCount: step });
    const reward = rewardRandom.next() < means[chosen]! ? 1 : 0;
    const statistics = arms[chosen]!.statistics;
    statistics.count += 1;
    statistics.sum += reward;
    statistics.sumOfSquares += reward;
    choices[step] = chosen;
  }
  return choices;
}

/**
 * The conformance suite of the `BanditStrategy` plug-in point. Registers its tests through
 * `runner.test` (so it runs under vitest, node:test or jest) and asserts with `node:assert`.
 * Every strategy, built in or third-party, must pass it.
 *
 * @example
 * ```ts
 * import { test } from 'vitest';
 * strategyConformance({ test }, {
 *   name: 'my-strategy',
 *   create: (options) => myStrategy(options),
 *   invalidOptions: [{ rate: -1 }, { rate: Number.NaN }],
 * });
 * ```
 */
export function strategyConformance(
  runner: ConformanceTestRunner,
  subject: StrategyConformanceSubject,
): void {
  const test = (name: string, fn: () => void | Promise<void>) =>
    runner.test(`${subject.name} conforms: ${name}`, fn);

  test('rejects invalid options with an InvalidArgumentError', () => {
    const invalid = [...subject.invalidOptions, { notAnOptionOfAnyStrategy: 1 }];
    for (const options of invalid) {
      assert.throws(
        () => subject.create(options),
        (error: unknown) => InvalidArgumentError.isInstance(error),
        `options ${describe(options)} were accepted`,
      );
    }
  });

  test('has the fields of the v1 specification', () => {
    const strategy = subject.create();
    assert.equal(strategy.specificationVersion, 'v1');
    assert.equal(typeof strategy.name, 'string');
    assert.ok(strategy.name.length > 0, 'name is empty');
    assert.ok(
      strategy.kind === 'scalar' || strategy.kind === 'linear',
      `unknown kind ${String(strategy.kind)}`,
    );
    assert.ok(
      strategy.rewardDomain === 'unit-interval' || strategy.rewardDomain === 'real',
      `unknown reward domain ${String(strategy.rewardDomain)}`,
    );
    assert.equal(typeof strategy.choose, 'function');
    assert.equal(typeof strategy.estimate, 'function');
    assert.ok(strategy.options !== null && typeof strategy.options === 'object', 'options is not an object');
    for (const [key, value] of Object.entries(strategy.options)) {
      assert.ok(
        ['number', 'string', 'boolean'].includes(typeof value),
        `option ${key} is a ${typeof value}, not a number, string or boolean`,
      );
    }
    assert.deepEqual(
      subject.create({}).options,
      strategy.options,
      'create({}) and create() resolve differently',
    );
  });

  test('chooses a valid index for one arm', () => {
    const strategy = subject.create();
    for (const statistics of [EMPTY, played(10, 4)]) {
      for (let seed = 0; seed < 10; seed++) {
        assert.equal(choose(strategy, [statistics], seededRandom(seed), statistics.count), 0);
      }
    }
  });

  test('chooses a valid index for many arms, including when none was played', () => {
    const strategy = subject.create();
    const statisticsRandom = seededRandom('statistics');
    for (const armCount of [2, 3, 7, 16]) {
      for (let seed = 0; seed < 20; seed++) {
        const allEmpty = seed % 4 === 0;
        const arms: ScalarStatistics[] = [];
        let total = 0;
        for (let index = 0; index < armCount; index++) {
          const count =
            allEmpty || statisticsRandom.next() < 0.2 ? 0 : Math.floor(statisticsRandom.next() * 200);
          arms.push(played(count, Math.floor(count * statisticsRandom.next())));
          total += count;
        }
        const chosen = choose(strategy, arms, seededRandom(seed), total);
        assert.ok(
          Number.isInteger(chosen) && chosen >= 0 && chosen < armCount,
          `chose ${chosen} among ${armCount} arms`,
        );
      }
    }
  });

  test('is deterministic under a seed', () => {
    const means = [0.3, 0.5, 0.45, 0.6];
    const first = simulateBernoulliBandit({ strategy: subject.create(), means, steps: 300, seed: 7 });
    const second = simulateBernoulliBandit({ strategy: subject.create(), means, steps: 300, seed: 7 });
    assert.deepEqual(Array.from(second), Array.from(first));
  });

  test('estimates without NaN, with lower ≤ mean ≤ upper, widening with the level', () => {
    const strategy = subject.create();
    const cases = [
      EMPTY,
      played(1, 0),
      played(1, 1),
      played(10, 3),
      played(1000, 999),
      played(1e6, 0),
      played(2.5, 1.25),
    ];
    for (const statistics of cases) {
      let previous: { lower: number; upper: number } | undefined;
      for (const level of [0.5, 0.8, 0.95, 0.99]) {
        const estimate = estimateOf(strategy, statistics, level);
        const label = `${describe(statistics)} at level ${level}: ${describe(estimate)}`;
        for (const value of [estimate.mean, estimate.lower, estimate.upper]) {
          assert.equal(typeof value, 'number', label);
          assert.ok(!Number.isNaN(value), `NaN in the estimate of ${label}`);
        }
        assert.ok(
          estimate.lower <= estimate.mean && estimate.mean <= estimate.upper,
          `disordered estimate of ${label}`,
        );
        if (strategy.rewardDomain === 'unit-interval') {
          assert.ok(estimate.lower >= 0 && estimate.upper <= 1, `interval leaves [0, 1]: ${label}`);
        }
        if (previous) {
          assert.ok(
            estimate.lower <= previous.lower && estimate.upper >= previous.upper,
            `a higher level narrowed the interval: ${label}`,
          );
        }
        previous = estimate;
      }
    }
  });

  test('converges on an easy world (3 Bernoulli arms 0.5 / 0.8 / 0.2)', () => {
    const means = [0.5, 0.8, 0.2];
    for (const seed of [1, 2, 3]) {
      const choices = simulateBernoulliBandit({ strategy: subject.create(), means, steps: 2000, seed });
      let best = 0;
      for (let step = 1500; step < 2000; step++) if (choices[step] === 1) best++;
      assert.ok(
        best >= 400,
        `seed ${seed}: the best arm was played in ${best} of the last 500 steps (< 400)`,
      );
    }
  });

  test('breaks ties at random', () => {
    const strategy = subject.create();
    for (const statistics of [EMPTY, played(40, 20)]) {
      const chosen = [0, 0];
      for (let seed = 0; seed < 64; seed++) {
        const index = choose(strategy, [statistics, statistics], seededRandom(seed), 2 * statistics.count);
        chosen[index]! += 1;
      }
      assert.ok(
        chosen[0]! >= 16 && chosen[1]! >= 16,
        `two identical arms ${describe(statistics)} were chosen ${chosen[0]} and ${chosen[1]} times in 64 seeds`,
      );
    }
  });

  test('adds the utility offset to the arm index', () => {
    const strategy = subject.create();
    const statistics = played(1000, 500);
    for (const boosted of [0, 1]) {
      let hits = 0;
      for (let seed = 0; seed < 64; seed++) {
        const offsets = boosted === 0 ? [0.5, 0] : [0, 0.5];
        if (choose(strategy, [statistics, statistics], seededRandom(seed), 2000, offsets) === boosted) hits++;
      }
      assert.ok(hits >= 52, `the arm with offset +0.5 was chosen in only ${hits} of 64 seeds`);
    }
  });

  test('leaves its inputs unchanged', () => {
    const strategy = subject.create();
    const arms = [played(30, 10), played(20, 15), EMPTY];
    if (strategy.kind === 'linear') {
      const linearArms = arms.map((statistics, index) => linearArm(index, statistics, 0));
      const snapshot = JSON.stringify(linearArms, linearReplacer);
      strategy.choose(linearArms, { random: seededRandom(1), totalCount: 50, features: [1] });
      strategy.estimate(linearArms[0]!.statistics, [1], 0.9);
      assert.equal(JSON.stringify(linearArms, linearReplacer), snapshot);
    } else {
      const scalarArms = arms.map((statistics, index) =>
        Object.freeze({ id: `arm-${index}`, statistics: Object.freeze({ ...statistics }), utilityOffset: 0 }),
      );
      strategy.choose(Object.freeze(scalarArms), { random: seededRandom(1), totalCount: 50 });
      strategy.estimate(scalarArms[0]!.statistics, 0.9);
      assert.deepEqual(
        scalarArms.map((arm) => arm.statistics),
        arms,
      );
    }
  });

  test('expectedReward, when present, equals the mean of estimate', () => {
    const strategy = subject.create();
    if (strategy.kind !== 'scalar' || strategy.expectedReward === undefined) return;
    for (const statistics of [
      EMPTY,
      played(1, 0),
      played(1, 1),
      played(10, 3),
      played(1000, 999),
      played(2.5, 1.25),
    ]) {
      assert.equal(
        strategy.expectedReward(statistics),
        strategy.estimate(statistics, 0.95).mean,
        `for ${describe(statistics)}`,
      );
    }
  });

  test('its statistics round-trip through a store: a new selector on the same store estimates the same', async () => {
    const store = memoryStore();
    const arms = ['arm-a', 'arm-b', 'arm-c'];
    const first = createSelector({ strategy: subject.create(), store, seed: 1, arms });
    const rewards = seededRandom('round-trip');
    const context = { features: 0.5 };
    const options = subject.create().kind === 'linear' ? { context } : {};
    for (let step = 0; step < 60; step++) {
      const arm = await first.select(arms, options);
      await first.update(arm, rewards.next() < 0.5 ? 1 : 0, options);
    }
    const second = createSelector({ strategy: subject.create(), store, seed: 2 });
    assert.deepEqual(await second.estimates(arms, options), await first.estimates(arms, options));
    const total = (await second.estimates(arms, options)).reduce((sum, estimate) => sum + estimate.pulls, 0);
    assert.equal(total, 60);
  });
}

const EMPTY: ScalarStatistics = Object.freeze({ count: 0, sum: 0, sumOfSquares: 0 });

/** Scalar statistics of `count` Bernoulli observations with `successes` successes. */
function played(count: number, successes: number): ScalarStatistics {
  return Object.freeze({ count, sum: successes, sumOfSquares: successes });
}

interface MutableLinearStatistics extends LinearStatistics {
  count: number;
  sum: number;
  sumOfSquares: number;
  readonly gramMatrix: Float64Array;
  readonly featureRewardSums: Float64Array;
}

function mutableLinearStatistics(count: number, sum: number, sumOfSquares = sum): MutableLinearStatistics {
  return {
    dimension: 1,
    count,
    gramMatrix: new Float64Array([count]),
    featureRewardSums: new Float64Array([sum]),
    sum,
    sumOfSquares,
  };
}

/** The arm as a linear strategy sees it with the features `[1]`: the same observations. */
function linearArm(index: number, statistics: ScalarStatistics, utilityOffset: number): LinearStrategyArm {
  return {
    id: `arm-${index}`,
    statistics: mutableLinearStatistics(statistics.count, statistics.sum, statistics.sumOfSquares),
    utilityOffset,
  };
}

function choose(
  strategy: BanditStrategy,
  arms: readonly ScalarStatistics[],
  random: RandomSource,
  totalCount: number,
  offsets: readonly number[] = [],
): number {
  if (strategy.kind === 'linear') {
    const linearArms = arms.map((statistics, index) => linearArm(index, statistics, offsets[index] ?? 0));
    return (strategy as LinearBanditStrategy).choose(linearArms, { random, totalCount, features: [1] });
  }
  const scalarArms: ScalarStrategyArm[] = arms.map((statistics, index) => ({
    id: `arm-${index}`,
    statistics,
    utilityOffset: offsets[index] ?? 0,
  }));
  return (strategy as ScalarBanditStrategy).choose(scalarArms, { random, totalCount });
}

function estimateOf(strategy: BanditStrategy, statistics: ScalarStatistics, level: number) {
  if (strategy.kind === 'linear') {
    return strategy.estimate(
      mutableLinearStatistics(statistics.count, statistics.sum, statistics.sumOfSquares),
      [1],
      level,
    );
  }
  return strategy.estimate(statistics, level);
}

function linearReplacer(_key: string, value: unknown): unknown {
  return value instanceof Float64Array ? Array.from(value) : value;
}

function describe(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    typeof item === 'number' && !Number.isFinite(item) ? String(item) : item,
  );
}
