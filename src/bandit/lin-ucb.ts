import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { argmaxWithRandomTies } from './argmax.js';
import type { Estimate } from './estimate.js';
import { choleskyFactorize, dot, quadraticForm, solveLower, solveLowerTransposed } from './linear-algebra.js';
import type { LinearStatistics } from './linear-statistics.js';
import { usableCount } from './numbers.js';
import { twoSidedNormalQuantile } from './quantiles.js';
import type { LinearBanditStrategy, LinearStrategyArm } from './spec.js';
import { isUnplayed } from './unplayed.js';
import { assertLevel, resolveOptions } from './validate-options.js';

/** Options of {@link linUcb}. */
export type LinUcbOptions = {
  /**
   * Width of the confidence bonus: the index is θᵀx + alpha · √(xᵀA⁻¹x). Larger values explore
   * more. Li et al. (2010) derive 1 + √(ln(2/δ) / 2) for confidence 1 − δ; 1 works well when
   * rewards lie in [0, 1].
   * @default 1
   */
  readonly alpha?: number;
  /**
   * The ridge penalty λ in A = λI + XᵀX: the prior precision of θ. Larger values shrink
   * predictions of rarely played arms towards 0 and make them look more uncertain.
   * @default 1
   */
  readonly ridge?: number;
};

/** Default options of {@link linUcb}. */
export const DEFAULTS: Readonly<Required<LinUcbOptions>> = Object.freeze({ alpha: 1, ridge: 1 });

/** A LinUCB strategy, with its resolved options. */
export type LinUcbStrategy = LinearBanditStrategy & {
  readonly name: 'lin-ucb';
  readonly options: Readonly<Required<LinUcbOptions>>;
};

/** Scratch arrays of one feature dimension, reused across calls (which run synchronously). */
interface Workspace {
  readonly dimension: number;
  /** λI + XᵀX, then its Cholesky factor. */
  readonly factor: Float64Array;
  /** The ridge estimate θ = A⁻¹Xᵀy. */
  readonly coefficients: Float64Array;
  /** L⁻¹x, whose squared norm is xᵀA⁻¹x. */
  readonly whitened: Float64Array;
}

/**
 * Disjoint LinUCB (Li, Chu, Langford & Schapire 2010): each arm has its own ridge regression
 * θ = A⁻¹Xᵀy with A = ridge · I + XᵀX over the features of the requests it served, and the arm
 * with the largest θᵀx + alpha · √(xᵀA⁻¹x) (plus utility offset) is played. Arms never played are
 * played first, in random order. Rewards may be any finite number.
 *
 * `estimate` returns θᵀx with the interval θᵀx ± z · σ̂ · √(xᵀA⁻¹x), σ̂² being the residual variance
 * RSS / (n − d) (1 while n − d < 1) and z the normal quantile of `level`.
 */
export function linUcb(options?: LinUcbOptions): LinUcbStrategy {
  const resolved = resolveOptions(options, DEFAULTS, {
    alpha: { type: 'number', minimum: 0 },
    ridge: { type: 'number', minimum: 0, exclusiveMinimum: true },
  });
  const { alpha, ridge } = resolved;
  let workspace: Workspace | undefined;
  const workspaceOf = (dimension: number): Workspace => {
    if (workspace?.dimension !== dimension) {
      workspace = {
        dimension,
        factor: new Float64Array(dimension * dimension),
        coefficients: new Float64Array(dimension),
        whitened: new Float64Array(dimension),
      };
    }
    return workspace;
  };
  const index = (arm: LinearStrategyArm, features: readonly number[]): number => {
    const statistics = arm.statistics;
    if (isUnplayed(statistics.count)) return Number.POSITIVE_INFINITY;
    const fit = fitRidge(statistics, ridge, features, workspaceOf(statistics.dimension));
    return dot(fit.coefficients, features, fit.dimension) + alpha * Math.sqrt(squaredNorm(fit.whitened));
  };
  return {
    specificationVersion: 'v1',
    name: 'lin-ucb',
    kind: 'linear',
    rewardDomain: 'real',
    options: resolved,
    choose(arms, context) {
      const features = context.features;
      assertFeatures('context.features', features);
      for (const arm of arms) assertDimension('context.features', features, arm.statistics, arm.id);
      return argmaxWithRandomTies(arms, index, features, context.random);
    },
    estimate(statistics, features, level): Estimate {
      assertLevel(level);
      assertFeatures('features', features);
      assertDimension('features', features, statistics);
      const fit = fitRidge(statistics, ridge, features, workspaceOf(statistics.dimension));
      const mean = dot(fit.coefficients, features, fit.dimension);
      const halfWidth =
        twoSidedNormalQuantile(level) *
        Math.sqrt(squaredNorm(fit.whitened)) *
        residualStandardDeviation(statistics, fit.coefficients);
      if (!Number.isFinite(mean) || !Number.isFinite(halfWidth)) {
        // Only statistics that are not finite numbers get here: answer from the prior alone.
        const priorHalfWidth =
          (twoSidedNormalQuantile(level) * Math.sqrt(dot(features, features, features.length))) /
          Math.sqrt(ridge);
        return { mean: 0, lower: -priorHalfWidth, upper: priorHalfWidth };
      }
      return { mean, lower: mean - halfWidth, upper: mean + halfWidth };
    },
  };
}

