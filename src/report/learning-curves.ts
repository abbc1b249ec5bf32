import { InvalidArgumentError } from '../errors/invalid-argument-error.js';

/** One request served while the selector learned: which model served it and the reward learned. */
export interface LearningObservation {
  /** The request's position (e.g. 1, 2, 3…, or a timestamp); observations are ordered by it. */
  readonly step: number;
  /** The model that served the request. */
  readonly modelId: string;
  /** The reward learned (quality in [0, 1]); absent when the outcome had none (latency only). */
  readonly reward?: number;
}

/** A point of a learning curve. */
export interface CurvePoint {
  /** The observation's `step`. */
  readonly step: number;
  readonly value: number;
}

/** The share of requests one model (or the rest, together) served so far. */
export interface LearningSeries {
  /** The model's id, or `'N others'` for the models beyond `maxSeries`. */
  readonly label: string;
  /** Whether this is the series of the models beyond `maxSeries`, together. */
  readonly others: boolean;
  /** The models in the series (one, except for the others). */
  readonly modelIds: readonly string[];
  /** Requests they served. */
  readonly picks: number;
  /** Their mean reward, over the requests with a reward. */
  readonly meanReward: number | undefined;
  /** Cumulative share of the requests served by them, after each sampled observation. */
  readonly share: readonly CurvePoint[];
}

/** Options of {@link computeLearningCurves}. */
export interface LearningCurveOptions {
  /** Models with their own series (the most picked); the others share one. @default 8 */
  readonly maxSeries?: number;
  /** Most points per curve: observations are sampled evenly, the last always kept. @default 240 */
  readonly maxPoints?: number;
}

/** Defaults of {@link LearningCurveOptions}. */
export const LEARNING_CURVE_DEFAULTS = Object.freeze({
  /** @default 8 */
  maxSeries: 8,
  /** @default 240 */
  maxPoints: 240,
});

/** What {@link computeLearningCurves} derives from the observations. */
export interface LearningCurves {
  /** Observations (requests). */
  readonly requests: number;
  /** Distinct models that served requests. */
  readonly models: number;
  /** Per model (most picked first, ties by id), then the others together when there are more than `maxSeries`. */
  readonly series: readonly LearningSeries[];
  /** Running mean reward over the requests with a reward, after each sampled observation that has one so far. */
  readonly meanReward: readonly CurvePoint[];
  /** The model with the highest mean reward observed (ties: the most picked), when any reward was observed. */
  readonly best: { readonly modelId: string; readonly meanReward: number } | undefined;
  /**
   * Estimated cumulative regret: Σ over requests with a rewarded model of (best mean reward −
   * the serving model's mean reward), the means being those observed over all requests. 0 when
   * the best model served every request; `undefined` without rewards.
   */
  readonly estimatedRegret: number | undefined;
}

/** Throws unless `observations` is an array of valid {@link LearningObservation}s. */
function assertObservations(observations: readonly LearningObservation[]): void {
  if (!Array.isArray(observations)) {
    throw new InvalidArgumentError({
      argument: 'learningCurve',
      value: observations,
      message: 'must be an array of { step, modelId, reward? }',
    });
  }
  observations.forEach((observation: LearningObservation | null, index) => {
    const argument = `learningCurve[${index}]`;
    if (observation === null || typeof observation !== 'object') {
      throw new InvalidArgumentError({ argument, value: observation, message: 'must be an object' });
    }
    if (typeof observation.step !== 'number' || !Number.isFinite(observation.step)) {
      throw new InvalidArgumentError({
        argument: `${argument}.step`,
        value: observation.step,
        message: 'must be a finite number',
      });
    }
    if (typeof observation.modelId !== 'string' || observation.modelId === '') {
      throw new InvalidArgumentError({
        argument: `${argument}.modelId`,
        value: observation.modelId,
        message: 'must be a non-empty string',
      });
    }
    const { reward } = observation;
    if (reward !== undefined && (typeof reward !== 'number' || !Number.isFinite(reward))) {
      throw new InvalidArgumentError({
        argument: `${argument}.reward`,
        value: reward,
        message: 'must be a finite number or undefined',
      });
    }
  });
}

/** Indices of the observations to sample: about `maxPoints`, evenly spaced, the last included. */
function sampleIndices(count: number, maxPoints: number): Set<number> {
  const indices = new Set<number>();
  if (count === 0) return indices;
  const points = Math.max(2, Math.floor(maxPoints));
  if (count <= points) {
    for (let index = 0; index < count; index++) indices.add(index);
    return indices;
  }
  for (let point = 0; point < points; point++) {
    indices.add(Math.round((point * (count - 1)) / (points - 1)));
  }
  return indices;
}

