/** Where one candidate of an evaluation stands, as its `evaluation_progress` events tell. */
export interface CandidateProgress {
  /** Examples it predicted. */
  readonly done: number;
  /** Examples it will predict at most, when known. */
  readonly total: number | undefined;
  /** Its own estimate of the milliseconds left (`undefined` before its first prediction). */
  readonly etaMs: number | undefined;
  /** Whether it stopped (completed, eliminated, out of budget, failed). */
  readonly finished: boolean;
  /** Milliseconds per example, from its last estimate (kept once it finished); `undefined` before one. */
  readonly millisecondsPerExample: number | undefined;
}

/** The milliseconds per example an `evaluation_progress` event implies, when it implies one. */
export function millisecondsPerExample(done: number, total: number | undefined, etaMs: number | undefined) {
  if (etaMs === undefined || etaMs <= 0 || total === undefined || total <= done) return undefined;
  return etaMs / (total - done);
}

/**
 * Milliseconds until a whole evaluation is done: candidates predict one after another (in a race,
 * in turns), so their remaining times add up. A running candidate's time is its own estimate; one
 * that has not started yet is estimated at the mean time per example of those that have a rate
 * (finished ones included), capped by `budgetMs`. `undefined` until some candidate has a rate, or
 * when totals are unknown. In a race this is an upper bound: eliminated candidates stop early.
 */
export function overallEtaMs(
  candidates: readonly CandidateProgress[],
  budgetMs: number = Number.POSITIVE_INFINITY,
): number | undefined {
  const rates = candidates
    .map((candidate) => candidate.millisecondsPerExample)
    .filter((rate): rate is number => rate !== undefined);
  const meanRate = rates.length === 0 ? undefined : rates.reduce((sum, rate) => sum + rate, 0) / rates.length;
  let remaining = 0;
  for (const candidate of candidates) {
    if (candidate.finished) continue;
    if (candidate.etaMs !== undefined) {
      remaining += candidate.etaMs;
      continue;
    }
    if (candidate.total === undefined || meanRate === undefined) return undefined;
    remaining += Math.min(meanRate * (candidate.total - candidate.done), budgetMs);
  }
  return remaining;
}

/** The fraction of the whole evaluation done, in [0, 1]; `undefined` when totals are unknown. */
export function overallFraction(candidates: readonly CandidateProgress[]): number | undefined {
  let done = 0;
  let total = 0;
  for (const candidate of candidates) {
    if (candidate.total === undefined) return undefined;
    total += candidate.total;
    done += candidate.finished ? candidate.total : Math.min(candidate.done, candidate.total);
  }
  return total === 0 ? undefined : done / total;
}
