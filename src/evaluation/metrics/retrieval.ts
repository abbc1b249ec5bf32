import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import type { ScoredExample, TaskScore, TaskScoreOptions } from '../task-score.js';
import { SCORING_DEFAULTS } from './defaults.js';
import { measurement, recordWithInterval, wilsonInterval } from './intervals.js';
import { invalidLabel, resolveScoreOptions } from './options.js';

/** The embedding of an output: finite numbers, not all zero; else `undefined`. */
function readEmbedding(output: unknown): Float64Array | undefined {
  const isList = Array.isArray(output) || (ArrayBuffer.isView(output) && !(output instanceof DataView));
  if (!isList) return undefined;
  const values = Float64Array.from(output as ArrayLike<number>, (value) =>
    typeof value === 'number' ? value : Number.NaN,
  );
  if (values.length === 0 || !values.every(Number.isFinite)) return undefined;
  const norm = Math.sqrt(values.reduce((sum, value) => sum + value * value, 0));
  if (norm === 0) return undefined;
  return values.map((value) => value / norm);
}

/** The most common length among `embeddings` (the first one seen on ties). */
function modalDimension(embeddings: readonly (Float64Array | undefined)[]): number {
  const counts = new Map<number, number>();
  let best = 0;
  let bestCount = 0;
  for (const embedding of embeddings) {
    if (embedding === undefined) continue;
    const count = (counts.get(embedding.length) ?? 0) + 1;
    counts.set(embedding.length, count);
    if (count > bestCount) {
      best = embedding.length;
      bestCount = count;
    }
  }
  return best;
}

/**
 * Cosine similarities of every pair of valid embeddings (unit length, `dimension` long), as an
 * n×n row-major matrix; each pair is computed once. Rows and columns of invalid ones stay 0.
 */
function similarityMatrix(
  embeddings: readonly (Float64Array | undefined)[],
  dimension: number,
): Float32Array {
  const size = embeddings.length;
  const packed = new Float64Array(size * dimension);
  embeddings.forEach((embedding, index) => {
    if (embedding !== undefined) packed.set(embedding, index * dimension);
  });
  const matrix = new Float32Array(size * size);
  for (let row = 0; row < size; row++) {
    if (embeddings[row] === undefined) continue;
    const rowOffset = row * dimension;
    for (let column = row + 1; column < size; column++) {
      if (embeddings[column] === undefined) continue;
      const columnOffset = column * dimension;
      // Four running sums let the engine pipeline the multiply-adds.
      let sum0 = 0;
      let sum1 = 0;
      let sum2 = 0;
      let sum3 = 0;
      let component = 0;
      for (; component + 3 < dimension; component += 4) {
        sum0 += packed[rowOffset + component]! * packed[columnOffset + component]!;
        sum1 += packed[rowOffset + component + 1]! * packed[columnOffset + component + 1]!;
        sum2 += packed[rowOffset + component + 2]! * packed[columnOffset + component + 2]!;
        sum3 += packed[rowOffset + component + 3]! * packed[columnOffset + component + 3]!;
      }
      for (; component < dimension; component++) {
        sum0 += packed[rowOffset + component]! * packed[columnOffset + component]!;
      }
      const sum = sum0 + sum1 + sum2 + sum3;
      matrix[row * size + column] = sum;
      matrix[column * size + row] = sum;
    }
  }
  return matrix;
}

/**
 * Scores `feature-extraction` as retrieval: every example is a query against all the others, by
 * cosine similarity of the embeddings (the query itself excluded); the items with the same gold
 * key are the relevant ones.
 *
 * - `label`: the group key (a string or a finite number). `prediction.output`: the embedding
 *   (`number[]` or a typed array). An embedding that is not finite numbers, is all zeros, or has
 *   another dimension than most embeddings is malformed (counted in `malformed-outputs`): as a
 *   query it misses, and it is never retrieved.
 * - `recall@k`: the share of queries with at least one relevant item among their k nearest (the
 *   hit rate; with one relevant item per query it is ordinary recall@k). Ties are counted
 *   against the model: an irrelevant item as similar as the best relevant one ranks above it.
 * - Headline: `recall@k` for `recallAt` (default 1), with a Wilson interval over the queries;
 *   `recall@1`, `recall@5`, `recall@10` are reported too (each with a Wilson interval), and `mrr`
 *   (mean reciprocal rank of the first relevant item, 0 for a malformed query).
 * - Similarities are kept in single precision (an n×n matrix: 4n² bytes, 16 MB for 2,000
 *   examples), which can merge near-ties below ~1e-7.
 * - Only queries with at least one other item of their key count (`queries`); the others have
 *   nothing to find. Recall over the set is corpus-level: no `perExample`.
 *
 * @throws InvalidArgumentError for an empty list, a key that is not a string or finite number,
 *   no two examples sharing a key, or an invalid option.
 */
