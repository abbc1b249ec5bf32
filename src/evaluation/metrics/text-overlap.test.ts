import { describe, expect, test } from 'vitest';
import { seededRandom } from '../../random/index.js';
import { bestChrfStatistics, chrf, chrfFromStatistics, chrfStatistics } from './chrf.js';
import { longestCommonSubsequence, rougeL, rougeTokens } from './rouge-l.js';
import { scoreSummarization, scoreTranslation } from './text-overlap.js';

describe('ROUGE-L', () => {
  test('tokens: lower-cased letters and digits, any script', () => {
    expect(rougeTokens('The CAT, sat! 42 times — Größe')).toEqual([
      'the',
      'cat',
      'sat',
      '42',
      'times',
      'größe',
    ]);
  });

  test('LCS', () => {
    expect(longestCommonSubsequence(['a', 'b', 'c', 'd'], ['a', 'c', 'd', 'b'])).toBe(3);
    expect(longestCommonSubsequence([], ['a'])).toBe(0);
  });

  test('F-measure by hand', () => {
    // candidate [the cat sat on the mat], reference [the cat is on the mat]: LCS 5 → P = R = F = 5/6
    expect(rougeL('the cat sat on the mat', 'The cat is on the mat.')).toBeCloseTo(5 / 6, 12);
    // candidate [a b c d], reference [a c]: LCS 2 → P 1/2, R 1 → F = 2·0.5/1.5 = 2/3
    expect(rougeL('a b c d', 'a c')).toBeCloseTo(2 / 3, 12);
    expect(rougeL('', 'a')).toBe(0);
    expect(rougeL('x y', 'a b')).toBe(0);
  });
});

describe('chrF', () => {
  test('by hand: "ab" against "abc"', () => {
    // 1-grams: hypothesis {a, b} = 2, reference {a, b, c} = 3, matched 2 → P 1, R 2/3
    // 2-grams: hypothesis {ab} = 1, reference {ab, bc} = 2, matched 1 → P 1, R 1/2
    // 3- to 6-grams: the hypothesis has none → left out of the averages
    // P = 1, R = (2/3 + 1/2)/2 = 7/12 → F2 = 5·1·(7/12) / (4·1 + 7/12) = 35/55 = 7/11
    expect(chrfStatistics('ab', 'abc')).toEqual([2, 3, 2, 1, 2, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(chrf('ab', 'abc')).toBeCloseTo(7 / 11, 12);
  });

  test('whitespace is ignored, case is not', () => {
    expect(chrf('a b', 'ab')).toBe(1);
    expect(chrf('AB', 'ab')).toBe(0);
  });

  test("matches sacreBLEU's published values (sentence and corpus)", () => {
    // From the chrF metric card of Hugging Face datasets/evaluate (sacreBLEU, ×100).
    expect(
      chrf(
        'The relationship between Obama and Netanyahu is not exactly friendly.',
        'The ties between Obama and Netanyahu are not particularly friendly.',
      ) * 100,
    ).toBeCloseTo(61.576379378113785, 9);
    const first = chrfStatistics(
      'The relationship between cats and dogs is not exactly friendly.',
      'The relationship between dogs and cats is not exactly friendly.',
    );
    const second = chrfStatistics(
      'a good bookshop is just a genteel black hole that knows how to read.',
      'A good bookshop is just a genteel Black Hole that knows how to read.',
    );
    expect(chrfFromStatistics(first.map((value, index) => value + second[index]!)) * 100).toBeCloseTo(
      84.64214891738334,
      9,
    );
  });

  test('several references: the statistics of the best one', () => {
    expect(bestChrfStatistics('abc', ['xyz', 'abc'])).toEqual(chrfStatistics('abc', 'abc'));
    expect(chrf('abc', ['xyz', 'abc'])).toBe(1);
  });
});

describe('scoreSummarization and scoreTranslation', () => {
  const examples = [
    { label: 'the cat is on the mat', prediction: { output: 'the cat sat on the mat' } }, // ROUGE-L 5/6
    { label: ['x', 'a c'], prediction: { output: 'a b c d' } }, // max(0, 2/3)
    { label: 'anything', prediction: { output: { tokens: 3 } } }, // malformed → 0
  ];

  test('summarization: mean ROUGE-L headline with perExample and a reproducible bootstrap', () => {
    const score = scoreSummarization(examples, { random: seededRandom(11) });
    expect(score.quality.metric).toBe('rouge-l');
    // (5/6 + 2/3 + 0) / 3 = 1/2
    expect(score.quality.value).toBeCloseTo(0.5, 12);
    expect(score.perExample?.[0]).toBeCloseTo(5 / 6, 12);
    expect(score.perExample?.[1]).toBeCloseTo(2 / 3, 12);
    expect(score.perExample?.[2]).toBe(0);
    expect(score.metrics['malformed-outputs']).toBe(1);
    expect(score.quality.lower).toBeLessThanOrEqual(0.5);
    expect(score.quality.upper).toBeGreaterThanOrEqual(0.5);
    expect(scoreSummarization(examples, { random: seededRandom(11) }).quality).toEqual(score.quality);
    expect(score.metrics.chrf).toBeGreaterThan(0);
  });

  test('translation: corpus chrF headline, no perExample', () => {
    const score = scoreTranslation(
      [
        { label: 'abc', prediction: { output: 'ab' } },
        { label: 'abc', prediction: { output: { text: 'abc' } } },
      ],
      { random: seededRandom(2) },
    );
    // summed statistics: 1-grams [2+3, 3+3, 2+3] = [5, 6, 5]; 2-grams [1+2, 2+2, 1+2] = [3, 4, 3];
    // 3-grams [0+1, 1+1, 0+1] = [1, 2, 1]; 4- to 6-grams: the hypotheses have none
    // P = (1 + 1 + 1)/3 = 1, R = (5/6 + 3/4 + 1/2)/3 = 25/36 → F2 = 5·(25/36) / (4 + 25/36) = 125/169
    expect(score.quality.metric).toBe('chrf');
    expect(score.quality.value).toBeCloseTo(125 / 169, 12);
    expect(score.perExample).toBeUndefined();
    expect(score.quality.lower).toBeLessThanOrEqual(score.quality.value);
    expect(score.quality.upper).toBeLessThanOrEqual(1);
    expect(score.metrics['rouge-l']).toBeDefined();
  });

  test('a missing reference is an invalid argument', () => {
    expect(() => scoreTranslation([{ label: undefined, prediction: { output: 'a' } }])).toThrow(/reference/);
  });
});
