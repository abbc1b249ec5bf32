import {
  type CompiledLicensePolicy,
  compiledLicenseViolation,
  compileLicensePolicy,
  licensePolicyAdmitsNothing,
  licenseVerdict,
} from '../core/license.js';
import type { LicensePolicy } from '../core/license-policy.js';
import type { ModelCandidate } from '../core/model-candidate.js';
import type { Constraints, ModelRequirements } from '../core/model-requirements.js';
import { isTask, MODALITIES, modalityOf } from '../core/task.js';
import { assertLicensePolicyShape, assertNumber, assertStrings } from '../core/validate.js';
import { ContradictoryConstraintsError } from '../errors/contradictory-constraints-error.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type { ConstraintRejection } from '../errors/no-feasible-candidate-error.js';

const NUMERIC_CONSTRAINTS = [
  'maxSizeBytes',
  'maxMemoryBytes',
  'minParameters',
  'maxParameters',
  'minContextLength',
  'maxLatencyMs',
  'maxCostUsd',
] as const;
type NumericConstraint = (typeof NUMERIC_CONSTRAINTS)[number];

/** Whether a numeric constraint is an upper limit (`max…`) rather than a lower one (`min…`). */
function isMaximum(constraint: NumericConstraint): boolean {
  return constraint.startsWith('max');
}

/**
 * Constraints after merging, with every license policy given: a candidate must pass each.
 * @internal
 */
export interface MergedConstraints extends Constraints {
  readonly licensePolicies: readonly LicensePolicy[];
}

const NO_CONSTRAINTS: MergedConstraints = Object.freeze({ licensePolicies: Object.freeze([]) });

/** Throws unless `value` is undefined or an array of strings. */

/** Throws unless `policy` has the shape of a {@link LicensePolicy}. */

/**
 * Merges the constraints of the requirements with the request's own (the tighter limit wins;
 * capabilities add up) and checks they can be met together.
 * @internal
 */
export function mergeConstraints(
  requirements: ModelRequirements | undefined,
  constraints: Constraints | undefined,
): MergedConstraints {
  if (requirements === undefined && constraints === undefined) return NO_CONSTRAINTS;
  // Every field present from the start: a fixed shape keeps the object fast to build and read.
  const merged: { -readonly [Key in keyof MergedConstraints]: MergedConstraints[Key] } = {
    task: undefined,
    modality: undefined,
    capabilities: undefined,
    license: undefined,
    maxSizeBytes: undefined,
    maxMemoryBytes: undefined,
    minParameters: undefined,
    maxParameters: undefined,
    minContextLength: undefined,
    maxLatencyMs: undefined,
    maxCostUsd: undefined,
    licensePolicies: [],
  };
  const licensePolicies: LicensePolicy[] = [];
  for (const source of [requirements, constraints]) {
    if (source === undefined) continue;
    if (source === null || typeof source !== 'object') {
      throw new InvalidArgumentError({
        argument: 'constraints',
        value: source,
        message: 'must be an object',
      });
    }
    for (const key of NUMERIC_CONSTRAINTS) {
      const value = source[key];
      if (value === undefined) continue;
      assertNumber(`constraints.${key}`, value, { minimum: 0 });
      const previous = merged[key];
      merged[key] =
        previous === undefined
          ? value
          : isMaximum(key)
            ? Math.min(value, previous)
            : Math.max(value, previous);
    }
    if (source.task !== undefined) {
      if (!isTask(source.task)) {
        throw new InvalidArgumentError({
          argument: 'constraints.task',
          value: source.task,
          message: 'is not a @huggingface/tasks pipeline name',
        });
      }
      if (merged.task !== undefined && merged.task !== source.task) {
        throw new ContradictoryConstraintsError({
          constraints: ['task'],
          message: `task is both '${merged.task}' and '${source.task}'`,
        });
      }
      merged.task = source.task;
    }
    if (source.modality !== undefined) {
      if (!MODALITIES.includes(source.modality)) {
        throw new InvalidArgumentError({
          argument: 'constraints.modality',
          value: source.modality,
          message: `must be one of ${MODALITIES.join(', ')}`,
        });
      }
      if (merged.modality !== undefined && merged.modality !== source.modality) {
        throw new ContradictoryConstraintsError({
          constraints: ['modality'],
          message: `modality is both '${merged.modality}' and '${source.modality}'`,
        });
      }
      merged.modality = source.modality;
    }
    if (source.capabilities !== undefined) {
      assertStrings('constraints.capabilities', source.capabilities);
      merged.capabilities = [...new Set([...(merged.capabilities ?? []), ...source.capabilities])];
    }
    if (source.license !== undefined) {
      assertLicensePolicyShape('constraints.license', source.license);
      if (licensePolicyAdmitsNothing(source.license)) {
        throw new ContradictoryConstraintsError({
          constraints: ['license.allow', 'license.deny'],
          message: 'every allowed license is also denied, and unknown licenses are not allowed',
        });
      }
      licensePolicies.push(source.license);
      merged.license ??= source.license;
    }
  }
  merged.licensePolicies = licensePolicies;
  const result: MergedConstraints = merged;
  if (
    result.minParameters !== undefined &&
    result.maxParameters !== undefined &&
    result.minParameters > result.maxParameters
  ) {
    throw new ContradictoryConstraintsError({
      constraints: ['minParameters', 'maxParameters'],
      message: `minParameters ${result.minParameters} > maxParameters ${result.maxParameters}`,
    });
  }
  if (
    result.task !== undefined &&
    result.modality !== undefined &&
    modalityOf(result.task) !== result.modality
  ) {
    throw new ContradictoryConstraintsError({
      constraints: ['task', 'modality'],
      message: `task '${result.task}' is ${modalityOf(result.task)}, not ${result.modality}`,
    });
  }
  return result;
}

