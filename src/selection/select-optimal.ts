import type { Estimate } from '../bandit/estimate.js';
import { cachedTwoSidedStudentTQuantile } from '../bandit/quantiles.js';
import type { ModelCandidate } from '../core/model-candidate.js';
import type { Objective } from '../core/model-requirements.js';
import { assertNumber } from '../core/validate.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { NoFeasibleCandidateError } from '../errors/no-feasible-candidate-error.js';
import { chooseArm } from './choose.js';
import { applyConstraints, mergeConstraints } from './constraints.js';
import type { SelectorSetup } from './create-selector.js';
import { metricOffset, metricStatistics, SCALAR_FIELDS_PER_ARM } from './learning-state.js';
import type {
  CandidateEstimate,
  MetricEstimate,
  SelectedModels,
  SelectionExplanation,
  SelectionRequest,
} from './selected-models.js';

/** Defaults of a selection request. */
export const SELECTION_DEFAULTS = Object.freeze({
  fallbacks: 2,
  objective: Object.freeze({ quality: 1, latencyMs: 0, costUsd: 0 }),
});

/** Quality weight used when the objective gives quality 0: quality then only breaks ties. */
const TIE_BREAK_QUALITY_WEIGHT = 1e-9;

function toCandidates(candidates: SelectionRequest['candidates']): ModelCandidate[] {
  if (!Array.isArray(candidates) || candidates.length === 0) {
    throw new InvalidArgumentError({
      argument: 'candidates',
      value: candidates,
      message: 'must be a non-empty array',
    });
  }
  const seen = new Set<string>();
  const result: ModelCandidate[] = new Array(candidates.length);
  for (let index = 0; index < candidates.length; index++) {
    const entry = candidates[index] as ModelCandidate | string;
    const candidate = typeof entry === 'string' ? { id: entry } : entry;
    if (
      candidate === null ||
      typeof candidate !== 'object' ||
      typeof candidate.id !== 'string' ||
      candidate.id.length === 0
    ) {
      throw new InvalidArgumentError({
        argument: `candidates[${index}]`,
        value: entry,
        message: 'must be a model id or a ModelCandidate with an id',
      });
    }
    if (seen.has(candidate.id)) {
      throw new InvalidArgumentError({
        argument: 'candidates',
        value: candidate.id,
        message: `duplicate id '${candidate.id}'`,
      });
    }
    seen.add(candidate.id);
    result[index] = candidate;
  }
  return result;
}

/**
 * The last candidate list a scout normalized, so that a pipeline passing the same list again
 * skips validation. A hit needs the same array holding the same elements (by identity).
 * @internal
 */
export interface CandidateListCache {
  source: readonly unknown[] | undefined;
  elements: readonly unknown[];
  candidates: ModelCandidate[];
  ids: string[];
}

/** An empty {@link CandidateListCache}. @internal */
export function emptyCandidateListCache(): CandidateListCache {
  return { source: undefined, elements: [], candidates: [], ids: [] };
}

/** Validated candidates and their ids; every id is remembered so outcomes for it are accepted. */
function normalizeCandidates(
  setup: SelectorSetup,
  list: SelectionRequest['candidates'],
): { candidates: ModelCandidate[]; ids: string[] } {
  const cache = setup.candidateCache;
  if (Array.isArray(list) && cache.source === list && list.length === cache.elements.length) {
    // The same array with the same elements, and (should a candidate have been changed in place) the same ids.
    let same = true;
    for (let index = 0; index < list.length && same; index++) {
      const entry = list[index]!;
      same = entry === cache.elements[index] && (typeof entry === 'string' || entry.id === cache.ids[index]);
    }
    if (same) return cache;
  }
  const candidates = toCandidates(list);
  const ids = candidates.map((candidate) => candidate.id);
  for (const id of ids) setup.state.remember(id);
  cache.source = list;
  cache.elements = [...list];
  cache.candidates = candidates;
  cache.ids = ids;
  return cache;
}

const NON_NEGATIVE = Object.freeze({ minimum: 0 });

function resolveObjective(objective: Objective | undefined): Required<Objective> {
  if (objective === undefined) return SELECTION_DEFAULTS.objective;
  const defaults = SELECTION_DEFAULTS.objective;
  const quality = objective.quality ?? defaults.quality;
  const latencyMs = objective.latencyMs ?? defaults.latencyMs;
  const costUsd = objective.costUsd ?? defaults.costUsd;
  assertNumber('objective.quality', quality, NON_NEGATIVE);
  assertNumber('objective.latencyMs', latencyMs, NON_NEGATIVE);
  assertNumber('objective.costUsd', costUsd, NON_NEGATIVE);
  return { quality, latencyMs, costUsd };
}

