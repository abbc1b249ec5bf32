import type { ScoredExample, TaskScore, TaskScoreOptions } from '../task-score.js';
import { bestChrfStatistics, type ChrfStatistics, chrfFromStatistics } from './chrf.js';
import { SCORING_DEFAULTS } from './defaults.js';
import { bootstrapInterval, bootstrapMeanInterval, measurement, recordWithInterval } from './intervals.js';
import { resolveScoreOptions } from './options.js';
import { outputText, readReferences } from './references.js';
import { rougeL } from './rouge-l.js';

/**
 * Scores generated text against one or several references with two overlap metrics, both with
 * percentile-bootstrap intervals over examples:
 *
 * - `rouge-l`: the mean over examples of the ROUGE-L F-measure (LCS of lower-cased word tokens;
 *   the best reference counts), `perExample` when it is the headline.
 * - `chrf`: corpus-level chrF (character 1- to 6-grams without whitespace, β = 2, case kept:
 *   sacreBLEU's defaults, without its `eps_smoothing`), in [0, 1] rather than sacreBLEU's 0–100:
 *   the n-gram statistics of every example (against its best reference) are summed, then
 *   turned into one score.
 *
 * An output that is not text (a string or `{ text }`) scores 0 (an empty hypothesis) and is
 * counted in `malformed-outputs`.
 */
function scoreTextOverlap(
  headline: 'rouge-l' | 'chrf',
  examples: readonly ScoredExample[],
  options: TaskScoreOptions,
): TaskScore {
  const resolved = resolveScoreOptions(examples, options);
  const rouge: number[] = [];
  const statistics: ChrfStatistics[] = [];
  let malformedOutputs = 0;
  examples.forEach(({ prediction, label }, index) => {
    const references = readReferences(label, index, 'the reference text');
    let text = outputText(prediction?.output);
    if (text === undefined) {
      malformedOutputs += 1;
      text = '';
    }
    const hypothesis = text;
    rouge.push(Math.max(...references.map((reference) => rougeL(hypothesis, reference))));
    statistics.push(bestChrfStatistics(hypothesis, references));
  });
  const intervalOptions = {
    random: resolved.random,
    resamples: resolved.bootstrapResamples,
    level: resolved.confidenceLevel,
  };
  const metrics: Record<string, number> = {};
  const rougeValue = rouge.reduce((sum, value) => sum + value, 0) / rouge.length;
  const rougeInterval = bootstrapMeanInterval(rouge, intervalOptions);
  const width = SCORING_DEFAULTS.chrfCharacterOrder * 3;
  const corpusChrf = (weights?: Uint32Array): number => {
    const sums = new Array<number>(width).fill(0);
    statistics.forEach((row, index) => {
      const weight = weights === undefined ? 1 : weights[index]!;
      if (weight === 0) return;
      for (let column = 0; column < row.length; column++) sums[column]! += weight * row[column]!;
    });
    return chrfFromStatistics(sums);
  };
  const chrfValue = corpusChrf();
  const chrfInterval = bootstrapInterval({
    size: examples.length,
    statistic: corpusChrf,
    estimate: chrfValue,
    minimum: 0,
    maximum: 1,
    ...intervalOptions,
  });
  recordWithInterval(metrics, 'rouge-l', rougeValue, rougeInterval);
  recordWithInterval(metrics, 'chrf', chrfValue, chrfInterval);
  metrics['malformed-outputs'] = malformedOutputs;
  return headline === 'rouge-l'
    ? { quality: measurement('rouge-l', rougeValue, rougeInterval), metrics, perExample: rouge }
    : { quality: measurement('chrf', chrfValue, chrfInterval), metrics };
}

/**
 * Scores `summarization`: headline `rouge-l` (mean ROUGE-L F-measure, bootstrap interval,
 * `perExample` filled), with corpus `chrf` too. `label`: the reference summary or several;
 * `prediction.output`: the summary.
 *
 * @throws InvalidArgumentError for an empty list, a reference that is not a string or a
 *   non-empty string array, or an invalid option.
 */
export function scoreSummarization(
  examples: readonly ScoredExample[],
  options: TaskScoreOptions = {},
): TaskScore {
  return scoreTextOverlap('rouge-l', examples, options);
}

/**
 * Scores `translation`: headline corpus `chrf` (bootstrap interval; corpus-level, so no
 * `perExample`), with mean `rouge-l` too. `label`: the reference translation or several;
 * `prediction.output`: the translation.
 *
 * @throws InvalidArgumentError for an empty list, a reference that is not a string or a
 *   non-empty string array, or an invalid option.
 */
export function scoreTranslation(
  examples: readonly ScoredExample[],
  options: TaskScoreOptions = {},
): TaskScore {
  return scoreTextOverlap('chrf', examples, options);
}
