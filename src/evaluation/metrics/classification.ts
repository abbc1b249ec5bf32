import type { ScoredExample, TaskScore, TaskScoreOptions } from '../task-score.js';
import { type CalibrationInput, calibration, isValidScores } from './calibration.js';
import { SCORING_DEFAULTS } from './defaults.js';
import { bootstrapInterval, measurement, recordWithInterval, wilsonInterval } from './intervals.js';
import { invalidLabel, resolveScoreOptions } from './options.js';

/** Options of {@link scoreClassification}. */
export interface ClassificationScoreOptions extends TaskScoreOptions {
  /** Equal-width bins of the expected calibration error. @default 10 */
  readonly calibrationBins?: number;
}

/**
 * Scores `text-classification` and `zero-shot-classification` (and any task whose label is a
 * class name and whose output is the predicted class name).
 *
 * - `label`: the gold label name (a string). `prediction.output`: the predicted label name.
 *   An output that is not a string is wrong and counted in `malformed-outputs`.
 * - Headline: `accuracy` with a Wilson interval; `perExample` holds 1/0 per example.
 * - `macro-f1`: the unweighted mean of the per-class F1 over every label seen as gold or as a
 *   valid prediction (scikit-learn's default), with a percentile-bootstrap interval.
 * - `precision:L`, `recall:L`, `f1:L` per label L. Division by zero gives 0 (a label never
 *   predicted has precision 0; scikit-learn's `zero_division=0`).
 * - `unknown-labels`: how many distinct gold labels the model never predicted and never gave a
 *   score; they are ordinary misses, reported so that a label-set mismatch is visible.
 * - From `prediction.scores` when present (probabilities in [0, 1]): `mean-confidence` (mean top
 *   probability), `ece` (expected calibration error, equal-width bins) and `brier` (multi-class
 *   Brier score), over the examples with scores, counted in `scored-examples`. Scores that are
 *   not finite probabilities are skipped and counted in `malformed-scores`.
 * - `confusionMatrix`: counts[gold][predicted] over the sorted labels; malformed outputs are in
 *   no column, so a row sums to that label's examples minus its malformed outputs.
 *
 * @throws InvalidArgumentError for an empty list, a gold label that is not a string, or an
 *   invalid option.
 */