/**
 * Fits the ridge regression of `statistics` into `workspace`: its coefficients θ, and L⁻¹x for
 * `features` x where LLᵀ = ridge · I + XᵀX. When XᵀX is so damaged (by rounding in decayed sums)
 * that A is not positive definite, retries with growing jitter on the diagonal, then falls back to
 * the diagonal of A alone.
 */
function fitRidge(
  statistics: LinearStatistics,
  ridge: number,
  features: readonly number[],
  workspace: Workspace,
): Workspace {
  const { dimension, factor, coefficients, whitened } = workspace;
  const gram = statistics.gramMatrix;
  let factorized = false;
  for (let attempt = 0; attempt < 4 && !factorized; attempt++) {
    const jitter = attempt === 0 ? 0 : ridge * 1e-8 * 100 ** attempt;
    for (let entry = 0; entry < dimension * dimension; entry++) factor[entry] = gram[entry]!;
    for (let diagonal = 0; diagonal < dimension; diagonal++) {
      const entry = diagonal * (dimension + 1);
      factor[entry] = gram[entry]! + ridge + jitter;
    }
    factorized = choleskyFactorize(factor, dimension);
  }
  if (!factorized) {
    factor.fill(0);
    for (let diagonal = 0; diagonal < dimension; diagonal++) {
      const entry = diagonal * (dimension + 1);
      factor[entry] = Math.sqrt(ridge + usableCount(gram[entry]!));
    }
  }
  solveLower(factor, dimension, statistics.featureRewardSums, coefficients);
  solveLowerTransposed(factor, dimension, coefficients, coefficients);
  solveLower(factor, dimension, features, whitened);
  return workspace;
}

/** σ̂ = √(RSS / (n − d)) with RSS = yᵀy − 2θᵀXᵀy + θᵀXᵀXθ, or 1 while n − d < 1. */
function residualStandardDeviation(statistics: LinearStatistics, coefficients: Float64Array): number {
  const { dimension, count } = statistics;
  const residualDegreesOfFreedom = count - dimension;
  if (!(residualDegreesOfFreedom >= 1)) return 1;
  const residualSumOfSquares =
    statistics.sumOfSquares -
    2 * dot(coefficients, statistics.featureRewardSums, dimension) +
    quadraticForm(statistics.gramMatrix, coefficients, dimension);
  return Math.sqrt(Math.max(0, residualSumOfSquares) / residualDegreesOfFreedom);
}

function squaredNorm(vector: Float64Array): number {
  return dot(vector, vector, vector.length);
}

function assertFeatures(argument: string, features: readonly number[]): void {
  if (!Array.isArray(features) || features.length === 0) {
    throw new InvalidArgumentError({
      argument,
      value: features,
      message: 'must be a non-empty array of numbers',
    });
  }
  for (const value of features) {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new InvalidArgumentError({ argument, value, message: 'every feature must be a finite number' });
    }
  }
}

function assertDimension(
  argument: string,
  features: readonly number[],
  statistics: LinearStatistics,
  armId?: string,
): void {
  if (features.length !== statistics.dimension) {
    const owner = armId === undefined ? 'the statistics have' : `arm '${armId}' has statistics of`;
    throw new InvalidArgumentError({
      argument,
      value: features,
      message: `has length ${features.length} but ${owner} dimension ${statistics.dimension}`,
    });
  }
}
