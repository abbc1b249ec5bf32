import type { EntitySpan, ScoredExample, TaskScore, TaskScoreOptions } from '../task-score.js';
import { type EntityAnnotation, readEntityAnnotation, spanKey } from './entity-spans.js';
import { bootstrapInterval, measurement, recordWithInterval } from './intervals.js';
import { invalidLabel, resolveScoreOptions } from './options.js';

/** Matched, predicted and gold entity counts. */
interface EntityCounts {
  truePositives: number;
  predicted: number;
  gold: number;
}

/**
 * Precision, recall and F1 from counts. Zero-division convention: with nothing predicted and
 * nothing to find, all three are 1 (a perfect empty answer); otherwise a ratio with a zero
 * denominator is 0 (seqeval's `zero_division=0`), and F1 is 0 when precision + recall is 0.
 */
export function entityScores({ truePositives, predicted, gold }: EntityCounts): {
  precision: number;
  recall: number;
  f1: number;
} {
  if (predicted === 0 && gold === 0) return { precision: 1, recall: 1, f1: 1 };
  const precision = predicted === 0 ? 0 : truePositives / predicted;
  const recall = gold === 0 ? 0 : truePositives / gold;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}

/** How many spans of `predicted` match one of `gold` exactly (offsets and type, each gold span once). */
function countMatches(gold: readonly EntitySpan[], predicted: readonly EntitySpan[]): number {
  const remaining = new Map<string, number>();
  for (const span of gold) remaining.set(spanKey(span), (remaining.get(spanKey(span)) ?? 0) + 1);
  let matches = 0;
  for (const span of predicted) {
    const key = spanKey(span);
    const left = remaining.get(key) ?? 0;
    if (left > 0) {
      matches += 1;
      remaining.set(key, left - 1);
    }
  }
  return matches;
}

function compatible(gold: EntityAnnotation, output: EntityAnnotation): boolean {
  if (output.kind === 'spans' && output.spans.length === 0) return true;
  if (gold.kind === 'tags') return output.kind === 'tags' && output.length === gold.length;
  // Gold spans: output spans, or an empty gold list that cannot tell which unit is meant.
  return output.kind === 'spans' || gold.spans.length === 0;
}

/**
 * Scores `token-classification` with entity-level precision, recall and F1, as seqeval does:
 * a predicted entity is correct only when its span and type both equal a gold entity's.
 *
 * - `label` and `prediction.output`: {@link EntitySpan}[] (character offsets) or one tag per
 *   token (`B-PER`, `I-PER`, `O`, …; IOBES too), converted to token spans. The two must use the
 *   same form, and tag sequences the same length; otherwise, or when the output is not one of
 *   these forms, the output is malformed: it predicts nothing (its gold entities are misses) and
 *   is counted in `malformed-outputs`.
 * - Headline: micro-averaged `f1` over all entities, with a percentile-bootstrap interval over
 *   examples. Also `precision`, `recall` (bootstrap intervals too) and `precision:T`,
 *   `recall:T`, `f1:T` per entity type.
 * - Zero division: see `entityScores` — an empty prediction for an example without
 *   entities is right; otherwise x/0 = 0.
 *
 * @throws InvalidArgumentError for an empty list, a gold label of neither form, or an invalid option.
 */
export function scoreTokenClassification(
  examples: readonly ScoredExample[],
  options: TaskScoreOptions = {},
): TaskScore {
  const resolved = resolveScoreOptions(examples, options);
  const size = examples.length;
  const truePositives = new Float64Array(size);
  const predictedCounts = new Float64Array(size);
  const goldCounts = new Float64Array(size);
  const byType = new Map<string, EntityCounts>();
  const countsOf = (type: string): EntityCounts => {
    let counts = byType.get(type);
    if (counts === undefined) {
      counts = { truePositives: 0, predicted: 0, gold: 0 };
      byType.set(type, counts);
    }
    return counts;
  };
  let malformedOutputs = 0;
  examples.forEach(({ prediction, label }, index) => {
    const gold = readEntityAnnotation(label);
    if (gold === undefined)
      invalidLabel(index, label, 'an array of entity spans { type, start, end } or of BIO tags');
    let output = readEntityAnnotation(prediction?.output);
    if (output === undefined || !compatible(gold, output)) {
      malformedOutputs += 1;
      output = { kind: 'spans', spans: [] };
    }
    truePositives[index] = countMatches(gold.spans, output.spans);
    predictedCounts[index] = output.spans.length;
    goldCounts[index] = gold.spans.length;
    for (const span of gold.spans) countsOf(span.type).gold += 1;
    for (const span of output.spans) countsOf(span.type).predicted += 1;
    const types = new Set([...gold.spans, ...output.spans].map((span) => span.type));
    for (const type of types) {
      countsOf(type).truePositives += countMatches(
        gold.spans.filter((span) => span.type === type),
        output.spans.filter((span) => span.type === type),
      );
    }
  });

  const totals = (weights?: Uint32Array): EntityCounts => {
    const counts = { truePositives: 0, predicted: 0, gold: 0 };
    for (let index = 0; index < size; index++) {
      const weight = weights === undefined ? 1 : weights[index]!;
      counts.truePositives += weight * truePositives[index]!;
      counts.predicted += weight * predictedCounts[index]!;
      counts.gold += weight * goldCounts[index]!;
    }
    return counts;
  };
  const overall = entityScores(totals());
  const metrics: Record<string, number> = {};
  let headline = measurement('f1', overall.f1, { lower: 0, upper: 1 });
  for (const name of ['f1', 'precision', 'recall'] as const) {
    const interval = bootstrapInterval({
      size,
      statistic: (weights) => entityScores(totals(weights))[name],
      estimate: overall[name],
      random: resolved.random,
      resamples: resolved.bootstrapResamples,
      level: resolved.confidenceLevel,
      minimum: 0,
      maximum: 1,
    });
    recordWithInterval(metrics, name, overall[name], interval);
    if (name === 'f1') headline = measurement('f1', overall.f1, interval);
  }
  for (const type of [...byType.keys()].sort()) {
    const scores = entityScores(byType.get(type)!);
    metrics[`precision:${type}`] = scores.precision;
    metrics[`recall:${type}`] = scores.recall;
    metrics[`f1:${type}`] = scores.f1;
  }
  const all = totals();
  metrics['gold-entities'] = all.gold;
  metrics['predicted-entities'] = all.predicted;
  metrics['malformed-outputs'] = malformedOutputs;
  return { quality: headline, metrics };
}
