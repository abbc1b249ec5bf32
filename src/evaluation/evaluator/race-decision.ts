import type { QualityMeasurement } from '../../core/model-score.js';
import { confidenceSequenceHalfWidth } from './confidence-sequence.js';

/** What a race decides after a round. @internal */
export interface RaceDecision {
  /** The candidate with the best running quality (the first on ties). */
  readonly leader: string;
  /** Candidates clearly below the leader, with the upper bound of their difference to it. */
  readonly eliminated: readonly { readonly id: string; readonly upperDifference: number }[];
  /** True when every other survivor is, with the race's confidence, at most `tolerance` better than the leader. */
  readonly decided: boolean;
}

/** Settings of a race decision. @internal */
export interface RaceTest {
  /** Error probability per pair of candidates (the race's 1 − confidence over its pairs). */
  readonly alpha: number;
  readonly tolerance: number;
  readonly tightestAt: number;
}

function mean(values: readonly number[]): number {
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}

/**
 * The paired test: every survivor predicted the same examples, so each candidate is compared to
 * the leader on the per-example differences x_c,i − x_leader,i. The difference's upper bound is
 * its running mean plus the half-width of an asymptotic confidence sequence (valid at every round,
 * see {@link confidenceSequenceHalfWidth}); the variance is at least 1/n, as if one disagreement had
 * been seen, so that a run of identical values gives no zero-width interval. A candidate whose
 * upper bound is below 0 is eliminated; when every survivor's is below `tolerance`, the race is
 * decided.
 *
 * With α = (1 − confidence) / (K(K − 1)/2) per pair, every pair's sequence holds at once with
 * probability ≥ confidence (asymptotically), and then the best candidate is never eliminated and a
 * decided race's leader is within `tolerance` of the best.
 * @internal
 */
export function decidePairedRace(
  contenders: readonly { readonly id: string; readonly values: readonly number[] }[],
  test: RaceTest,
): RaceDecision {
  const means = contenders.map((contender) => mean(contender.values));
  let leaderIndex = 0;
  for (let index = 1; index < contenders.length; index++) {
    if (means[index]! > means[leaderIndex]!) leaderIndex = index;
  }
  const leader = contenders[leaderIndex]!;
  const eliminated: { id: string; upperDifference: number }[] = [];
  let decided = test.tolerance > 0;
  for (const [index, contender] of contenders.entries()) {
    if (index === leaderIndex) continue;
    const count = Math.min(contender.values.length, leader.values.length);
    let sum = 0;
    let sumOfSquares = 0;
    for (let item = 0; item < count; item++) {
      const difference = contender.values[item]! - leader.values[item]!;
      sum += difference;
      sumOfSquares += difference * difference;
    }
    const average = sum / count;
    const variance = count > 1 ? (sumOfSquares - count * average * average) / (count - 1) : 1;
    const upper =
      average +
      confidenceSequenceHalfWidth(count, Math.max(variance, 1 / count), test.alpha, test.tightestAt);
    if (upper < 0) eliminated.push({ id: contender.id, upperDifference: upper });
    else if (!(upper < test.tolerance)) decided = false;
  }
  return { leader: leader.id, eliminated, decided };
}

/**
 * The fallback for metrics without per-example values (macro-F1, Spearman…): each candidate's
 * quality interval from the scorer, computed at a confidence level adjusted for the number of
 * candidates and looks (the caller spends (1 − confidence) / (K · r(r + 1)) at look r, which sums
 * to at most 1 − confidence over any number of looks). A candidate whose upper bound is below the
 * leader's lower bound is eliminated; when every survivor's upper bound is below the leader's
 * lower bound + `tolerance`, the race is decided.
 * @internal
 */
export function decideIntervalRace(
  contenders: readonly { readonly id: string; readonly quality: QualityMeasurement }[],
  tolerance: number,
): RaceDecision {
  let leader = contenders[0]!;
  for (const contender of contenders) if (contender.quality.value > leader.quality.value) leader = contender;
  const eliminated: { id: string; upperDifference: number }[] = [];
  let decided = tolerance > 0;
  for (const contender of contenders) {
    if (contender === leader) continue;
    const upperDifference = contender.quality.upper - leader.quality.lower;
    if (upperDifference < 0) eliminated.push({ id: contender.id, upperDifference });
    else if (!(upperDifference < tolerance)) decided = false;
  }
  return { leader: leader.id, eliminated, decided };
}
