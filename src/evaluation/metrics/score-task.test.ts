import { describe, expect, test } from 'vitest';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import { seededRandom } from '../../random/index.js';
import { SCORING_DEFAULTS } from './defaults.js';
import { isScoringTask, scoreTask, supportedScoringTasks, TASK_SCORERS } from './score-task.js';

describe('scoreTask', () => {
  test('scores at least eight tasks', () => {
    expect(supportedScoringTasks).toEqual([
      'text-classification',
      'zero-shot-classification',
      'token-classification',
      'question-answering',
      'feature-extraction',
      'sentence-similarity',
      'text-generation',
      'summarization',
      'translation',
    ]);
    expect(Object.isFrozen(supportedScoringTasks)).toBe(true);
    expect(Object.isFrozen(TASK_SCORERS)).toBe(true);
    expect(isScoringTask('image-to-3d')).toBe(false);
  });

  test('dispatches to the task scorer, headline per task', () => {
    const random = seededRandom(1);
    const headline = (task: Parameters<typeof scoreTask>[0], label: unknown, output: unknown) =>
      scoreTask(
        task,
        [
          { label, prediction: { output } },
          { label, prediction: { output } },
        ],
        { random, bootstrapResamples: 50 },
      ).quality.metric;
    expect(headline('text-classification', 'a', 'a')).toBe('accuracy');
    expect(headline('zero-shot-classification', 'a', 'a')).toBe('accuracy');
    expect(headline('token-classification', ['B-X'], ['B-X'])).toBe('f1');
    expect(headline('question-answering', 'a', 'a')).toBe('exact-match');
    expect(headline('feature-extraction', 'a', [1, 0])).toBe('recall@1');
    expect(headline('sentence-similarity', 1, 1)).toBe('spearman');
    expect(headline('text-generation', 'a', 'a')).toBe('success-rate');
    expect(headline('summarization', 'a', 'a')).toBe('rouge-l');
    expect(headline('translation', 'a', 'a')).toBe('chrf');
  });

  test('an unsupported task is an invalid argument naming the supported ones', () => {
    expect(() => scoreTask('image-to-3d', [{ label: 'a', prediction: { output: 'a' } }])).toThrow(
      /no metrics for 'image-to-3d'; supported tasks: text-classification/,
    );
  });

  test('an empty example list is an invalid argument', () => {
    for (const task of supportedScoringTasks) {
      expect(() => scoreTask(task, [])).toThrow(InvalidArgumentError);
    }
    expect(() => scoreTask('translation', [])).toThrow(/the example list is empty/);
  });

  test('options out of their domain are invalid arguments', () => {
    const examples = [{ label: 'a', prediction: { output: 'a' } }];
    expect(() => scoreTask('text-classification', examples, { confidenceLevel: 1 })).toThrow(
      /confidenceLevel/,
    );
    expect(() => scoreTask('text-classification', examples, { bootstrapResamples: 0 })).toThrow(
      /bootstrapResamples/,
    );
    expect(() => scoreTask('feature-extraction', examples, { recallAt: 1.5 })).toThrow(/recallAt/);
  });

  test('a missing prediction object counts as malformed, never crashes', () => {
    const broken = [{ label: 'a', prediction: undefined as never }];
    expect(scoreTask('text-classification', broken).metrics['malformed-outputs']).toBe(1);
    expect(scoreTask('question-answering', broken).metrics['malformed-outputs']).toBe(1);
    expect(scoreTask('text-generation', broken).metrics['malformed-outputs']).toBe(1);
  });

  test('SCORING_DEFAULTS', () => {
    expect(SCORING_DEFAULTS).toMatchObject({
      confidenceLevel: 0.95,
      bootstrapResamples: 1000,
      recallAt: 1,
      calibrationBins: 10,
      chrfCharacterOrder: 6,
      chrfBeta: 2,
    });
    expect(SCORING_DEFAULTS.reportedRecallAt).toEqual([1, 5, 10]);
    expect(Object.isFrozen(SCORING_DEFAULTS)).toBe(true);
  });

  test('the confidence level narrows or widens every interval', () => {
    const examples = Array.from({ length: 10 }, (_, index) => ({
      label: 'a',
      prediction: { output: index < 8 ? 'a' : 'b' },
    }));
    const narrow = scoreTask('text-classification', examples, {
      confidenceLevel: 0.8,
      random: seededRandom(1),
    });
    const wide = scoreTask('text-classification', examples, {
      confidenceLevel: 0.99,
      random: seededRandom(1),
    });
    expect(wide.quality.lower).toBeLessThan(narrow.quality.lower);
  });
});
