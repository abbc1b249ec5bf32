import { describe, expect, test } from 'vitest';
import { wilsonInterval } from './intervals.js';
import { scoreRetrieval } from './retrieval.js';

/** A unit vector at `degrees`: the cosine of two of them is the cosine of their angle. */
const at = (degrees: number, scale = 1) => [
  scale * Math.cos((degrees * Math.PI) / 180),
  scale * Math.sin((degrees * Math.PI) / 180),
];
const item = (label: unknown, output: unknown) => ({ label, prediction: { output } });

// a at 0° and 30°, b at 90° and 50°, c alone at 20° (retrievable, never a query)
const examples = [
  item('a', at(0)),
  item('a', at(30, 3)),
  item('b', at(90)),
  item('b', at(50)),
  item('c', at(20)),
];
// Nearest first (by angle), rank of the first relevant item:
//   a@0:  c 20, a 30, b 50, b 90 → 2
//   a@30: c 10, b 20, a 30, …   → 3
//   b@90: b 40, …               → 1
//   b@50: a 20, c 30, b 40, …   → 3

describe('scoreRetrieval', () => {
  test('recall@k by hand, the query excluded, cosine (scale-free)', () => {
    const score = scoreRetrieval(examples);
    expect(score.metrics.queries).toBe(4);
    expect(score.quality.metric).toBe('recall@1');
    expect(score.quality.value).toBe(1 / 4);
    const interval = wilsonInterval(1, 4, 0.95);
    expect([score.quality.lower, score.quality.upper]).toEqual([interval.lower, interval.upper]);
    expect(score.metrics['recall@5']).toBe(1);
    expect(score.metrics['recall@10']).toBe(1);
    // MRR = (1/2 + 1/3 + 1 + 1/3) / 4 = 13/24
    expect(score.metrics.mrr).toBeCloseTo(13 / 24, 12);
    expect(score.perExample).toBeUndefined();
  });

  test('recallAt picks the headline k', () => {
    // ranks 2, 3, 1, 3 → two within 2
    const score = scoreRetrieval(examples, { recallAt: 2 });
    expect(score.quality.metric).toBe('recall@2');
    expect(score.quality.value).toBe(0.5);
    expect(score.metrics['recall@1']).toBe(0.25);
  });

  test('ties count against the model', () => {
    // the relevant and the irrelevant item are both at 90° from the query
    const score = scoreRetrieval([item('a', [1, 0]), item('a', [0, 1]), item('b', [0, 2])]);
    // query a@0: relevant 0, irrelevant 0 → rank 2; query a@90: irrelevant b at 0° → rank 2
    expect(score.metrics['recall@1']).toBe(0);
    expect(score.metrics.mrr).toBe(0.5);
  });

  test('malformed embeddings: the query misses and the item is never retrieved', () => {
    const score = scoreRetrieval([
      item('a', [1, 0]),
      item('a', [1, 0, 0]), // another dimension
      item('b', [0, 1]),
      item('b', [0, Number.NaN]),
      item('b', Float32Array.from([0.1, 1])),
      item('c', [0, 0]), // zero vector
    ]);
    expect(score.metrics['malformed-outputs']).toBe(3);
    // queries: a@0 (its only partner is malformed → miss), a (malformed → miss),
    //          b@90 (nearest b [0.1, 1] → hit), b NaN (miss), b [0.1, 1] (nearest b@90 → hit)
    expect(score.metrics.queries).toBe(5);
    expect(score.metrics['recall@1']).toBe(2 / 5);
  });

  test('numeric keys work; no shared key is an invalid argument', () => {
    expect(scoreRetrieval([item(1, [1, 0]), item(1, [1, 0.1])]).quality.value).toBe(1);
    expect(() => scoreRetrieval([item('a', [1, 0]), item('b', [0, 1])])).toThrow(/share a label/);
    expect(() => scoreRetrieval([item(null, [1, 0])])).toThrow(/label/);
  });
});