const LATENCY = metricOffset('latencyMs');
const COST = metricOffset('costUsd');
const REWARD = metricOffset('reward');

/** The mean of a latency or cost: learned when there are outcomes, else declared, else 0. */
function metricMean(values: readonly number[], offset: number, declared: number | undefined): number {
  const count = values[offset]!;
  return count > 0 ? values[offset + 1]! / count : (declared ?? 0);
}

/** A latency or cost with its Student-t interval (learned), or the declared value, or unknown (0). */
function metricEstimate(
  values: readonly number[],
  offset: number,
  declared: number | undefined,
  level: number,
): MetricEstimate {
  const count = values[offset]!;
  if (count > 0) {
    const mean = values[offset + 1]! / count;
    const variance = Math.max(0, values[offset + 2]! / count - mean * mean);
    // With fewer than two observations there is no spread to measure: assume a coefficient of variation of 1.
    const deviation = count >= 2 ? Math.sqrt((variance * count) / (count - 1)) : Math.abs(mean);
    const half = (cachedTwoSidedStudentTQuantile(level, count - 1) * deviation) / Math.sqrt(count);
    return { mean, lower: Math.max(0, mean - half), upper: mean + half, source: 'learned' };
  }
  if (declared !== undefined) return { mean: declared, lower: declared, upper: declared, source: 'declared' };
  return { mean: 0, lower: 0, upper: 0, source: 'unknown' };
}

/**
 * Positions of the `limit` highest utilities, best first, leaving out `excluded`: `limit` linear
 * scans, cheaper than sorting when only the first few are needed.
 */
function highestUtilities(utilities: readonly number[], excluded: number, limit: number): number[] {
  const chosen: number[] = [];
  while (chosen.length < limit) {
    let best = -1;
    for (let position = 0; position < utilities.length; position++) {
      if (position === excluded || chosen.includes(position)) continue;
      if (best < 0 || utilities[position]! > utilities[best]!) best = position;
    }
    if (best < 0) break;
    chosen.push(best);
  }
  return chosen;
}

function declaredLatency(candidate: ModelCandidate): number | undefined {
  return candidate.metrics?.latencyMs;
}

function declaredCost(candidate: ModelCandidate): number | undefined {
  return candidate.pricing?.perRequestUsd ?? candidate.metrics?.costUsd;
}

/** The diversity group of a candidate: its family, else its provider and library, else its owner. */
function diversityKey(candidate: ModelCandidate): string {
  if (candidate.family !== undefined) return `family:${candidate.family}`;
  if (candidate.provider !== undefined || candidate.library !== undefined) {
    return `provider:${candidate.provider ?? ''}/${candidate.library ?? ''}`;
  }
  const slash = candidate.id.indexOf('/');
  return slash > 0 ? `owner:${candidate.id.slice(0, slash)}` : `id:${candidate.id}`;
}

function formatNumber(value: number): string {
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 100) return value.toFixed(0);
  if (magnitude >= 1) return value.toFixed(2);
  return value.toPrecision(2);
}

/**
 * Chooses the best model for a request: hard constraints first, then the bandit strategy on the
 * objective's utility, learned per context partition. The core of `scout.selectOptimal`.
 * @internal
 */
