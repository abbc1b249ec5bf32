import type { QualityMeasurement } from '../core/model-score.js';
import type { Task } from '../core/task.js';
import type { EvaluationScore } from '../evaluation/evaluator/evaluation-score.js';
import type { JsonValue, Store } from '../store/spec.js';
import type { PerformanceSummary } from './performance-history.js';
import type { ResolvedWindow, TimeWindow } from './time-window.js';

/**
 * How {@link History.bestModels} ranks:
 * - `'quality'`: the evaluation's headline quality, highest first;
 * - `'qualityLowerBound'`: the lower end of its interval, highest first (prefers well-measured models);
 * - `'latency'`: the evaluation's median latency per item, lowest first;
 * - `'successRate'`: the served success rate in the window, highest first (models without
 *   outcomes last).
 * Ties go to the higher quality, then the newer evaluation, then the model id.
 */
export type BestModelsRanking = 'quality' | 'qualityLowerBound' | 'latency' | 'successRate';

/** The rankings {@link History.bestModels} accepts. @internal */
export const BEST_MODELS_RANKINGS: readonly BestModelsRanking[] = [
  'quality',
  'qualityLowerBound',
  'latency',
  'successRate',
];

/** Options of {@link History.bestModels}. */
export interface BestModelsQuery extends TimeWindow {
  /** The task the models were evaluated on. */
  readonly task: Task;
  /** Only evaluations on this data (`score.dataset`: the request's `datasetId` or a fingerprint). */
  readonly dataset?: string;
  /** Most rows returned. @default every model evaluated in the window */
  readonly limit?: number;
  /** How to rank. @default 'quality' */
  readonly by?: BestModelsRanking;
}

/** One row of {@link History.bestModels}: a model (and revision) evaluated in the window. */
export interface BestModelRow {
  /** 1 for the best. */
  readonly rank: number;
  readonly modelId: string;
  /** The revision evaluated, when known; each revision of a model has its own row. */
  readonly revision: string | undefined;
  /** The headline quality with its interval (of {@link BestModelRow.evaluation}). */
  readonly quality: QualityMeasurement;
  /** The latest evaluation of this model and revision in the window. */
  readonly evaluation: EvaluationScore;
  /** When it was evaluated, in clock milliseconds. */
  readonly evaluatedAt: number;
  /**
   * What the model's served requests did in the window (from `recordOutcome`, of every
   * revision: outcomes do not name one).
   */
  readonly served: PerformanceSummary;
}

/** An evaluation found in the window, before ranking. @internal */
export interface WindowEvaluation {
  readonly evaluation: EvaluationScore;
  readonly evaluatedAt: number;
}

/** A stored number: a number, or `null` for a non-finite one (`NaN` is stored so). */
function isStoredNumber(value: unknown): value is number | null {
  return value === null || typeof value === 'number';
}

function isRankable(value: JsonValue): value is JsonValue & EvaluationScore {
  const score = value as Partial<EvaluationScore> | null;
  if (
    score === null ||
    typeof score !== 'object' ||
    typeof score.modelId !== 'string' ||
    typeof score.task !== 'string' ||
    typeof score.evaluatedAt !== 'string' ||
    score.quality === null ||
    typeof score.quality !== 'object'
  ) {
    return false;
  }
  // A quality that was NaN (stored as null), or without an interval, still ranks (last).
  const { value: quality, lower, upper } = score.quality as unknown as Record<string, unknown>;
  return (
    isStoredNumber(quality) &&
    (lower === undefined || isStoredNumber(lower)) &&
    (upper === undefined || isStoredNumber(upper))
  );
}

/** `score` with its quality's `null` or missing numbers read back as `NaN`, as they were measured. */
function withNumericQuality(score: EvaluationScore): EvaluationScore {
  const number = (value: unknown): number => (typeof value === 'number' ? value : Number.NaN);
  const { quality } = score;
  if (
    typeof quality.value === 'number' &&
    typeof quality.lower === 'number' &&
    typeof quality.upper === 'number'
  ) {
    return score;
  }
  return {
    ...score,
    quality: {
      ...quality,
      value: number(quality.value),
      lower: number(quality.lower),
      upper: number(quality.upper),
    },
  };
}