/** Learned lower bounds used by the latency and cost constraints. @internal */
export interface LearnedBounds {
  /** Lower end of the learned latency interval, when there are enough observations. */
  latencyLowerMs(index: number): number | undefined;
  /** Lower end of the learned cost interval, when there are enough observations. */
  costLowerUsd(index: number): number | undefined;
}

/** What the checks need besides the candidate. */
interface CheckContext {
  readonly constraints: Constraints;
  /** Every license policy given, compiled: a candidate must pass each. */
  readonly licenses: readonly CompiledLicensePolicy[];
  readonly learned: LearnedBounds;
  /** The numeric constraints that are set, with their limits (resolved once per check). */
  readonly limits: ReadonlyArray<{
    readonly constraint: NumericConstraint;
    readonly limit: number;
    readonly isMaximum: boolean;
  }>;
}

/** The candidate's value that a numeric constraint limits. */
function limitedValue(
  constraint: NumericConstraint,
  candidate: ModelCandidate,
  index: number,
  learned: LearnedBounds,
): number | undefined {
  switch (constraint) {
    case 'maxSizeBytes':
      return candidate.sizeBytes;
    case 'maxMemoryBytes':
      return candidate.memoryBytes;
    case 'minParameters':
    case 'maxParameters':
      return candidate.parameters;
    case 'minContextLength':
      return candidate.contextLength;
    case 'maxLatencyMs':
      return learned.latencyLowerMs(index) ?? candidate.metrics?.latencyMs;
    case 'maxCostUsd':
      return learned.costLowerUsd(index) ?? candidate.pricing?.perRequestUsd ?? candidate.metrics?.costUsd;
  }
}

