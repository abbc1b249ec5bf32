import { describe, expect, test } from 'vitest';
import { epsilonGreedy } from '../bandit/epsilon-greedy.js';
import { linUcb } from '../bandit/lin-ucb.js';
import { thompsonSampling } from '../bandit/thompson-sampling.js';
import { ucb1 } from '../bandit/ucb1.js';
import { manualClock } from '../clock/manual-clock.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { UnknownArmError } from '../errors/unknown-arm-error.js';
import { seededRandom } from '../random/seeded-random.js';
import { memoryStore } from '../store/memory-store.js';
import { faultyStore } from '../testing/faulty-store.js';
import { createSelector } from './create-selector.js';

const ARMS = ['a', 'b', 'c'];

describe('createSelector: bad input gets typed errors', () => {
  test('invalid options', () => {
    for (const options of [
      { halfLifeMs: 0 },
      { halfLifeMs: Number.NaN },
      { backoffStrength: -1 },
      { confidenceLevel: 1 },
      { namespace: 'a:b' },
      { namespace: '' },
      { arms: ['x', 'x'] },
      { seed: Number.POSITIVE_INFINITY },
      { unknownOption: true },
    ]) {
      expect(() => createSelector(options as never), JSON.stringify(options)).toThrow(
        expect.objectContaining({ name: 'InvalidArgumentError' }),
      );
    }
  });

  test('empty arm list, duplicates, non-strings', async () => {
    const selector = createSelector({ seed: 1 });
    for (const arms of [[], ['a', 'a'], ['a', ''], [1], 'a', undefined]) {
      const error = await selector.select(arms as never).catch((caught: unknown) => caught);
      expect(InvalidArgumentError.isInstance(error), JSON.stringify(arms)).toBe(true);
    }
  });

  test('rewards outside [0, 1] or NaN, unknown arms, wrong context types', async () => {
    const selector = createSelector({ seed: 1 });
    await selector.select(ARMS, { context: { tier: 'free', tokens: 10 } });
    for (const reward of [-0.1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '1']) {
      const error = await selector.update('a', reward as never).catch((caught: unknown) => caught);
      expect(InvalidArgumentError.isInstance(error), String(reward)).toBe(true);
    }
    const unknown = await selector.update('zzz', 1).catch((caught: unknown) => caught);
    expect(UnknownArmError.isInstance(unknown)).toBe(true);
    expect((unknown as UnknownArmError).armId).toBe('zzz');
    for (const context of [
      { tier: null },
      { tier: { nested: 1 } },
      { tier: [1] },
      { tokens: Number.NaN },
      [],
    ]) {
      const error = await selector
        .select(ARMS, { context: context as never })
        .catch((caught: unknown) => caught);
      expect(InvalidArgumentError.isInstance(error), JSON.stringify(context)).toBe(true);
    }
    // A key keeps the kind it was first seen with.
    const switched = await selector.select(ARMS, { context: { tier: 3 } }).catch((caught: unknown) => caught);
    expect(switched).toMatchObject({ name: 'InvalidArgumentError', argument: 'context.tier' });
  });

  test('declared arms accept outcomes before they are offered', async () => {
    const selector = createSelector({ seed: 1, arms: ['x'] });
    await expect(selector.update('x', 1)).resolves.toBeUndefined();
    const [estimate] = await selector.estimates(['x']);
    expect(estimate?.pulls).toBe(1);
  });

  test('a gaussian strategy accepts unbounded rewards', async () => {
    const selector = createSelector({
      seed: 1,
      strategy: thompsonSampling({ likelihood: 'gaussian' }),
      arms: ['x'],
    });
    await selector.update('x', 250);
    const [estimate] = await selector.estimates(['x']);
    expect(estimate?.mean).toBeGreaterThan(1);
  });
});

/** Plays `steps` rounds of a Bernoulli world, returning the chosen arms. */
async function play(
  selector: ReturnType<typeof createSelector>,
  means: Record<string, number>,
  steps: number,
  seed: number,
): Promise<string[]> {
  const world = seededRandom(seed);
  const arms = Object.keys(means);
  const chosen: string[] = [];
  for (let step = 0; step < steps; step++) {
    const arm = await selector.select(arms);
    chosen.push(arm);
    await selector.update(arm, world.next() < means[arm]! ? 1 : 0);
  }
  return chosen;
}

