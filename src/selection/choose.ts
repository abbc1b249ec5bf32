import type { BanditStrategy, LinearStrategyArm } from '../bandit/spec.js';
import type { RandomSource } from '../random/random-source.js';
import type { ParsedContext } from './context.js';
import { type LearningState, metricOffset, SCALAR_FIELDS_PER_ARM } from './learning-state.js';

const REWARD_OFFSET = metricOffset('reward');

/** Scalar statistics already read (as `LearningState.scalarStatistics` packs them). @internal */
export interface PackedStatistics {
  readonly values: readonly number[];
  /** Where arm i's statistics are in `values` (in units of arms); arm i is at i when omitted. */
  readonly positions?: ArrayLike<number>;
}

/**
 * Lets the strategy choose among `arms` for `context`. `offsets[i]` (reward units) is added to
 * arm i's index; omit it when only the reward matters. Returns the chosen index.
 * @internal
 */
export function chooseArm(
  state: LearningState,
  strategy: BanditStrategy,
  random: RandomSource,
  arms: readonly string[],
  context: ParsedContext,
  offsets?: ArrayLike<number>,
  packed?: PackedStatistics,
): number {
  if (strategy.kind === 'linear') {
    const statistics = state.linearStatistics(arms, context);
    let totalCount = 0;
    const strategyArms: LinearStrategyArm[] = statistics.map((armStatistics, index) => {
      totalCount += armStatistics.count;
      return { id: arms[index]!, statistics: armStatistics, utilityOffset: offsets?.[index] ?? 0 };
    });
    return strategy.choose(strategyArms, { random, totalCount, features: context.features });
  }
  const values = packed?.values ?? state.scalarStatistics(arms, context).values;
  const positions = packed?.positions;
  let totalCount = 0;
  const strategyArms = scalarArmsOfLength(arms.length);
  for (let index = 0; index < arms.length; index++) {
    const arm = strategyArms[index]!;
    const offset =
      (positions === undefined ? index : positions[index]!) * SCALAR_FIELDS_PER_ARM + REWARD_OFFSET;
    arm.id = arms[index]!;
    arm.statistics.count = values[offset]!;
    arm.statistics.sum = values[offset + 1]!;
    arm.statistics.sumOfSquares = values[offset + 2]!;
    arm.utilityOffset = offsets?.[index] ?? 0;
    totalCount += arm.statistics.count;
  }
  return strategy.choose(strategyArms, { random, totalCount });
}

interface MutableScalarArm {
  id: string;
  statistics: { count: number; sum: number; sumOfSquares: number };
  utilityOffset: number;
}

/**
 * Arm objects reused between calls (choosing is synchronous, and the spec says strategies may
 * not keep arms after `choose` returns), indexed by list length.
 */
const scalarArmPool: MutableScalarArm[][] = [];

function scalarArmsOfLength(length: number): MutableScalarArm[] {
  let arms = scalarArmPool[length];
  if (arms === undefined) {
    arms = Array.from({ length }, () => ({
      id: '',
      statistics: { count: 0, sum: 0, sumOfSquares: 0 },
      utilityOffset: 0,
    }));
    scalarArmPool[length] = arms;
  }
  return arms;
}
