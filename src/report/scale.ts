import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { linearTicks, logTicks } from './axis-ticks.js';

/** Maps data values to pixel positions along one axis. */
export interface Scale {
  /** `'linear'`, or `'log'` (base 10). */
  readonly kind: 'linear' | 'log';
  /** The data values at the two ends, `[start, end]`. */
  readonly domain: readonly [number, number];
  /** The pixel positions of the two ends, `[start, end]` (`end` < `start` for a y axis pointing up). */
  readonly range: readonly [number, number];
  /**
   * The pixel position of `value`; values outside the domain map outside the range (not clamped).
   * A degenerate domain maps everything to the middle of the range; a log scale maps values ≤ 0 to `NaN`.
   */
  map(value: number): number;
  /** Tick values within the domain: {@link linearTicks} (about `count` of them) or {@link logTicks}. */
  ticks(count?: number): number[];
}

function assertPair(argument: string, pair: readonly [number, number]): void {
  if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((value) => Number.isFinite(value))) {
    throw new InvalidArgumentError({ argument, value: pair, message: 'must be two finite numbers' });
  }
}

/**
 * A linear scale from `domain` to `range`.
 *
 * @throws InvalidArgumentError when `domain` or `range` is not two finite numbers.
 */
export function linearScale(domain: readonly [number, number], range: readonly [number, number]): Scale {
  assertPair('domain', domain);
  assertPair('range', range);
  const [start, end] = domain;
  const [from, to] = range;
  const span = end - start;
  return Object.freeze({
    kind: 'linear' as const,
    domain: Object.freeze([start, end] as const),
    range: Object.freeze([from, to] as const),
    map: (value: number) => (span === 0 ? (from + to) / 2 : from + ((value - start) / span) * (to - from)),
    ticks: (count = 5) => linearTicks(start, end, count),
  });
}

/**
 * A base-10 logarithmic scale from `domain` (both ends > 0) to `range`.
 *
 * @throws InvalidArgumentError when `domain` or `range` is not two finite numbers, or a domain end is ≤ 0.
 */
export function logScale(domain: readonly [number, number], range: readonly [number, number]): Scale {
  assertPair('domain', domain);
  assertPair('range', range);
  const [start, end] = domain;
  if (start <= 0 || end <= 0) {
    throw new InvalidArgumentError({
      argument: 'domain',
      value: domain,
      message: 'must be > 0 on a log scale',
    });
  }
  const [from, to] = range;
  const logStart = Math.log10(start);
  const span = Math.log10(end) - logStart;
  return Object.freeze({
    kind: 'log' as const,
    domain: Object.freeze([start, end] as const),
    range: Object.freeze([from, to] as const),
    map: (value: number) => {
      if (!(value > 0)) return Number.NaN;
      return span === 0 ? (from + to) / 2 : from + ((Math.log10(value) - logStart) / span) * (to - from);
    },
    ticks: () => logTicks(start, end),
  });
}
