import { describe, expect, test } from 'vitest';
import { seededRandom } from '../../random/index.js';
import type { ScoredExample } from '../task-score.js';
import { readEntityAnnotation, tagsToSpans } from './entity-spans.js';
import { entityScores, scoreTokenClassification } from './token-classification.js';

const example = (label: unknown, output: unknown): ScoredExample => ({ label, prediction: { output } });

describe('tagsToSpans (seqeval default mode)', () => {
  test('IOB2', () => {
    expect(tagsToSpans(['B-PER', 'I-PER', 'O', 'B-LOC'])).toEqual([
      { type: 'PER', start: 0, end: 2 },
      { type: 'LOC', start: 3, end: 4 },
    ]);
  });

  test('an I after O or after another type starts an entity; B after B splits', () => {
    expect(tagsToSpans(['O', 'I-PER', 'I-PER'])).toEqual([{ type: 'PER', start: 1, end: 3 }]);
    expect(tagsToSpans(['B-PER', 'I-LOC'])).toEqual([
      { type: 'PER', start: 0, end: 1 },
      { type: 'LOC', start: 1, end: 2 },
    ]);
    expect(tagsToSpans(['B-PER', 'B-PER'])).toEqual([
      { type: 'PER', start: 0, end: 1 },
      { type: 'PER', start: 1, end: 2 },
    ]);
  });

  test('IOBES and underscores', () => {
    expect(tagsToSpans(['S-PER', 'B-LOC', 'E-LOC', 'O', 'B_ORG'])).toEqual([
      { type: 'PER', start: 0, end: 1 },
      { type: 'LOC', start: 1, end: 3 },
      { type: 'ORG', start: 4, end: 5 },
    ]);
  });

  test('an unknown tag makes the sequence unreadable', () => {
    expect(tagsToSpans(['B-PER', 'PER'])).toBeUndefined();
    expect(tagsToSpans(['X-PER'])).toBeUndefined();
  });

  test('readEntityAnnotation reads spans, tags, or nothing', () => {
    expect(readEntityAnnotation([])).toEqual({ kind: 'spans', spans: [] });
    expect(readEntityAnnotation([{ type: 'PER', start: 0, end: 5, score: 0.9 }])).toEqual({
      kind: 'spans',
      spans: [{ type: 'PER', start: 0, end: 5 }],
    });
    expect(readEntityAnnotation([{ type: 'PER', start: 5, end: 5 }])).toBeUndefined();
    expect(readEntityAnnotation('B-PER')).toBeUndefined();
  });
});

describe('entityScores zero-division conventions', () => {
  test('nothing predicted, nothing to find: perfect', () => {
    expect(entityScores({ truePositives: 0, predicted: 0, gold: 0 })).toEqual({
      precision: 1,
      recall: 1,
      f1: 1,
    });
  });

  test('empty prediction with gold entities: precision 0 (0/0 → 0), recall 0, F1 0', () => {
    expect(entityScores({ truePositives: 0, predicted: 0, gold: 2 })).toEqual({
      precision: 0,
      recall: 0,
      f1: 0,
    });
  });

  test('spurious entities where there are none: all 0', () => {
    expect(entityScores({ truePositives: 0, predicted: 3, gold: 0 })).toEqual({
      precision: 0,
      recall: 0,
      f1: 0,
    });
  });
});

describe('scoreTokenClassification', () => {
  const examples = [
    // gold PER[0,2) LOC[3,4); predicted PER[0,2) ✓ ORG[3,4) ✗ (type differs)
    example(['B-PER', 'I-PER', 'O', 'B-LOC'], ['B-PER', 'I-PER', 'O', 'B-ORG']),
    // gold LOC[1,3); predicted LOC[1,2) ✗ (span differs)
    example(['O', 'B-LOC', 'I-LOC'], ['O', 'B-LOC', 'O']),
    // nothing either side
    example([], []),
  ];

  test('micro precision/recall/F1 by hand', () => {
    // TP 1, predicted 3, gold 3 → P = R = F1 = 1/3
    const score = scoreTokenClassification(examples, { random: seededRandom(1) });
    expect(score.quality.metric).toBe('f1');
    expect(score.quality.value).toBeCloseTo(1 / 3, 12);
    expect(score.metrics.precision).toBeCloseTo(1 / 3, 12);
    expect(score.metrics.recall).toBeCloseTo(1 / 3, 12);
    expect(score.metrics['gold-entities']).toBe(3);
    expect(score.metrics['predicted-entities']).toBe(3);
    expect(score.perExample).toBeUndefined();
  });

  test('per type', () => {
    const { metrics } = scoreTokenClassification(examples, { random: seededRandom(1) });
    // PER: 1/1 both ways; LOC: gold 2, predicted 1, TP 0; ORG: predicted 1, gold 0
    expect(metrics['f1:PER']).toBe(1);
    expect(metrics['precision:LOC']).toBe(0);
    expect(metrics['recall:LOC']).toBe(0);
    expect(metrics['precision:ORG']).toBe(0);
    expect(metrics['f1:ORG']).toBe(0);
  });

  test('the bootstrap interval is reproducible and contains the estimate', () => {
    const first = scoreTokenClassification(examples, { random: seededRandom(5) });
    const second = scoreTokenClassification(examples, { random: seededRandom(5) });
    expect(first.quality).toEqual(second.quality);
    expect(first.quality.lower).toBeLessThanOrEqual(first.quality.value);
    expect(first.quality.upper).toBeGreaterThanOrEqual(first.quality.value);
  });

  test('character spans, duplicates matched once', () => {
    const score = scoreTokenClassification(
      [
        example(
          [
            { type: 'PER', start: 0, end: 4 },
            { type: 'LOC', start: 10, end: 15 },
          ],
          [
            { type: 'PER', start: 0, end: 4 },
            { type: 'PER', start: 0, end: 4 },
          ],
        ),
      ],
      { random: seededRandom(1) },
    );
    // TP 1 (the duplicate does not match twice), predicted 2, gold 2 → 1/2 each
    expect(score.quality.value).toBeCloseTo(0.5, 12);
  });

  test('empty predictions: every gold entity is missed', () => {
    const score = scoreTokenClassification([example(['B-PER', 'O', 'B-LOC'], ['O', 'O', 'O'])], {
      random: seededRandom(1),
    });
    expect(score.quality.value).toBe(0);
    expect(score.metrics.precision).toBe(0);
    expect(score.metrics['malformed-outputs']).toBe(0);
  });

  test('all empty: perfect', () => {
    const score = scoreTokenClassification([example(['O', 'O'], ['O', 'O']), example([], [])], {
      random: seededRandom(1),
    });
    expect(score.quality).toEqual({ metric: 'f1', value: 1, lower: 1, upper: 1 });
  });

  test('malformed outputs predict nothing and are counted', () => {
    const gold = ['B-PER', 'O'];
    const score = scoreTokenClassification(
      [
        example(gold, ['B-PER', 'O', 'O']), // length mismatch
        example(gold, 'B-PER O'), // not an array
        example(gold, [{ type: 'PER', start: 0, end: 1 }]), // spans against tags
        example(gold, ['B-PER', 'O']), // right
      ],
      { random: seededRandom(1) },
    );
    // TP 1, predicted 1, gold 4 → P 1, R 1/4, F1 = 2·0.25/1.25 = 0.4
    expect(score.metrics['malformed-outputs']).toBe(3);
    expect(score.quality.value).toBeCloseTo(0.4, 12);
  });

  test('an unreadable gold label is an invalid argument', () => {
    expect(() => scoreTokenClassification([example('PER', [])])).toThrow(/examples\[0\]\.label/);
  });
});
