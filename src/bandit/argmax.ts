import type { RandomSource } from '../random/random-source.js';
import { sampleIndex } from '../random/sampling.js';

/**
 * Scores one arm. `parameter` is whatever the strategy computes once per decision (such as ln t,
 * or the request's features), passed through so that scoring needs no closure per call. @internal
 */
export type ArmScore<Arm, Parameter> = (arm: Arm, parameter: Parameter, random: RandomSource) => number;

/**
 * The index of the arm with the largest `score(arm) + arm.utilityOffset`, ties broken uniformly at
 * random (reservoir sampling: a random draw is spent only when a tie occurs). Arms whose value is
 * NaN are never chosen; when every value is NaN the choice is uniform. `arms` must be non-empty.
 * @internal
 */
export function argmaxWithRandomTies<Arm extends { readonly utilityOffset: number }, Parameter>(
  arms: readonly Arm[],
  score: ArmScore<Arm, Parameter>,
  parameter: Parameter,
  random: RandomSource,
): number {
  let best = Number.NEGATIVE_INFINITY;
  let chosen = -1;
  let ties = 0;
  for (let index = 0; index < arms.length; index++) {
    const arm = arms[index]!;
    const value = score(arm, parameter, random) + arm.utilityOffset;
    if (value > best) {
      best = value;
      chosen = index;
      ties = 1;
    } else if (value === best) {
      ties++;
      if (random.next() * ties < 1) chosen = index;
    }
  }
  return chosen >= 0 ? chosen : sampleIndex(random, arms.length);
}