/**
 * The latest stored evaluation of each model and revision on `task` (and `dataset`) within
 * `window` (by `evaluatedAt`; of two of the same time, the one with the greater key: dataset, then
 * nonce). Evaluations that predicted nothing are left out; one whose quality
 * is unknown (`NaN`, stored as `null`) is kept, with `NaN`, and ranks last. @internal
 */
export async function latestEvaluations(
  store: Store,
  namespace: string,
  task: Task,
  dataset: string | undefined,
  window: ResolvedWindow,
): Promise<WindowEvaluation[]> {
  const latest = new Map<string, WindowEvaluation & { readonly key: string }>();
  for await (const [key, value] of store.scanDocuments(`modelscout:${namespace}:evaluations:`)) {
    if (!isRankable(value) || value.task !== task || value.samples === 0) continue;
    if (dataset !== undefined && value.dataset !== dataset) continue;
    const evaluatedAt = Date.parse(value.evaluatedAt);
    if (!(evaluatedAt >= window.since && evaluatedAt <= window.until)) continue;
    const group = `${value.modelId}\u0000${value.revision ?? ''}`;
    const known = latest.get(group);
    // Two of the same time (two datasets evaluated at once): the greater key, whatever the
    // order the store scans in, so that every store answers the same.
    if (
      known === undefined ||
      evaluatedAt > known.evaluatedAt ||
      (evaluatedAt === known.evaluatedAt && key > known.key)
    ) {
      latest.set(group, { evaluation: withNumericQuality(value), evaluatedAt, key });
    }
  }
  return [...latest.values()].map(({ evaluation, evaluatedAt }) => ({ evaluation, evaluatedAt }));
}

/** Higher first; `undefined` (unknown) last. */
function descending(left: number | undefined, right: number | undefined): number {
  const a = left ?? Number.NEGATIVE_INFINITY;
  const b = right ?? Number.NEGATIVE_INFINITY;
  return a === b ? 0 : b > a ? 1 : -1;
}

/** Lower first; `undefined` (unknown) last. */
function ascending(left: number | undefined, right: number | undefined): number {
  return descending(left === undefined ? undefined : -left, right === undefined ? undefined : -right);
}

/** A finite number, else `undefined` (a stored non-finite value reads back as `null`). */
function finite(value: number | null | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * Ranks evaluations `by`, attaching each model's served performance (`served(modelId)`), and
 * keeps the first `limit` rows. @internal
 */
export function rankEvaluations(
  evaluations: readonly WindowEvaluation[],
  served: ReadonlyMap<string, PerformanceSummary>,
  by: BestModelsRanking,
  limit: number,
): BestModelRow[] {
  const rows = evaluations.map(({ evaluation, evaluatedAt }) => ({
    modelId: evaluation.modelId,
    revision: evaluation.revision,
    quality: evaluation.quality,
    evaluation,
    evaluatedAt,
    served: served.get(evaluation.modelId)!,
  }));
  const primary: Record<
    BestModelsRanking,
    (left: (typeof rows)[number], right: (typeof rows)[number]) => number
  > = {
    quality: () => 0,
    qualityLowerBound: (left, right) => descending(finite(left.quality.lower), finite(right.quality.lower)),
    latency: (left, right) =>
      ascending(finite(left.evaluation.latencyMs?.p50), finite(right.evaluation.latencyMs?.p50)),
    successRate: (left, right) => descending(left.served.successRate, right.served.successRate),
  };
  rows.sort(
    (left, right) =>
      primary[by](left, right) ||
      descending(finite(left.quality.value), finite(right.quality.value)) ||
      right.evaluatedAt - left.evaluatedAt ||
      (left.modelId < right.modelId ? -1 : left.modelId > right.modelId ? 1 : 0) ||
      (left.revision ?? '').localeCompare(right.revision ?? ''),
  );
  return rows.slice(0, limit).map((row, index) => ({ rank: index + 1, ...row }));
}