export function scoreClassification(
  examples: readonly ScoredExample[],
  options: ClassificationScoreOptions = {},
): TaskScore {
  const resolved = resolveScoreOptions(examples, options);
  const { calibrationBins = SCORING_DEFAULTS.calibrationBins } = options;
  const labelSet = new Set<string>();
  const scoredLabels = new Set<string>();
  const gold: string[] = [];
  const predicted: (string | undefined)[] = [];
  const calibrationInputs: CalibrationInput[] = [];
  let malformedOutputs = 0;
  let malformedScores = 0;
  examples.forEach(({ prediction, label }, index) => {
    if (typeof label !== 'string') invalidLabel(index, label, 'a label name (string)');
    gold.push(label);
    labelSet.add(label);
    const output = prediction?.output;
    if (typeof output === 'string') {
      predicted.push(output);
      labelSet.add(output);
    } else {
      predicted.push(undefined);
      malformedOutputs += 1;
    }
    const scores = prediction?.scores;
    if (scores === undefined) return;
    if (isValidScores(scores)) {
      calibrationInputs.push({ scores, label });
      for (const name of Object.keys(scores)) scoredLabels.add(name);
    } else {
      malformedScores += 1;
    }
  });

  const labels = [...labelSet].sort();
  const indexOf = new Map(labels.map((name, index) => [name, index]));
  const goldIndex = Int32Array.from(gold, (name) => indexOf.get(name)!);
  const predictedIndex = Int32Array.from(predicted, (name) => (name === undefined ? -1 : indexOf.get(name)!));
  const size = examples.length;
  const counts = labels.map(() => labels.map(() => 0));
  let correct = 0;
  const perExample: number[] = [];
  for (let index = 0; index < size; index++) {
    const goldLabel = goldIndex[index]!;
    const predictedLabel = predictedIndex[index]!;
    if (predictedLabel >= 0) counts[goldLabel]![predictedLabel]! += 1;
    const hit = goldLabel === predictedLabel ? 1 : 0;
    correct += hit;
    perExample.push(hit);
  }

  const metrics: Record<string, number> = {};
  const accuracy = correct / size;
  const accuracyInterval = wilsonInterval(correct, size, resolved.confidenceLevel);
  recordWithInterval(metrics, 'accuracy', accuracy, accuracyInterval);

  const macroF1 = (weights?: Uint32Array): number =>
    macroF1Score(labels.length, goldIndex, predictedIndex, weights);
  const macroF1Value = macroF1();
  recordWithInterval(
    metrics,
    'macro-f1',
    macroF1Value,
    bootstrapInterval({
      size,
      statistic: macroF1,
      estimate: macroF1Value,
      random: resolved.random,
      resamples: resolved.bootstrapResamples,
      level: resolved.confidenceLevel,
      minimum: 0,
      maximum: 1,
    }),
  );

  labels.forEach((name, index) => {
    const truePositives = counts[index]![index]!;
    const predictedCount = counts.reduce((sum, row) => sum + row[index]!, 0);
    const goldCount = goldIndex.reduce((sum, value) => sum + (value === index ? 1 : 0), 0);
    const precision = predictedCount === 0 ? 0 : truePositives / predictedCount;
    const recall = goldCount === 0 ? 0 : truePositives / goldCount;
    metrics[`precision:${name}`] = precision;
    metrics[`recall:${name}`] = recall;
    metrics[`f1:${name}`] = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  });

  const predictedLabels = new Set(predicted);
  metrics['unknown-labels'] = [...new Set(gold)].filter(
    (name) => !predictedLabels.has(name) && !scoredLabels.has(name),
  ).length;
  metrics['malformed-outputs'] = malformedOutputs;
  if (malformedScores > 0) metrics['malformed-scores'] = malformedScores;
  if (calibrationInputs.length > 0) {
    const result = calibration(calibrationInputs, calibrationBins);
    metrics['mean-confidence'] = result.meanConfidence;
    metrics.ece = result.expectedCalibrationError;
    metrics.brier = result.brierScore;
    metrics['scored-examples'] = calibrationInputs.length;
  }

  return {
    quality: measurement('accuracy', accuracy, accuracyInterval),
    metrics,
    confusionMatrix: { labels, counts },
    perExample,
  };
}

/**
 * Macro-F1 over `labelCount` labels from gold and predicted label indices (−1: malformed),
 * each example weighted by `weights` (all 1 when absent). Labels absent from both gold and
 * predictions in a resample are left out of the mean.
 */
function macroF1Score(
  labelCount: number,
  gold: Int32Array,
  predicted: Int32Array,
  weights?: Uint32Array,
): number {
  const truePositives = new Float64Array(labelCount);
  const goldCounts = new Float64Array(labelCount);
  const predictedCounts = new Float64Array(labelCount);
  for (let index = 0; index < gold.length; index++) {
    const weight = weights === undefined ? 1 : weights[index]!;
    if (weight === 0) continue;
    const goldLabel = gold[index]!;
    const predictedLabel = predicted[index]!;
    goldCounts[goldLabel]! += weight;
    if (predictedLabel < 0) continue;
    predictedCounts[predictedLabel]! += weight;
    if (predictedLabel === goldLabel) truePositives[goldLabel]! += weight;
  }
  let sum = 0;
  let present = 0;
  for (let label = 0; label < labelCount; label++) {
    const goldCount = goldCounts[label]!;
    const predictedCount = predictedCounts[label]!;
    if (goldCount === 0 && predictedCount === 0) continue;
    present += 1;
    // F1 = 2·TP / (gold + predicted): the same as 2PR/(P+R), and 0 when TP = 0.
    sum += (2 * truePositives[label]!) / (goldCount + predictedCount);
  }
  return present === 0 ? 0 : sum / present;
}
