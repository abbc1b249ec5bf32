import type { ScoredExample, TaskScore, TaskScoreOptions } from '../task-score.js';
import { averageRanks, pearsonCorrelation } from './correlation.js';
import { fisherInterval, measurement, recordWithInterval } from './intervals.js';
import { invalidLabel, resolveScoreOptions } from './options.js';

/** Fieller, Hartley and Pearson's (1957) variance factor of Fisher's z for Spearman's ρ. */
const SPEARMAN_VARIANCE_FACTOR = 1.06;

/**
 * Scores `sentence-similarity`: how well the predicted similarities order the pairs as the gold
 * scores do.
 *
 * - `label`: the gold similarity (a finite number). `prediction.output`: the predicted
 *   similarity (a finite number). Any other output is malformed, counted in
 *   `malformed-outputs`, and treated as an uninformative guess: it gets the mean of the
 *   predicted ranks, so it adds nothing to the covariance and only pulls the correlation
 *   towards 0 (dropping the pair instead would reward failing on hard pairs).
 * - Headline: `spearman` (Pearson's correlation of average ranks; ties share their mean rank)
 *   with a Fisher z interval, tanh(atanh ρ ± z·√(1.06/(n − 3))), the whole [−1, 1] for n ≤ 3.
 * - `pearson` on the raw values (malformed predictions replaced by the mean of the valid ones),
 *   with the Fisher z interval √(1/(n − 3)).
 * - A correlation with a constant series is undefined and reported as 0.
 *
 * Correlations are corpus-level: no `perExample`.
 *
 * @throws InvalidArgumentError for an empty list, a gold score that is not a finite number, or
 *   an invalid option.
 */
export function scoreSimilarity(
  examples: readonly ScoredExample[],
  options: TaskScoreOptions = {},
): TaskScore {
  const resolved = resolveScoreOptions(examples, options);
  const gold: number[] = [];
  const valid: boolean[] = [];
  const predicted: number[] = [];
  examples.forEach(({ prediction, label }, index) => {
    if (typeof label !== 'number' || !Number.isFinite(label))
      invalidLabel(index, label, 'a finite similarity score');
    gold.push(label);
    const output = prediction?.output;
    const ok = typeof output === 'number' && Number.isFinite(output);
    valid.push(ok);
    predicted.push(ok ? output : 0);
  });
  const size = examples.length;
  const validPredictions = predicted.filter((_, index) => valid[index]);
  const malformedOutputs = size - validPredictions.length;

  // Ranks of the valid predictions among themselves; malformed ones get their mean, (m + 1)/2.
  const validRanks = averageRanks(validPredictions);
  const meanRank = (validPredictions.length + 1) / 2;
  const predictedRanks: number[] = [];
  const filledPredictions: number[] = [];
  const validMean =
    validPredictions.length === 0
      ? 0
      : validPredictions.reduce((sum, value) => sum + value, 0) / validPredictions.length;
  let next = 0;
  for (let index = 0; index < size; index++) {
    if (valid[index]) {
      predictedRanks.push(validRanks[next]!);
      filledPredictions.push(validPredictions[next]!);
      next += 1;
    } else {
      predictedRanks.push(meanRank);
      filledPredictions.push(validMean);
    }
  }

  const spearman = pearsonCorrelation(averageRanks(gold), predictedRanks);
  const pearson = pearsonCorrelation(gold, filledPredictions);
  const spearmanInterval = fisherInterval(spearman, size, resolved.confidenceLevel, SPEARMAN_VARIANCE_FACTOR);
  const metrics: Record<string, number> = {};
  recordWithInterval(metrics, 'spearman', spearman, spearmanInterval);
  recordWithInterval(metrics, 'pearson', pearson, fisherInterval(pearson, size, resolved.confidenceLevel));
  metrics.pairs = size;
  metrics['malformed-outputs'] = malformedOutputs;
  return { quality: measurement('spearman', spearman, spearmanInterval), metrics };
}