describe('createSelector: learning', () => {
  test('deterministic under a seed, different across seeds', async () => {
    const means = { a: 0.3, b: 0.5, c: 0.7 };
    const first = await play(createSelector({ seed: 7 }), means, 300, 1);
    const second = await play(createSelector({ seed: 7 }), means, 300, 1);
    const other = await play(createSelector({ seed: 8 }), means, 300, 1);
    expect(second).toEqual(first);
    expect(other).not.toEqual(first);
  });

  test.each([
    ['thompson sampling', thompsonSampling()],
    ['ucb1', ucb1()],
    ['epsilon-greedy', epsilonGreedy({ epsilon: 0.05 })],
    ['linUcb', linUcb()],
  ])('%s converges on an easy world', async (_, strategy) => {
    const chosen = await play(createSelector({ seed: 3, strategy }), { a: 0.2, b: 0.5, c: 0.8 }, 2000, 2);
    const late = chosen.slice(-500);
    expect(late.filter((arm) => arm === 'c').length / late.length).toBeGreaterThan(0.8);
  });

  test('estimates carry means, intervals and pulls', async () => {
    const selector = createSelector({ seed: 1, arms: ARMS });
    for (let index = 0; index < 40; index++) await selector.update('a', index % 4 === 0 ? 0 : 1);
    const [a, b] = await selector.estimates(['a', 'b']);
    expect(a?.pulls).toBe(40);
    expect(a?.mean).toBeCloseTo(31 / 42, 6); // Beta(1 + 30, 1 + 10)
    expect(a!.lower).toBeLessThan(a!.mean);
    expect(a!.upper).toBeGreaterThan(a!.mean);
    expect(b).toMatchObject({ id: 'b', pulls: 0, mean: 0.5 });
    expect(b!.upper - b!.lower).toBeGreaterThan(a!.upper - a!.lower);
  });

  test('statistics round-trip through the store: a new selector on the same store knows them', async () => {
    const store = memoryStore();
    const first = createSelector({ seed: 1, store, namespace: 'shared' });
    await play(first, { a: 0.2, b: 0.9 }, 200, 4);
    const second = createSelector({ seed: 2, store, namespace: 'shared' });
    const isolated = createSelector({ seed: 2, store, namespace: 'other' });
    expect(await second.estimates(['a', 'b'])).toEqual(await first.estimates(['a', 'b']));
    expect((await isolated.estimates(['a', 'b'])).map((estimate) => estimate.pulls)).toEqual([0, 0]);
    // And they learn together: updates of one are seen by the other after a refresh.
    await second.update('a', 1);
    await first.refresh();
    expect(await first.estimates(['a'])).toEqual(await second.estimates(['a']));
  });
});

describe('createSelector: contexts', () => {
  test('a rarely seen context behaves like the global estimate; an often seen one has its own best arm', async () => {
    const selector = createSelector({ seed: 5, arms: ['a', 'b'], backoffStrength: 10 });
    const common = { context: { segment: 'common' } };
    for (let index = 0; index < 200; index++) {
      await selector.update('a', 1, common);
      await selector.update('b', 0, common);
    }
    const special = { context: { segment: 'special' } };
    for (let index = 0; index < 200; index++) {
      await selector.update('a', 0, special);
      await selector.update('b', 1, special);
    }
    const rare = { context: { segment: 'rare' } };
    await selector.update('b', 1, rare);
    const [globalA, globalB] = await selector.estimates(['a', 'b']);
    const [rareA, rareB] = await selector.estimates(['a', 'b'], rare);
    const [specialA, specialB] = await selector.estimates(['a', 'b'], special);
    // Global: both at one half. Rare: one observation moves it little from the global estimate.
    expect(globalA!.mean).toBeCloseTo(0.5, 2);
    expect(Math.abs(rareA!.mean - globalA!.mean)).toBeLessThan(0.05);
    expect(rareB!.mean - globalB!.mean).toBeLessThan(0.1);
    expect(specialB!.mean).toBeGreaterThan(0.9);
    expect(specialA!.mean).toBeLessThan(0.1);
    const choices = new Set<string>();
    for (let index = 0; index < 50; index++) choices.add(await selector.select(['a', 'b'], special));
    expect([...choices]).toEqual(['b']);
  });

  test('two categorical keys back off through each key alone', async () => {
    const selector = createSelector({ seed: 5, arms: ['a', 'b'] });
    // Lots of evidence that in language 'de' arm b is best, whatever the tier.
    for (let index = 0; index < 300; index++) {
      await selector.update('a', 0, { context: { language: 'de', tier: 'pro' } });
      await selector.update('b', 1, { context: { language: 'de', tier: 'pro' } });
    }
    // A combination never seen: (de, free) borrows from 'de' (and from 'free', unseen → global).
    const [a, b] = await selector.estimates(['a', 'b'], { context: { language: 'de', tier: 'free' } });
    expect(b!.mean).toBeGreaterThan(a!.mean + 0.2);
    expect(a!.pulls).toBe(0);
  });

  test('numeric features drive a linear strategy', async () => {
    const selector = createSelector({ seed: 9, strategy: linUcb({ alpha: 0.5 }) });
    const world = seededRandom(10);
    let correctLate = 0;
    for (let step = 0; step < 1500; step++) {
      const length = world.next();
      const context = { length };
      const arm = await selector.select(['short', 'long'], { context });
      const best = length > 0.5 ? 'long' : 'short';
      if (step >= 1000 && arm === best) correctLate++;
      await selector.update(arm, arm === best ? 1 : 0, { context });
    }
    expect(correctLate / 500).toBeGreaterThan(0.85);
  });
});