export async function runSelectOptimal(
  setup: SelectorSetup,
  request: SelectionRequest,
): Promise<SelectionResult> {
  if (request === null || typeof request !== 'object') {
    throw new InvalidArgumentError({ argument: 'request', value: request, message: 'must be an object' });
  }
  const { state, strategy, parser, random, confidenceLevel } = setup;
  const { candidates, ids } = normalizeCandidates(setup, request.candidates);
  const constraints = mergeConstraints(request.requirements, request.constraints);
  const objective = resolveObjective(request.objective ?? request.requirements?.objective);
  const fallbackCount = request.fallbacks ?? SELECTION_DEFAULTS.fallbacks;
  assertNumber('fallbacks', fallbackCount, { minimum: 0, integer: true });
  if (request.ensembleSize !== undefined)
    assertNumber('ensembleSize', request.ensembleSize, { minimum: 1, integer: true });
  const context = parser.parse(request.context);
  // Input is checked first, so that a bad request is an InvalidArgumentError even while the store is away.
  const loading = state.ready();
  if (loading !== undefined) await loading;

  // Copied out of the engine's reused arrays (a fast copy of packed numbers): estimates are
  // computed later, when first read.
  const read = state.scalarStatistics(ids, context);
  const values = read.values.slice(0, ids.length * SCALAR_FIELDS_PER_ARM);
  const pulls = read.pulls.slice(0, ids.length);
  const at = (index: number, metric: number): number => index * SCALAR_FIELDS_PER_ARM + metric;
  const lowerBound = (index: number, metric: number): number | undefined =>
    values[at(index, metric)]! >= 2
      ? metricEstimate(values, at(index, metric), undefined, confidenceLevel).lower
      : undefined;
  const check = applyConstraints(candidates, constraints, {
    latencyLowerMs: (index) => lowerBound(index, LATENCY),
    costLowerUsd: (index) => lowerBound(index, COST),
  });
  const { feasible } = check;
  if (feasible.length === 0) throw new NoFeasibleCandidateError({ rejections: check.rejections() });

  // Expected latency and cost enter the strategy as utility offsets, in quality units.
  const qualityWeight = Math.max(objective.quality, TIE_BREAK_QUALITY_WEIGHT);
  const count = feasible.length;
  const feasibleIds = feasible.map((index) => ids[index]!);
  // Linear statistics are read now, not when estimates are first read, so they describe this decision.
  const linearStatistics =
    strategy.kind === 'linear' ? state.linearStatistics(feasibleIds, context) : undefined;
  const qualityEstimates: Array<Estimate | undefined> = new Array(count);
  const offsets: number[] = new Array(count);
  const utilities: number[] = new Array(count);
  const scratch = { count: 0, sum: 0, sumOfSquares: 0 };
  for (let position = 0; position < count; position++) {
    const index = feasible[position]!;
    const candidate = candidates[index]!;
    const penalty =
      objective.latencyMs * metricMean(values, at(index, LATENCY), declaredLatency(candidate)) +
      objective.costUsd * metricMean(values, at(index, COST), declaredCost(candidate));
    offsets[position] = -penalty / qualityWeight;
    const reward = at(index, REWARD);
    let quality: number;
    if (strategy.kind === 'scalar' && strategy.expectedReward !== undefined) {
      scratch.count = values[reward]!;
      scratch.sum = values[reward + 1]!;
      scratch.sumOfSquares = values[reward + 2]!;
      quality = strategy.expectedReward(scratch);
    } else quality = qualityEstimateAt(position).mean;
    utilities[position] = qualityWeight * quality - penalty;
  }
  const primaryPosition = chooseArm(state, strategy, random, feasibleIds, context, offsets, {
    values,
    positions: feasible,
  });

  // Fallbacks by expected utility. The full ranking (and every interval) only when asked for.
  let fullRanking: number[] | undefined;
  const ranking = (): number[] => {
    fullRanking ??= Array.from({ length: count }, (_, position) => position).sort(
      (left, right) => utilities[right]! - utilities[left]!,
    );
    return fullRanking;
  };
  const primary = candidates[feasible[primaryPosition]!]!;
  const fallbacks = highestUtilities(utilities, primaryPosition, fallbackCount).map(
    (position) => candidates[feasible[position]!]!,
  );
  let ensemble: ModelCandidate[] | undefined;
  if (request.ensembleSize !== undefined) {
    ensemble = [primary];
    const groups = new Set([diversityKey(primary)]);
    const remaining = ranking().filter((position) => position !== primaryPosition);
    while (ensemble.length < request.ensembleSize && remaining.length > 0) {
      let pick = remaining.findIndex(
        (position) => !groups.has(diversityKey(candidates[feasible[position]!]!)),
      );
      if (pick < 0) pick = 0;
      const [position] = remaining.splice(pick, 1);
      const member = candidates[feasible[position!]!]!;
      groups.add(diversityKey(member));
      ensemble.push(member);
    }
  }
  const best = highestUtilities(utilities, -1, 1)[0]!;
  const decision: SelectionExplanation['decision'] =
    utilities[primaryPosition]! >= utilities[best]! ? 'exploit' : 'explore';

  function qualityEstimateAt(position: number): Estimate {
    let estimate = qualityEstimates[position];
    if (estimate === undefined) {
      estimate =
        strategy.kind === 'linear'
          ? strategy.estimate(linearStatistics![position]!, context.features, confidenceLevel)
          : strategy.estimate(metricStatistics(values, feasible[position]!, 'reward'), confidenceLevel);
      qualityEstimates[position] = estimate;
    }
    return estimate;
  }
  const latencyAt = (position: number): MetricEstimate =>
    metricEstimate(
      values,
      at(feasible[position]!, LATENCY),
      declaredLatency(candidates[feasible[position]!]!),
      confidenceLevel,
    );
  const costAt = (position: number): MetricEstimate =>
    metricEstimate(
      values,
      at(feasible[position]!, COST),
      declaredCost(candidates[feasible[position]!]!),
      confidenceLevel,
    );

  const buildEstimates = (): CandidateEstimate[] =>
    ranking().map((position) => ({
      id: feasibleIds[position]!,
      quality: qualityEstimateAt(position),
      latencyMs: latencyAt(position),
      costUsd: costAt(position),
      utility: utilities[position]!,
      pulls: pulls[feasible[position]!]!,
    }));
  const buildExplanation = (): SelectionExplanation => {
    const quality = qualityEstimateAt(primaryPosition);
    const latency = latencyAt(primaryPosition);
    const cost = costAt(primaryPosition);
    // Ties share a rank: 1 + the number of candidates with a strictly higher expected utility.
    const rank = 1 + utilities.filter((utility) => utility > utilities[primaryPosition]!).length;
    const parts = [
      `Chose ${primary.id} for ${context.partition === '*' ? 'any context' : `context ${decodeURIComponent(context.partition)}`}:`,
      `expected quality ${formatNumber(quality.mean)} [${formatNumber(quality.lower)}, ${formatNumber(quality.upper)}]`,
      `over ${formatNumber(pulls[feasible[primaryPosition]!]!)} outcomes,`,
      `latency ${latency.source === 'unknown' ? 'unknown' : `${formatNumber(latency.mean)} ms`},`,
      `cost ${cost.source === 'unknown' ? 'unknown' : `$${formatNumber(cost.mean)}`};`,
      `utility ${formatNumber(utilities[primaryPosition]!)}, rank ${rank} of ${feasible.length} by expected utility.`,
      decision === 'exploit'
        ? `${strategy.name} exploited the best expected utility.`
        : `${strategy.name} explored: ${primary.id} is uncertain enough that it may beat ${feasibleIds[best]}.`,
    ];
    const rejections = check.rejections();
    const removed = rejections.reduce((total, rejection) => total + rejection.candidates.length, 0);
    if (removed > 0) {
      parts.push(
        `${removed} candidate${removed === 1 ? '' : 's'} removed by constraints (${rejections
          .map((rejection) => `${rejection.constraint}: ${rejection.candidates.join(', ')}`)
          .join('; ')}).`,
      );
    }
    return {
      summary: parts.join(' '),
      strategy: strategy.name,
      objective,
      partition: context.partition,
      decision,
      rejections,
    };
  };
  return new SelectionResult(primary, fallbacks, ensemble, decision, buildEstimates, buildExplanation);
}

