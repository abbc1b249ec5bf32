import type { LatencyPercentile, ReportScore } from './report-input.js';

/** A score as the report uses it: its figures checked once, its place and its Pareto status. @internal */
export interface ReportRow {
  /** 1-based, in the table's order (best quality first). */
  readonly rank: number;
  readonly score: ReportScore;
  readonly modelId: string;
  /** The quality value, when finite. */
  readonly quality: number | undefined;
  /** The interval, when both ends are finite. */
  readonly interval: readonly [number, number] | undefined;
  /** The plotted latency percentile, when measured (finite and > 0). */
  readonly latency: number | undefined;
  /** Whether the score has something to plot: samples (when given) > 0 and a finite quality. */
  readonly measured: boolean;
  /** Whether it is on the quality–latency Pareto front. */
  readonly onFront: boolean;
}

/** `value` when it is a finite number. @internal */
export function finiteOrUndefined(value: number | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** A latency percentile when measured: finite and > 0 (0 is what an evaluation without predictions reports). @internal */
export function measuredLatency(value: number | undefined): number | undefined {
  const finite = finiteOrUndefined(value);
  return finite !== undefined && finite > 0 ? finite : undefined;
}

/**
 * The rows of the report: measured scores by quality (best first; ties by latency, then input
 * order), then the others in input order. `front` holds the indices (in `scores`) of the Pareto
 * front's points. @internal
 */
export function reportRows(
  scores: readonly ReportScore[],
  percentile: LatencyPercentile,
  front: ReadonlySet<number>,
): ReportRow[] {
  const prepared = scores.map((score, index) => {
    const quality = finiteOrUndefined(score.quality.value);
    const lower = finiteOrUndefined(score.quality.lower);
    const upper = finiteOrUndefined(score.quality.upper);
    return {
      index,
      score,
      modelId: score.modelId,
      quality,
      interval: lower !== undefined && upper !== undefined ? ([lower, upper] as const) : undefined,
      latency: measuredLatency(score.latencyMs?.[percentile]),
      measured: quality !== undefined && (score.samples === undefined || score.samples > 0),
      onFront: front.has(index),
    };
  });
  prepared.sort((a, b) => {
    if (a.measured !== b.measured) return a.measured ? -1 : 1;
    if (!a.measured) return a.index - b.index;
    return (
      b.quality! - a.quality! ||
      (a.latency ?? Number.POSITIVE_INFINITY) - (b.latency ?? Number.POSITIVE_INFINITY) ||
      a.index - b.index
    );
  });
  return prepared.map(({ index: _index, ...row }, position) => ({ rank: position + 1, ...row }));
}

/** How the winner was chosen. @internal */
export interface ReportWinner {
  readonly row: ReportRow;
  /** `'race'`: the race declared it; `'quality'`: the highest quality measured. */
  readonly reason: 'race' | 'quality';
}

/** The race's winner when a score says so, else the first measured row (the best quality). @internal */
export function chooseWinner(rows: readonly ReportRow[]): ReportWinner | undefined {
  const raced = rows.find((row) => row.score.race?.winner === true);
  if (raced !== undefined) return { row: raced, reason: 'race' };
  const best = rows.find((row) => row.measured);
  return best === undefined ? undefined : { row: best, reason: 'quality' };
}
