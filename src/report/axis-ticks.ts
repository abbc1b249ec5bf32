import { InvalidArgumentError } from '../errors/invalid-argument-error.js';

const SQRT_50 = Math.sqrt(50);
const SQRT_10 = Math.sqrt(10);
const SQRT_2 = Math.sqrt(2);

/** `value` rounded to 12 significant digits: removes the noise of `0.1 * 3`. */
function clean(value: number): number {
  return value === 0 ? 0 : Number.parseFloat(value.toPrecision(12));
}

function assertRange(minimum: number, maximum: number): void {
  if (!Number.isFinite(minimum) || !Number.isFinite(maximum)) {
    throw new InvalidArgumentError({
      argument: 'minimum, maximum',
      value: [minimum, maximum],
      message: 'must be finite numbers',
    });
  }
}

/**
 * The step between linear ticks for about `count` ticks over `span`: 1, 2 or 5 × a power of ten
 * (the one whose tick count is closest to `count`).
 */
export function tickStep(span: number, count: number): number {
  if (!(span > 0) || !Number.isFinite(span)) {
    throw new InvalidArgumentError({ argument: 'span', value: span, message: 'must be a finite number > 0' });
  }
  const raw = span / Math.max(1, count);
  const power = Math.floor(Math.log10(raw));
  const error = raw / 10 ** power;
  const factor = error >= SQRT_50 ? 10 : error >= SQRT_10 ? 5 : error >= SQRT_2 ? 2 : 1;
  return clean(factor * 10 ** power);
}

/**
 * About `count` evenly spaced "nice" values (multiples of 1, 2 or 5 × a power of ten) between
 * `minimum` and `maximum` inclusive, ascending. The bounds may come in either order; equal bounds
 * give that one value.
 *
 * @throws InvalidArgumentError when a bound is not finite.
 */
export function linearTicks(minimum: number, maximum: number, count = 5): number[] {
  assertRange(minimum, maximum);
  if (minimum > maximum) [minimum, maximum] = [maximum, minimum];
  if (minimum === maximum) return [clean(minimum)];
  const step = tickStep(maximum - minimum, count);
  const first = Math.ceil(minimum / step - 1e-9);
  const last = Math.floor(maximum / step + 1e-9);
  const ticks: number[] = [];
  for (let index = first; index <= last; index++) ticks.push(clean(index * step));
  return ticks;
}

/** Bounds closer than this fraction of their magnitude count as equal: no tick fits between them. */
const EQUAL_BOUNDS = 1e-9;

/**
 * `[minimum, maximum]` widened to multiples of the tick step for about `count` ticks, so that the
 * axis starts and ends on a tick. Equal bounds — or bounds that differ by floating-point noise,
 * less than a billionth of their magnitude (`0.9` and `0.8999999999999999`) — are first widened
 * by 10 % of their magnitude (or by 1 around 0).
 *
 * @throws InvalidArgumentError when a bound is not finite.
 */
export function niceLinearDomain(minimum: number, maximum: number, count = 5): [number, number] {
  assertRange(minimum, maximum);
  if (minimum > maximum) [minimum, maximum] = [maximum, minimum];
  if (maximum - minimum <= Math.max(Math.abs(minimum), Math.abs(maximum)) * EQUAL_BOUNDS) {
    const center = minimum / 2 + maximum / 2;
    const pad = center === 0 ? 1 : Math.abs(center) * 0.1;
    minimum = center - pad;
    maximum = center + pad;
  }
  let step = tickStep(maximum - minimum, count);
  // Widening can change the step once (d3's approach); a second pass settles it.
  for (let pass = 0; pass < 2; pass++) {
    minimum = clean(Math.floor(minimum / step + 1e-9) * step);
    maximum = clean(Math.ceil(maximum / step - 1e-9) * step);
    step = tickStep(maximum - minimum, count);
  }
  return [minimum, maximum];
}

/** Throws unless both bounds are finite and > 0. */
function assertPositiveRange(minimum: number, maximum: number): void {
  assertRange(minimum, maximum);
  if (minimum <= 0 || maximum <= 0) {
    throw new InvalidArgumentError({
      argument: 'minimum, maximum',
      value: [minimum, maximum],
      message: 'must be > 0 on a log scale',
    });
  }
}

/**
 * `[minimum, maximum]` widened to whole powers of ten (`[0.15, 40]` → `[0.1, 100]`); equal bounds
 * give the decade holding them.
 *
 * @throws InvalidArgumentError when a bound is not finite or ≤ 0.
 */
export function niceLogDomain(minimum: number, maximum: number): [number, number] {
  assertPositiveRange(minimum, maximum);
  if (minimum > maximum) [minimum, maximum] = [maximum, minimum];
  const low = Math.floor(Math.log10(minimum) + 1e-9);
  let high = Math.ceil(Math.log10(maximum) - 1e-9);
  if (high <= low) high = low + 1;
  return [clean(10 ** low), clean(10 ** high)];
}

/**
 * Ticks of a log axis between `minimum` and `maximum` inclusive, ascending: the powers of ten;
 * also 2× and 5× them when the range spans at most two decades; every 1…9 × a power of ten when
 * that still gives fewer than two ticks; and only every k-th power of ten when the range spans
 * more than `maximumDecades` decades. Falls back to {@link linearTicks} for a range too narrow
 * for two such ticks.
 *
 * @throws InvalidArgumentError when a bound is not finite or ≤ 0.
 */
export function logTicks(minimum: number, maximum: number, maximumDecades = 8): number[] {
  assertPositiveRange(minimum, maximum);
  if (minimum > maximum) [minimum, maximum] = [maximum, minimum];
  if (minimum === maximum) return [clean(minimum)];
  const low = Math.floor(Math.log10(minimum) + 1e-9);
  const high = Math.ceil(Math.log10(maximum) - 1e-9);
  const decades = high - low;
  const within = (value: number) => value >= minimum * (1 - 1e-9) && value <= maximum * (1 + 1e-9);
  const collect = (multipliers: readonly number[], every: number): number[] => {
    const ticks: number[] = [];
    for (let power = low; power <= high; power += every) {
      for (const multiplier of multipliers) {
        const value = clean(multiplier * 10 ** power);
        if (within(value)) ticks.push(value);
      }
    }
    return ticks;
  };
  const every = Math.max(1, Math.ceil(decades / Math.max(1, maximumDecades)));
  let ticks = collect(decades <= 2 ? [1, 2, 5] : [1], every);
  if (ticks.length < 2) ticks = collect([1, 2, 3, 4, 5, 6, 7, 8, 9], 1);
  return ticks.length < 2 ? linearTicks(minimum, maximum, 4) : ticks;
}
