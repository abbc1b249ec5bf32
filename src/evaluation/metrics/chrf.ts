import { SCORING_DEFAULTS } from './defaults.js';

/** Per n-gram order n = 1…N: [hypothesis n-grams, reference n-grams, matched n-grams], flat. */
export type ChrfStatistics = readonly number[];

/** Options of chrF. */
export interface ChrfOptions {
  /** Longest character n-gram. @default 6 */
  readonly characterOrder?: number;
  /** Recall weighs β times as much as precision. @default 2 */
  readonly beta?: number;
}

/** Character n-grams of `text` with whitespace removed (code points), counted. */
function characterNgrams(text: string, order: number): Map<string, number> {
  const characters = Array.from(text.replace(/\s+/gu, ''));
  const counts = new Map<string, number>();
  for (let start = 0; start + order <= characters.length; start++) {
    const gram = characters.slice(start, start + order).join('');
    counts.set(gram, (counts.get(gram) ?? 0) + 1);
  }
  return counts;
}

function total(counts: Map<string, number>): number {
  let sum = 0;
  for (const count of counts.values()) sum += count;
  return sum;
}

/** chrF's statistics of a hypothesis against one reference. */
export function chrfStatistics(
  hypothesis: string,
  reference: string,
  { characterOrder = SCORING_DEFAULTS.chrfCharacterOrder }: ChrfOptions = {},
): ChrfStatistics {
  const statistics: number[] = [];
  for (let order = 1; order <= characterOrder; order++) {
    const hypothesisGrams = characterNgrams(hypothesis, order);
    const referenceGrams = characterNgrams(reference, order);
    let matches = 0;
    for (const [gram, count] of hypothesisGrams) matches += Math.min(count, referenceGrams.get(gram) ?? 0);
    statistics.push(total(hypothesisGrams), total(referenceGrams), matches);
  }
  return statistics;
}

/**
 * chrF in [0, 1] from (summed) statistics, as sacreBLEU 2 computes it: precision and recall are
 * averaged over the orders where both the hypothesis and the reference have n-grams, then
 * F_β = (1 + β²)·P·R / (β²·P + R); 0 when P + R = 0. (sacreBLEU reports it ×100.)
 */
export function chrfFromStatistics(
  statistics: ChrfStatistics,
  { beta = SCORING_DEFAULTS.chrfBeta }: ChrfOptions = {},
): number {
  let precision = 0;
  let recall = 0;
  let effectiveOrder = 0;
  for (let offset = 0; offset + 2 < statistics.length; offset += 3) {
    const hypothesisCount = statistics[offset]!;
    const referenceCount = statistics[offset + 1]!;
    const matches = statistics[offset + 2]!;
    if (hypothesisCount > 0 && referenceCount > 0) {
      precision += matches / hypothesisCount;
      recall += matches / referenceCount;
      effectiveOrder += 1;
    }
  }
  if (effectiveOrder === 0) return 0;
  precision /= effectiveOrder;
  recall /= effectiveOrder;
  if (precision + recall === 0) return 0;
  const factor = beta * beta;
  return ((1 + factor) * precision * recall) / (factor * precision + recall);
}

/**
 * The statistics of a hypothesis against several references: those of the reference with the
 * best sentence-level chrF (the first one on ties), as sacreBLEU chooses.
 */
export function bestChrfStatistics(
  hypothesis: string,
  references: readonly string[],
  options: ChrfOptions = {},
): ChrfStatistics {
  let best: ChrfStatistics | undefined;
  let bestScore = -1;
  for (const reference of references) {
    const statistics = chrfStatistics(hypothesis, reference, options);
    const score = chrfFromStatistics(statistics, options);
    if (score > bestScore) {
      best = statistics;
      bestScore = score;
    }
  }
  return best ?? [];
}

/** Sentence-level chrF of `hypothesis` against `references` (the best one), in [0, 1]. */
export function chrf(
  hypothesis: string,
  references: string | readonly string[],
  options: ChrfOptions = {},
): number {
  const list = typeof references === 'string' ? [references] : references;
  return chrfFromStatistics(bestChrfStatistics(hypothesis, list, options), options);
}
