import { describe, expect, test } from 'vitest';
import { seededRandom } from '../../random/index.js';
import { wilsonInterval } from './intervals.js';
import { scoreQuestionAnswering } from './question-answering.js';
import { answerTokens, exactMatch, normalizeAnswer, tokenF1 } from './squad-normalization.js';

describe('SQuAD normalization', () => {
  test('lower-case, strip punctuation and articles, collapse whitespace', () => {
    // 'The  Eiffel-Tower!' → 'the  eiffel-tower!' → 'the  eiffeltower' → '   eiffeltower' → 'eiffeltower'
    expect(normalizeAnswer('The  Eiffel-Tower!')).toBe('eiffeltower');
    expect(normalizeAnswer('  An apple,\ta pear and THE plum. ')).toBe('apple pear and plum');
    // articles only as whole words
    expect(normalizeAnswer('Theater anagram')).toBe('theater anagram');
    expect(answerTokens('the')).toEqual([]);
  });

  test('exact match after normalization', () => {
    expect(exactMatch('the Louvre.', 'Louvre')).toBe(1);
    expect(exactMatch('Louvre museum', 'Louvre')).toBe(0);
  });

  test('token F1 with a multiset intersection', () => {
    // predicted [big, red, dog], gold [red, dog, barked]: shared 2 → P 2/3, R 2/3, F1 2/3
    expect(tokenF1('the big red dog', 'a red dog barked')).toBeCloseTo(2 / 3, 12);
    // predicted [dog, dog], gold [dog]: shared 1 → P 1/2, R 1 → F1 2/3
    expect(tokenF1('dog dog', 'dog')).toBeCloseTo(2 / 3, 12);
    expect(tokenF1('cat', 'dog')).toBe(0);
  });

  test('no tokens: 1 when both are empty, else 0', () => {
    expect(tokenF1('', 'the')).toBe(1);
    expect(tokenF1('a', 'x')).toBe(0);
  });
});

describe('scoreQuestionAnswering', () => {
  const examples = [
    { label: 'Louvre', prediction: { output: 'The Louvre' } }, // EM 1, F1 1
    { label: ['a red dog barked', 'cat'], prediction: { output: 'big red dog' } }, // EM 0, F1 max(2/3, 0)
    { label: 'x', prediction: { output: 17 } }, // malformed: 0, 0
    { label: '1889', prediction: { output: 'in 1889' } }, // EM 0; [in, 1889] vs [1889]: P 1/2, R 1 → 2/3
  ];

  test('exact match (Wilson) and token F1 by hand', () => {
    const score = scoreQuestionAnswering(examples, { random: seededRandom(1) });
    expect(score.quality.metric).toBe('exact-match');
    expect(score.quality.value).toBe(0.25);
    const interval = wilsonInterval(1, 4, 0.95);
    expect([score.quality.lower, score.quality.upper]).toEqual([interval.lower, interval.upper]);
    expect(score.perExample).toEqual([1, 0, 0, 0]);
    // token F1 = (1 + 2/3 + 0 + 2/3) / 4 = 7/12
    expect(score.metrics['token-f1']).toBeCloseTo(7 / 12, 12);
    expect(score.metrics['token-f1-lower']).toBeLessThanOrEqual(7 / 12);
    expect(score.metrics['token-f1-upper']).toBeGreaterThanOrEqual(7 / 12);
    expect(score.metrics['malformed-outputs']).toBe(1);
  });

  test('the best of several gold answers counts', () => {
    const score = scoreQuestionAnswering(
      [{ label: ['Paris, France', 'Paris'], prediction: { output: 'paris' } }],
      {
        random: seededRandom(1),
      },
    );
    expect(score.quality.value).toBe(1);
    expect(score.metrics['token-f1']).toBe(1);
  });

  test('an empty answer list is an invalid argument', () => {
    expect(() => scoreQuestionAnswering([{ label: [], prediction: { output: 'a' } }])).toThrow(/label/);
  });
});