/**
 * The result of a selection. `estimates` and `explanation` are computed when first read (their
 * intervals cost more than the choice itself) and then kept; `toJSON` includes them.
 */
export class SelectionResult implements SelectedModels {
  #estimates: CandidateEstimate[] | undefined;
  #explanation: SelectionExplanation | undefined;

  constructor(
    readonly primary: ModelCandidate,
    readonly fallbacks: readonly ModelCandidate[],
    readonly ensemble: readonly ModelCandidate[] | undefined,
    /** Whether the strategy exploited or explored (as in the explanation, without computing it). */
    readonly decision: SelectionExplanation['decision'],
    private readonly buildEstimates: () => CandidateEstimate[],
    private readonly buildExplanation: () => SelectionExplanation,
  ) {}

  get estimates(): readonly CandidateEstimate[] {
    this.#estimates ??= this.buildEstimates();
    return this.#estimates;
  }

  get explanation(): SelectionExplanation {
    this.#explanation ??= this.buildExplanation();
    return this.#explanation;
  }

  toJSON(): SelectedModels {
    const { primary, fallbacks, ensemble, estimates, explanation } = this;
    return ensemble === undefined
      ? { primary, fallbacks, estimates, explanation }
      : { primary, fallbacks, ensemble, estimates, explanation };
  }
}
