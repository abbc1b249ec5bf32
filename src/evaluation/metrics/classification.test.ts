import { describe, expect, test } from 'vitest';
import { seededRandom } from '../../random/index.js';
import type { ScoredExample } from '../task-score.js';
import { calibration } from './calibration.js';
import { scoreClassification } from './classification.js';
import { wilsonInterval } from './intervals.js';

const example = (label: string, output: unknown, scores?: Record<string, number>): ScoredExample => ({
  label,
  prediction: scores === undefined ? { output } : { output, scores },
});

// gold → predicted: cat→cat, cat→dog, dog→dog, dog→dog, bird→cat, cat→cat
const examples = [
  example('cat', 'cat'),
  example('cat', 'dog'),
  example('dog', 'dog'),
  example('dog', 'dog'),
  example('bird', 'cat'),
  example('cat', 'cat'),
];

describe('scoreClassification', () => {
  const score = scoreClassification(examples, { random: seededRandom(1) });

  test('accuracy 4/6 with a Wilson interval, per-example hits', () => {
    expect(score.quality.metric).toBe('accuracy');
    expect(score.quality.value).toBeCloseTo(4 / 6, 12);
    const interval = wilsonInterval(4, 6, 0.95);
    expect(score.quality.lower).toBe(interval.lower);
    expect(score.quality.upper).toBe(interval.upper);
    expect(score.metrics['accuracy-lower']).toBe(interval.lower);
    expect(score.perExample).toEqual([1, 0, 1, 1, 0, 1]);
  });

  test('confusion matrix over the sorted labels', () => {
    // rows gold, columns predicted: bird [0 1 0], cat [0 2 1], dog [0 0 2]
    expect(score.confusionMatrix).toEqual({
      labels: ['bird', 'cat', 'dog'],
      counts: [
        [0, 1, 0],
        [0, 2, 1],
        [0, 0, 2],
      ],
    });
  });

  test('per-class precision/recall/F1 and macro-F1', () => {
    // bird: never predicted → precision 0 (0/0 → 0), recall 0/1 = 0, F1 0
    // cat: precision 2/3 (predicted 3: two cats, one bird), recall 2/3, F1 2/3
    // dog: precision 2/3 (predicted 3), recall 2/2 = 1, F1 = 2·(2/3)·1/(5/3) = 0.8
    // macro-F1 = (0 + 2/3 + 0.8) / 3 = 0.488889
    expect(score.metrics['precision:bird']).toBe(0);
    expect(score.metrics['recall:bird']).toBe(0);
    expect(score.metrics['precision:cat']).toBeCloseTo(2 / 3, 12);
    expect(score.metrics['recall:cat']).toBeCloseTo(2 / 3, 12);
    expect(score.metrics['precision:dog']).toBeCloseTo(2 / 3, 12);
    expect(score.metrics['recall:dog']).toBe(1);
    expect(score.metrics['f1:dog']).toBeCloseTo(0.8, 12);
    expect(score.metrics['macro-f1']).toBeCloseTo((0 + 2 / 3 + 0.8) / 3, 12);
    expect(score.metrics['macro-f1-lower']).toBeLessThanOrEqual(score.metrics['macro-f1']!);
    expect(score.metrics['macro-f1-upper']).toBeGreaterThanOrEqual(score.metrics['macro-f1']!);
  });

  test('a gold label never predicted nor scored is an unknown label (and a plain miss)', () => {
    expect(score.metrics['unknown-labels']).toBe(1);
    expect(score.metrics['malformed-outputs']).toBe(0);
    expect(score.metrics.ece).toBeUndefined();
  });

  test('the bootstrap of macro-F1 is reproducible with the same seed', () => {
    const again = scoreClassification(examples, { random: seededRandom(1) });
    expect(again.metrics['macro-f1-lower']).toBe(score.metrics['macro-f1-lower']);
    expect(again.metrics['macro-f1-upper']).toBe(score.metrics['macro-f1-upper']);
  });

  test('malformed outputs count as wrong, never crash', () => {
    const result = scoreClassification(
      [example('a', 'a'), example('a', 42), example('b', Number.NaN), example('b', null)],
      { random: seededRandom(1) },
    );
    // 1 correct of 4; the three malformed outputs are in no column of the matrix
    expect(result.quality.value).toBe(0.25);
    expect(result.metrics['malformed-outputs']).toBe(3);
    expect(result.confusionMatrix?.counts).toEqual([
      [1, 0],
      [0, 0],
    ]);
    // a: TP 1, predicted 1, gold 2 → F1 = 2·1/(2 + 1) = 2/3; b: F1 0 → macro (2/3 + 0)/2 = 1/3
    expect(result.metrics['macro-f1']).toBeCloseTo(1 / 3, 12);
  });

  test('a gold label that is not a string is an invalid argument', () => {
    expect(() => scoreClassification([{ label: 3, prediction: { output: '3' } }])).toThrow(
      /examples\[0\]\.label/,
    );
  });
});

