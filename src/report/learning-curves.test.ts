import { describe, expect, test } from 'vitest';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { createScout } from '../scout.js';
import { recordLearningCurve } from './learning-curve-recorder.js';
import { computeLearningCurves, type LearningObservation } from './learning-curves.js';

const observe = (step: number, modelId: string, reward?: number): LearningObservation =>
  reward === undefined ? { step, modelId } : { step, modelId, reward };

describe('computeLearningCurves', () => {
  test('cumulative shares, running mean reward, best model and regret', () => {
    const curves = computeLearningCurves([
      observe(1, 'a', 1),
      observe(2, 'b', 0),
      observe(3, 'a', 1),
      observe(4, 'a', 0),
      observe(5, 'b', 1),
    ]);
    expect(curves.requests).toBe(5);
    expect(curves.models).toBe(2);
    expect(curves.series.map((series) => [series.label, series.picks, series.meanReward])).toEqual([
      ['a', 3, 2 / 3],
      ['b', 2, 0.5],
    ]);
    expect(curves.series[0]!.share.map((point) => point.value)).toEqual([1, 0.5, 2 / 3, 0.75, 0.6]);
    expect(curves.series[1]!.share.map((point) => point.step)).toEqual([1, 2, 3, 4, 5]);
    expect(curves.meanReward.map((point) => point.value)).toEqual([1, 0.5, 2 / 3, 0.5, 0.6]);
    expect(curves.best).toEqual({ modelId: 'a', meanReward: 2 / 3 });
    // b served twice, each 2/3 − 1/2 below the best.
    expect(curves.estimatedRegret).toBeCloseTo(2 * (2 / 3 - 0.5));
  });

  test('shares add up to 1 at every point, also with the others grouped', () => {
    const observations = Array.from({ length: 200 }, (_, index) =>
      observe(index + 1, `model-${(index * 7) % 13}`, (index % 3) / 2),
    );
    const curves = computeLearningCurves(observations, { maxSeries: 4, maxPoints: 50 });
    expect(curves.series).toHaveLength(5);
    expect(curves.series.at(-1)).toMatchObject({ label: '9 others', others: true });
    expect(curves.series.at(-1)!.modelIds).toHaveLength(9);
    expect(curves.series.reduce((sum, series) => sum + series.picks, 0)).toBe(200);
    for (const series of curves.series) expect(series.share).toHaveLength(50);
    for (let point = 0; point < 50; point++) {
      const total = curves.series.reduce((sum, series) => sum + series.share[point]!.value, 0);
      expect(total).toBeCloseTo(1, 12);
    }
    expect(curves.series[0]!.share.at(-1)).toEqual({ step: 200, value: curves.series[0]!.picks / 200 });
  });

  test('orders by step, stable for equal steps', () => {
    const curves = computeLearningCurves([observe(3, 'b', 0), observe(1, 'a', 1), observe(1, 'b', 1)]);
    expect(curves.series.find((series) => series.label === 'a')!.share.map((point) => point.value)).toEqual([
      1,
      0.5,
      1 / 3,
    ]);
  });

  test('without rewards: shares only, no best model, no regret', () => {
    const curves = computeLearningCurves([observe(1, 'a'), observe(2, 'b')]);
    expect(curves.meanReward).toEqual([]);
    expect(curves.best).toBeUndefined();
    expect(curves.estimatedRegret).toBeUndefined();
    expect(curves.series.map((series) => series.meanReward)).toEqual([undefined, undefined]);
  });

  test('no observations', () => {
    expect(computeLearningCurves([])).toMatchObject({ requests: 0, models: 0, series: [], meanReward: [] });
  });

  test('rejects invalid observations and options', () => {
    const invalid: unknown[] = [
      [null],
      [{ step: Number.NaN, modelId: 'a' }],
      [{ step: 1, modelId: '' }],
      [{ step: 1, modelId: 'a', reward: Number.POSITIVE_INFINITY }],
      [{ step: 1, modelId: 'a', reward: '1' }],
      'not an array',
    ];
    for (const observations of invalid) {
      expect(() => computeLearningCurves(observations as LearningObservation[])).toThrow(
        InvalidArgumentError,
      );
    }
    expect(() => computeLearningCurves([], { maxSeries: 0 })).toThrow(InvalidArgumentError);
    expect(() => computeLearningCurves([], { maxPoints: 1.5 })).toThrow(InvalidArgumentError);
  });
});

describe('recordLearningCurve', () => {
  test('keeps one observation per outcome a scout records, until stopped', async () => {
    const scout = createScout({ seed: 3 });
    const recorder = recordLearningCurve(scout.events);
    await scout.selectOptimal({ candidates: ['small', 'large'] });
    await scout.recordOutcome({ modelId: 'small', success: true, latencyMs: 12 });
    await scout.recordOutcome({ modelId: 'large', quality: 0.25 });
    await scout.recordOutcome({ modelId: 'large', latencyMs: 40 });
    recorder.stop();
    await scout.recordOutcome({ modelId: 'small', success: false });
    expect(recorder.observations).toEqual([
      { step: 1, modelId: 'small', reward: 1 },
      { step: 2, modelId: 'large', reward: 0.25 },
      { step: 3, modelId: 'large' },
    ]);
    await scout.close();
  });
});