/** The first constraint `candidate` fails, or `undefined` when it passes. Builds no strings. */
function firstViolation(candidate: ModelCandidate, index: number, context: CheckContext): string | undefined {
  const { constraints, licenses, learned, limits } = context;
  const { task, modality, capabilities } = constraints;
  if (task !== undefined && candidate.tasks !== undefined && !candidate.tasks.includes(task)) return 'task';
  if (modality !== undefined) {
    const modalities = candidate.modalities ?? candidate.tasks?.map(modalityOf);
    if (modalities !== undefined && !modalities.includes(modality)) return 'modality';
  }
  if (capabilities !== undefined && candidate.capabilities !== undefined) {
    for (const capability of capabilities)
      if (!candidate.capabilities.includes(capability)) return 'capabilities';
  }
  for (const license of licenses) {
    if (licenseVerdict(license, candidate.license, candidate.gated) !== undefined) return 'license';
  }
  for (const { constraint, limit, isMaximum } of limits) {
    const value = limitedValue(constraint, candidate, index, learned);
    if (value !== undefined && (isMaximum ? value > limit : value < limit)) return constraint;
  }
  return undefined;
}

/** Why `candidate` fails `constraint` (which it does), for people. */
function describeViolation(
  candidate: ModelCandidate,
  index: number,
  constraint: string,
  context: CheckContext,
): string {
  const { constraints, licenses, learned } = context;
  switch (constraint) {
    case 'task':
      return `needs ${constraints.task}, has ${candidate.tasks?.join(', ') || 'none'}`;
    case 'modality':
      return `needs ${constraints.modality}`;
    case 'capabilities':
      return `missing ${(constraints.capabilities ?? []).filter((capability) => !candidate.capabilities?.includes(capability)).join(', ')}`;
    case 'license':
      for (const license of licenses) {
        const reason = compiledLicenseViolation(license, candidate.license, candidate.gated);
        if (reason !== undefined) return reason;
      }
      return '';
    default: {
      const numeric = constraint as NumericConstraint;
      const value = limitedValue(numeric, candidate, index, learned);
      return `${value} ${isMaximum(numeric) ? '>' : '<'} ${constraints[numeric]}`;
    }
  }
}

/** What {@link applyConstraints} found. @internal */
export interface ConstraintCheck {
  /** Indices of the candidates that pass every constraint. */
  readonly feasible: number[];
  /** Which constraint removed which candidates, with details: built when first asked for. */
  rejections(): ConstraintRejection[];
}

/**
 * Splits candidates into feasible ones (their indices) and rejections grouped by the first
 * constraint each fails. Constraints act on what is known: a candidate that does not declare a
 * field passes constraints on it — except the license policy, whose `allowUnknown` decides.
 * @internal
 */
export function applyConstraints(
  candidates: readonly ModelCandidate[],
  constraints: MergedConstraints,
  learned: LearnedBounds,
): ConstraintCheck {
  const feasible: number[] = [];
  if (constraints === NO_CONSTRAINTS) {
    for (let index = 0; index < candidates.length; index++) feasible.push(index);
    return { feasible, rejections: () => [] };
  }
  const context: CheckContext = {
    constraints,
    licenses: constraints.licensePolicies.map(compileLicensePolicy),
    learned,
    limits: NUMERIC_CONSTRAINTS.flatMap((constraint) => {
      const limit = constraints[constraint];
      return limit === undefined ? [] : [{ constraint, limit, isMaximum: isMaximum(constraint) }];
    }),
  };
  const rejected: Array<{ index: number; constraint: string }> = [];
  for (let index = 0; index < candidates.length; index++) {
    const constraint = firstViolation(candidates[index]!, index, context);
    if (constraint === undefined) feasible.push(index);
    else rejected.push({ index, constraint });
  }
  let rejections: ConstraintRejection[] | undefined;
  return {
    feasible,
    rejections() {
      if (rejections !== undefined) return rejections;
      const grouped = new Map<string, { candidates: string[]; details: string[] }>();
      for (const { index, constraint } of rejected) {
        const candidate = candidates[index]!;
        let group = grouped.get(constraint);
        if (group === undefined) {
          group = { candidates: [], details: [] };
          grouped.set(constraint, group);
        }
        group.candidates.push(candidate.id);
        group.details.push(`${candidate.id}: ${describeViolation(candidate, index, constraint, context)}`);
      }
      rejections = [...grouped].map(([constraint, group]) => ({
        constraint,
        candidates: group.candidates,
        detail: group.details.join('; '),
      }));
      return rejections;
    },
  };
}