describe('calibration', () => {
  // top probability, correct?: 0.9 ✓ (cat), 0.6 ✗ (cat, gold dog), 0.65 ✓ (dog), 0.8 ✗ (dog, gold bird)
  const inputs = [
    { scores: { cat: 0.9, dog: 0.1 }, label: 'cat' },
    { scores: { cat: 0.6, dog: 0.4 }, label: 'dog' },
    { scores: { cat: 0.35, dog: 0.65 }, label: 'dog' },
    { scores: { cat: 0.2, dog: 0.8 }, label: 'bird' },
  ];

  test('mean confidence, ECE and multi-class Brier by hand', () => {
    const result = calibration(inputs, 10);
    // mean confidence = (0.9 + 0.6 + 0.65 + 0.8) / 4 = 0.7375
    expect(result.meanConfidence).toBeCloseTo(0.7375, 12);
    // bins: 0.6, 0.65 → bin 6 (acc 1/2, conf 0.625): 2/4·0.125 = 0.0625
    //       0.8 → bin 8 (acc 0, conf 0.8): 1/4·0.8 = 0.2; 0.9 → bin 9 (acc 1): 1/4·0.1 = 0.025
    expect(result.expectedCalibrationError).toBeCloseTo(0.0625 + 0.2 + 0.025, 12);
    // Brier: 0.1² + 0.1² = 0.02; 0.6² + 0.6² = 0.72; 0.35² + 0.35² = 0.245;
    //        0.2² + 0.8² + 1² (bird missing) = 1.68 → mean 2.665/4 = 0.66625
    expect(result.brierScore).toBeCloseTo(0.66625, 12);
  });

  test('a top probability of 1 falls in the last bin; perfect calibration gives ECE 0', () => {
    const result = calibration([{ scores: { a: 1, b: 0 }, label: 'a' }], 10);
    expect(result.expectedCalibrationError).toBe(0);
    expect(result.brierScore).toBe(0);
  });

  test('scoreClassification reports it from prediction.scores, skipping malformed scores', () => {
    const result = scoreClassification(
      [
        ...inputs.map(({ scores, label }) => example(label, scores.cat > scores.dog ? 'cat' : 'dog', scores)),
        example('cat', 'cat', { cat: Number.NaN }),
      ],
      { random: seededRandom(1) },
    );
    expect(result.metrics['mean-confidence']).toBeCloseTo(0.7375, 12);
    expect(result.metrics.ece).toBeCloseTo(0.2875, 12);
    expect(result.metrics.brier).toBeCloseTo(0.66625, 12);
    expect(result.metrics['scored-examples']).toBe(4);
    expect(result.metrics['malformed-scores']).toBe(1);
    // bird was never predicted but has no score either → unknown
    expect(result.metrics['unknown-labels']).toBe(1);
  });

  test('a gold label present in the scores is not unknown', () => {
    const result = scoreClassification([example('bird', 'cat', { cat: 0.7, bird: 0.3 })], {
      random: seededRandom(1),
    });
    expect(result.metrics['unknown-labels']).toBe(0);
  });

  test('calibrationBins changes the binning', () => {
    // one bin: |accuracy 2/4 − confidence 0.7375| = 0.2375
    expect(calibration(inputs, 1).expectedCalibrationError).toBeCloseTo(0.2375, 12);
  });
});
