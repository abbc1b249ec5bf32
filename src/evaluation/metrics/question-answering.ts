import type { ScoredExample, TaskScore, TaskScoreOptions } from '../task-score.js';
import { bootstrapMeanInterval, measurement, recordWithInterval, wilsonInterval } from './intervals.js';
import { resolveScoreOptions } from './options.js';
import { readReferences } from './references.js';
import { exactMatch, tokenF1 } from './squad-normalization.js';

/**
 * Scores extractive `question-answering` as SQuAD's evaluation script does.
 *
 * - `label`: the answer, or several acceptable answers (the best one counts: max over answers).
 *   `prediction.output`: the answer text; anything else scores 0 and is counted in
 *   `malformed-outputs`.
 * - Headline: `exact-match` (normalized answers equal, see `normalizeAnswer`) with a Wilson
 *   interval; `perExample` holds 1/0.
 * - `token-f1`: mean SQuAD token F1, with a percentile-bootstrap interval.
 *
 * @throws InvalidArgumentError for an empty list, a gold answer that is not a string or a
 *   non-empty string array, or an invalid option.
 */
export function scoreQuestionAnswering(
  examples: readonly ScoredExample[],
  options: TaskScoreOptions = {},
): TaskScore {
  const resolved = resolveScoreOptions(examples, options);
  const exact: number[] = [];
  const f1: number[] = [];
  let malformedOutputs = 0;
  examples.forEach(({ prediction, label }, index) => {
    const answers = readReferences(label, index, 'the answer');
    const output = prediction?.output;
    if (typeof output !== 'string') {
      malformedOutputs += 1;
      exact.push(0);
      f1.push(0);
      return;
    }
    exact.push(Math.max(...answers.map((answer) => exactMatch(output, answer))));
    f1.push(Math.max(...answers.map((answer) => tokenF1(output, answer))));
  });
  const size = examples.length;
  const matches = exact.reduce((sum, value) => sum + value, 0);
  const metrics: Record<string, number> = {};
  const exactInterval = wilsonInterval(matches, size, resolved.confidenceLevel);
  recordWithInterval(metrics, 'exact-match', matches / size, exactInterval);
  recordWithInterval(
    metrics,
    'token-f1',
    f1.reduce((sum, value) => sum + value, 0) / size,
    bootstrapMeanInterval(f1, {
      random: resolved.random,
      resamples: resolved.bootstrapResamples,
      level: resolved.confidenceLevel,
    }),
  );
  metrics['malformed-outputs'] = malformedOutputs;
  return { quality: measurement('exact-match', matches / size, exactInterval), metrics, perExample: exact };
}