export function scoreRetrieval(
  examples: readonly ScoredExample[],
  options: TaskScoreOptions = {},
): TaskScore {
  const resolved = resolveScoreOptions(examples, options);
  const keys = examples.map(({ label }, index) => {
    if (typeof label === 'string') return `s:${label}`;
    if (typeof label === 'number' && Number.isFinite(label)) return `n:${label}`;
    return invalidLabel(index, label, 'a group key (a string or a finite number)');
  });
  const parsed = examples.map(({ prediction }) => readEmbedding(prediction?.output));
  const dimension = modalDimension(parsed);
  const embeddings = parsed.map((embedding) => (embedding?.length === dimension ? embedding : undefined));
  const malformedOutputs = embeddings.filter((embedding) => embedding === undefined).length;
  const keyCounts = new Map<string, number>();
  for (const key of keys) keyCounts.set(key, (keyCounts.get(key) ?? 0) + 1);

  const reported = [...new Set([...SCORING_DEFAULTS.reportedRecallAt, resolved.recallAt])].sort(
    (a, b) => a - b,
  );
  const hits = new Map(reported.map((k) => [k, 0]));
  let queries = 0;
  let reciprocalRankSum = 0;
  const size = examples.length;
  const similarities = similarityMatrix(embeddings, dimension);
  // Group ids, −1 for a malformed embedding (never retrieved).
  const groupIds = new Map<string, number>();
  const groups = Int32Array.from(keys, (key, index) => {
    if (embeddings[index] === undefined) return -1;
    if (!groupIds.has(key)) groupIds.set(key, groupIds.size);
    return groupIds.get(key)!;
  });
  embeddings.forEach((query, queryIndex) => {
    const key = keys[queryIndex]!;
    if (keyCounts.get(key)! < 2) return;
    queries += 1;
    if (query === undefined) return;
    const row = queryIndex * size;
    const group = groups[queryIndex]!;
    let bestRelevant = Number.NEGATIVE_INFINITY;
    for (let item = 0; item < size; item++) {
      if (item !== queryIndex && groups[item] === group) {
        bestRelevant = Math.max(bestRelevant, similarities[row + item]!);
      }
    }
    if (bestRelevant === Number.NEGATIVE_INFINITY) return;
    // Rank of the best relevant item, ties against the model.
    let rank = 1;
    for (let item = 0; item < size; item++) {
      if (embeddings[item] !== undefined && keys[item] !== key && similarities[row + item]! >= bestRelevant)
        rank += 1;
    }
    reciprocalRankSum += 1 / rank;
    for (const k of reported) if (rank <= k) hits.set(k, hits.get(k)! + 1);
  });
  if (queries === 0) {
    throw new InvalidArgumentError({
      argument: 'examples',
      message: 'no two examples share a label (group key), so no query has anything relevant to retrieve.',
    });
  }

  const metrics: Record<string, number> = {};
  for (const k of reported) {
    const count = hits.get(k)!;
    recordWithInterval(
      metrics,
      `recall@${k}`,
      count / queries,
      wilsonInterval(count, queries, resolved.confidenceLevel),
    );
  }
  metrics.mrr = reciprocalRankSum / queries;
  metrics.queries = queries;
  metrics['malformed-outputs'] = malformedOutputs;
  const name = `recall@${resolved.recallAt}`;
  return {
    quality: measurement(name, metrics[name]!, {
      lower: metrics[`${name}-lower`]!,
      upper: metrics[`${name}-upper`]!,
    }),
    metrics,
  };
}