/**
 * Learning curves of a selector from the requests it served: per model, the cumulative share of
 * requests it served (a selector that learns converges on the best model); overall, the running
 * mean reward, the best model's mean reward and the estimated regret. Observations are ordered
 * by `step` (stable for equal steps).
 *
 * @throws InvalidArgumentError for an observation without a finite `step`, a non-empty
 *   `modelId`, or with a non-finite `reward`; or for options that are not positive integers.
 */
export function computeLearningCurves(
  observations: readonly LearningObservation[],
  options: LearningCurveOptions = {},
): LearningCurves {
  assertObservations(observations);
  const { maxSeries = LEARNING_CURVE_DEFAULTS.maxSeries, maxPoints = LEARNING_CURVE_DEFAULTS.maxPoints } =
    options;
  for (const [name, value, minimum] of [
    ['maxSeries', maxSeries, 1],
    ['maxPoints', maxPoints, 2],
  ] as const) {
    if (!Number.isInteger(value) || value < minimum) {
      throw new InvalidArgumentError({
        argument: `options.${name}`,
        value,
        message: `must be an integer ≥ ${minimum}`,
      });
    }
  }
  const ordered = observations
    .map((observation, index) => ({ observation, index }))
    .sort((a, b) => a.observation.step - b.observation.step || a.index - b.index)
    .map(({ observation }) => observation);

  const totals = new Map<string, { picks: number; rewards: number; rewardSum: number }>();
  for (const { modelId, reward } of ordered) {
    const total = totals.get(modelId) ?? { picks: 0, rewards: 0, rewardSum: 0 };
    total.picks++;
    if (reward !== undefined) {
      total.rewards++;
      total.rewardSum += reward;
    }
    totals.set(modelId, total);
  }
  const meanOf = (modelId: string) => {
    const total = totals.get(modelId)!;
    return total.rewards === 0 ? undefined : total.rewardSum / total.rewards;
  };
  const byPicks = [...totals.entries()].sort(
    ([aId, a], [bId, b]) => b.picks - a.picks || (aId < bId ? -1 : aId > bId ? 1 : 0),
  );
  const shown = byPicks.slice(0, maxSeries).map(([modelId]) => modelId);
  const others = byPicks.slice(maxSeries).map(([modelId]) => modelId);
  const groupOf = new Map<string, number>();
  shown.forEach((modelId, index) => {
    groupOf.set(modelId, index);
  });
  for (const modelId of others) groupOf.set(modelId, shown.length);
  const groups = others.length > 0 ? shown.length + 1 : shown.length;

  let best: LearningCurves['best'];
  for (const [modelId] of byPicks) {
    const mean = meanOf(modelId);
    if (mean !== undefined && (best === undefined || mean > best.meanReward))
      best = { modelId, meanReward: mean };
  }

  const sampled = sampleIndices(ordered.length, maxPoints);
  const counts = new Array<number>(groups).fill(0);
  const shares: CurvePoint[][] = Array.from({ length: groups }, () => []);
  const meanReward: CurvePoint[] = [];
  let rewardCount = 0;
  let rewardSum = 0;
  let regret = 0;
  ordered.forEach(({ step, modelId, reward }, index) => {
    counts[groupOf.get(modelId)!]!++;
    if (reward !== undefined) {
      rewardCount++;
      rewardSum += reward;
    }
    const mean = meanOf(modelId);
    if (best !== undefined && mean !== undefined) regret += best.meanReward - mean;
    if (!sampled.has(index)) return;
    for (let group = 0; group < groups; group++) {
      shares[group]!.push({ step, value: counts[group]! / (index + 1) });
    }
    if (rewardCount > 0) meanReward.push({ step, value: rewardSum / rewardCount });
  });

  const groupMean = (modelIds: readonly string[]) => {
    let sum = 0;
    let count = 0;
    for (const modelId of modelIds) {
      const total = totals.get(modelId)!;
      sum += total.rewardSum;
      count += total.rewards;
    }
    return count === 0 ? undefined : sum / count;
  };
  const series: LearningSeries[] = shown.map((modelId, group) => ({
    label: modelId,
    others: false,
    modelIds: [modelId],
    picks: totals.get(modelId)!.picks,
    meanReward: meanOf(modelId),
    share: shares[group]!,
  }));
  if (others.length > 0) {
    series.push({
      label: others.length === 1 ? '1 other' : `${others.length} others`,
      others: true,
      modelIds: others,
      picks: others.reduce((sum, modelId) => sum + totals.get(modelId)!.picks, 0),
      meanReward: groupMean(others),
      share: shares[shown.length]!,
    });
  }
  return {
    requests: ordered.length,
    models: totals.size,
    series,
    meanReward,
    best,
    estimatedRegret: best === undefined ? undefined : Math.max(0, regret),
  };
}
