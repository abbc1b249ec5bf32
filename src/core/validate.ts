import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type { LicensePolicy } from './license-policy.js';

/** Range rules for {@link assertNumber}. @internal */
export interface NumberRule {
  readonly minimum?: number;
  readonly maximum?: number;
  /** Whether the minimum itself is excluded. */
  readonly exclusiveMinimum?: boolean;
  readonly integer?: boolean;
}

/** Throws an `InvalidArgumentError` unless `value` is a finite number within `rule`. @internal */
export function assertNumber(
  argument: string,
  value: unknown,
  rule: NumberRule = {},
): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidArgumentError({ argument, value, message: 'must be a finite number' });
  }
  if (rule.integer && !Number.isInteger(value)) {
    throw new InvalidArgumentError({ argument, value, message: 'must be an integer' });
  }
  const { minimum, maximum } = rule;
  if (minimum !== undefined && (rule.exclusiveMinimum ? value <= minimum : value < minimum)) {
    throw new InvalidArgumentError({
      argument,
      value,
      message: `must be ${rule.exclusiveMinimum ? '>' : '≥'} ${minimum}`,
    });
  }
  if (maximum !== undefined && value > maximum) {
    throw new InvalidArgumentError({ argument, value, message: `must be ≤ ${maximum}` });
  }
}

/** Throws an `InvalidArgumentError` when `options` has keys other than `known`. @internal */
export function assertKnownKeys(argument: string, options: object, known: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new InvalidArgumentError({
        argument: `${argument}.${key}`,
        value: (options as Record<string, unknown>)[key],
        message: `unknown option; expected one of ${known.join(', ')}`,
      });
    }
  }
}

/** Throws unless `arms` is a non-empty array of distinct non-empty strings. @internal */
export function assertArmIds(arms: unknown, argument = 'arms'): asserts arms is readonly string[] {
  if (!Array.isArray(arms) || arms.length === 0) {
    throw new InvalidArgumentError({ argument, value: arms, message: 'must be a non-empty array of ids' });
  }
  // Small lists (the common case, on the hot path) are checked pairwise, without allocating.
  const seen = arms.length > 24 ? new Set<string>() : undefined;
  for (let index = 0; index < arms.length; index++) {
    const arm: unknown = arms[index];
    if (typeof arm !== 'string' || arm.length === 0) {
      throw new InvalidArgumentError({ argument, value: arm, message: 'ids must be non-empty strings' });
    }
    let duplicate = false;
    if (seen === undefined) {
      for (let earlier = 0; earlier < index && !duplicate; earlier++) duplicate = arms[earlier] === arm;
    } else {
      duplicate = seen.has(arm);
      seen.add(arm);
    }
    if (duplicate) throw new InvalidArgumentError({ argument, value: arm, message: `duplicate id '${arm}'` });
  }
}

/** Throws unless `value` is `undefined` or an array of strings. @internal */
export function assertStrings(
  argument: string,
  value: unknown,
): asserts value is readonly string[] | undefined {
  if (value === undefined) return;
  if (!Array.isArray(value) || value.some((entry) => typeof entry !== 'string')) {
    throw new InvalidArgumentError({ argument, value, message: 'must be an array of strings' });
  }
}

const LICENSE_POLICY_KEYS: readonly (keyof LicensePolicy)[] = ['allow', 'deny', 'allowUnknown', 'allowGated'];

/**
 * Throws an `InvalidArgumentError` (naming `argument`, e.g. `'query.license'`) unless `policy`
 * has the shape of a {@link LicensePolicy}: an object with only its keys, string arrays and booleans.
 * @internal
 */
export function assertLicensePolicyShape(argument: string, policy: unknown): asserts policy is LicensePolicy {
  if (policy === null || typeof policy !== 'object' || Array.isArray(policy)) {
    throw new InvalidArgumentError({ argument, value: policy, message: 'must be an object' });
  }
  assertKnownKeys(argument, policy, LICENSE_POLICY_KEYS);
  const { allow, deny, allowUnknown, allowGated } = policy as LicensePolicy;
  assertStrings(`${argument}.allow`, allow);
  assertStrings(`${argument}.deny`, deny);
  for (const [name, value] of [
    ['allowUnknown', allowUnknown],
    ['allowGated', allowGated],
  ] as const) {
    if (value !== undefined && typeof value !== 'boolean') {
      throw new InvalidArgumentError({
        argument: `${argument}.${name}`,
        value,
        message: 'must be a boolean',
      });
    }
  }
}

/**
 * Checks a store namespace: a non-empty string without `':'` (the separator of store keys).
 * @throws {InvalidArgumentError} otherwise.
 */
export function assertNamespace(namespace: unknown, argument: string): asserts namespace is string {
  if (typeof namespace !== 'string' || namespace.length === 0 || namespace.includes(':')) {
    throw new InvalidArgumentError({
      argument,
      value: namespace,
      message: "must be a non-empty string without ':'",
    });
  }
}