describe('createSelector: change and failure', () => {
  test('with halfLifeMs it follows an arm whose quality drops', async () => {
    const clock = manualClock(1_700_000_000_000);
    const selector = createSelector({ seed: 11, clock, halfLifeMs: 100 });
    const world = seededRandom(12);
    const means: Record<string, number> = { a: 0.8, b: 0.5 };
    for (let step = 0; step < 2000; step++) {
      clock.advance(1);
      const arm = await selector.select(['a', 'b']);
      await selector.update(arm, world.next() < means[arm]! ? 1 : 0);
    }
    means.a = 0.2;
    let switchedAt = -1;
    let streak = 0;
    for (let step = 0; step < 1000 && switchedAt < 0; step++) {
      clock.advance(1);
      const arm = await selector.select(['a', 'b']);
      streak = arm === 'b' ? streak + 1 : 0;
      if (streak === 20) switchedAt = step;
      await selector.update(arm, world.next() < means[arm]! ? 1 : 0);
    }
    expect(switchedAt).toBeGreaterThan(0);
    expect(switchedAt).toBeLessThan(500);
  });

  test('decayed estimates weigh recent outcomes more, continuously across epochs', async () => {
    const clock = manualClock(0);
    const selector = createSelector({ seed: 1, clock, halfLifeMs: 10, arms: ['a'] });
    await selector.update('a', 1);
    clock.advance(10);
    expect((await selector.estimates(['a']))[0]!.pulls).toBeCloseTo(0.5, 12);
    // An epoch spans 64 half-lives (640 ms here): observe just before the boundary, read just after.
    clock.set(635);
    await selector.update('a', 1);
    clock.set(645);
    expect((await selector.estimates(['a']))[0]!.pulls).toBeCloseTo(0.5 + 2 ** -64.5, 12);
    await selector.update('a', 0);
    const [estimate] = await selector.estimates(['a']);
    expect(estimate!.pulls).toBeCloseTo(1.5, 12);
    // Rewards 1 (weight ½) and 0 (weight 1): the Beta(1, 1) posterior mean is (1 + ½) / (2 + 1½).
    expect(estimate!.mean).toBeCloseTo(1.5 / 3.5, 6);
  });

  test('a store outage loses nothing: updates queue, an event says so, and they are flushed when it returns', async () => {
    const inner = memoryStore();
    const store = faultyStore(inner);
    const selector = createSelector({ seed: 1, store, arms: ['a', 'b'] });
    const events: string[] = [];
    selector.events.on('store_error', (event) => events.push(`error:${event.pendingIncrements}`));
    selector.events.on('store_recovered', () => events.push('recovered'));
    await selector.update('a', 1);
    store.failing = true;
    await selector.update('a', 1);
    await selector.update('b', 0);
    expect(await selector.select(['a', 'b'])).toMatch(/^[ab]$/); // still selecting from the local view
    expect((await selector.estimates(['a']))[0]!.pulls).toBe(2);
    expect(events[0]).toMatch(/^error:/);
    store.failing = false;
    await selector.flush();
    expect(events.at(-1)).toBe('recovered');
    const fresh = createSelector({ seed: 1, store: inner });
    expect((await fresh.estimates(['a', 'b'])).map((estimate) => estimate.pulls)).toEqual([2, 1]);
  });
});
