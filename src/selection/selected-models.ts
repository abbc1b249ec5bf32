import type { Estimate } from '../bandit/estimate.js';
import type { ModelCandidate } from '../core/model-candidate.js';
import type { Constraints, ModelRequirements, Objective } from '../core/model-requirements.js';
import type { ConstraintRejection } from '../errors/no-feasible-candidate-error.js';
import type { Context } from './context.js';

/** What {@link selectOptimal} is asked. */
export interface SelectionRequest {
  /** The models to choose among: candidates from discovery, or plain model ids. */
  readonly candidates: ReadonlyArray<ModelCandidate | string>;
  /** Requirements (constraints and objective) of the caller's task. */
  readonly requirements?: ModelRequirements;
  /** What is known about this request; see {@link Context}. */
  readonly context?: Context;
  /** How to trade quality, latency and cost; overrides `requirements.objective`. */
  readonly objective?: Objective;
  /** Hard constraints added to those of `requirements` (the tighter limit wins). */
  readonly constraints?: Constraints;
  /** How many fallbacks to rank after the primary. @default 2 */
  readonly fallbacks?: number;
  /** When set (≥ 1), also return an ensemble of this many diverse models, the primary first. @default undefined */
  readonly ensembleSize?: number;
}

/** Where a latency or cost figure comes from. */
export type EstimateSource = 'learned' | 'declared' | 'unknown';

/** A learned or declared metric with its interval. */
export interface MetricEstimate extends Estimate {
  /** `learned` from outcomes, `declared` by the candidate's metadata, or `unknown` (taken as 0, optimistically). */
  readonly source: EstimateSource;
}

/** What the selector predicts for one feasible candidate. */
export interface CandidateEstimate {
  readonly id: string;
  /** Predicted quality (reward in [0, 1]) with its interval. */
  readonly quality: Estimate;
  /** Predicted latency in milliseconds with its interval. */
  readonly latencyMs: MetricEstimate;
  /** Predicted cost per request in US dollars with its interval. */
  readonly costUsd: MetricEstimate;
  /** Expected utility under the request's objective: `q·quality − l·latencyMs − c·costUsd`. */
  readonly utility: number;
  /** Effective number of outcomes observed for this candidate in the request's context partition. */
  readonly pulls: number;
}

/** Why the selector chose what it chose. */
export interface SelectionExplanation {
  /** One or two sentences for people. */
  readonly summary: string;
  /** The strategy's name, e.g. `'thompson-sampling'`. */
  readonly strategy: string;
  /** The objective used, defaults filled in. */
  readonly objective: Required<Objective>;
  /** The context partition whose statistics were used (`'*'` for the global one). */
  readonly partition: string;
  /** `exploit`: the primary has the highest expected utility; `explore`: the strategy tried another to learn. */
  readonly decision: 'exploit' | 'explore';
  /** Candidates removed by hard constraints, by constraint. */
  readonly rejections: readonly ConstraintRejection[];
}

/** The result of {@link selectOptimal}. */
export interface SelectedModels {
  /** The model to use now. */
  readonly primary: ModelCandidate;
  /** What to try, in order, when the primary fails: ranked by expected utility. */
  readonly fallbacks: readonly ModelCandidate[];
  /** When `ensembleSize` was asked: diverse top models, the primary first. */
  readonly ensemble?: readonly ModelCandidate[];
  /** Predictions for every feasible candidate, by expected utility, best first. */
  readonly estimates: readonly CandidateEstimate[];
  readonly explanation: SelectionExplanation;
}
