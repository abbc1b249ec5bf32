/** How many half-lives one epoch spans: weights within an epoch stay below 2^64. */
const HALF_LIVES_PER_EPOCH = 64;

/** Decay factors for reading statistics at one moment. @internal */
export interface DecayFactors {
  /** The epoch the moment falls in. */
  readonly epoch: number;
  /** Multiplier of statistics recorded in `epoch`. */
  readonly current: number;
  /** Multiplier of statistics recorded in `epoch − 1`. */
  readonly previous: number;
}

/**
 * The multiplier of statistics recorded in `epoch` when reading with `factors`. An epoch after
 * the reader's comes from a process whose clock runs ahead: its observations count with the
 * weight their time gives them (slightly above 1), not as nothing.
 * @internal
 */
export function epochFactor(factors: DecayFactors, epoch: number): number {
  const shift = epoch - factors.epoch;
  if (shift === 0) return factors.current;
  if (shift === -1) return factors.previous;
  if (shift < -1) return 0;
  return factors.current * 2 ** (HALF_LIVES_PER_EPOCH * shift);
}

const NO_DECAY: DecayFactors = Object.freeze({ epoch: 0, current: 1, previous: 0 });

/**
 * Exponential forgetting that keeps statistics additive. An observation at time t in epoch e
 * (which starts at E) is stored with weight 2^((t − E)/halfLife); reading at time `now` multiplies
 * the epoch's sums by 2^(−(now − E)/halfLife), which gives every observation its weight
 * 2^(−(now − t)/halfLife). Processes that share a store therefore merge by plain increments. Each
 * epoch spans 64 half-lives; only the current and the previous epoch are read (older observations
 * weigh less than 2^−64). Without a half-life every weight is 1 and there is one epoch, 0.
 * @internal
 */
export class Decay {
  private readonly epochLength: number;

  constructor(readonly halfLifeMs: number | undefined) {
    this.epochLength =
      halfLifeMs === undefined ? Number.POSITIVE_INFINITY : halfLifeMs * HALF_LIVES_PER_EPOCH;
  }

  /** The epoch of `time`. */
  epochOf(time: number): number {
    return this.halfLifeMs === undefined ? 0 : Math.floor(time / this.epochLength);
  }

  /** The stored weight of an observation made at `time`. */
  weightAt(time: number): number {
    if (this.halfLifeMs === undefined) return 1;
    const epochStart = this.epochOf(time) * this.epochLength;
    return 2 ** ((time - epochStart) / this.halfLifeMs);
  }

  /** Factors that turn stored sums into decayed sums at `now`. */
  factorsAt(now: number): DecayFactors {
    if (this.halfLifeMs === undefined) return NO_DECAY;
    const epoch = this.epochOf(now);
    const epochStart = epoch * this.epochLength;
    const current = 2 ** (-(now - epochStart) / this.halfLifeMs);
    return { epoch, current, previous: current * 2 ** -HALF_LIVES_PER_EPOCH };
  }
}
