import { InvalidArgumentError } from '../errors/invalid-argument-error.js';

/** A point in time: milliseconds of the scout's clock (since the Unix epoch), or a `Date`. */
export type TimeInput = number | Date;

/** A unit of a {@link DurationText}: milliseconds, seconds, minutes, hours, days, weeks. */
export type DurationUnit = 'ms' | 's' | 'm' | 'h' | 'd' | 'w';

/** A duration such as `'7d'`, `'24h'`, `'30m'`, `'1.5h'` or `'500ms'`. */
export type DurationText = `${number}${DurationUnit}`;

/** The start of a window: a time, or a duration before now (`'7d'`: the last 7 days). */
export type SinceInput = TimeInput | DurationText;

/** A window of time; the queries of `scout.history` take one. */
export interface TimeWindow {
  /**
   * Its start: a clock time in milliseconds, a `Date`, or a duration before now such as `'7d'`,
   * `'24h'` or `'30m'`. @default HISTORY_DEFAULTS.windowMs before `until` (the last 7 days)
   */
  readonly since?: SinceInput;
  /** Its end (included): a clock time in milliseconds or a `Date`. @default now */
  readonly until?: TimeInput;
}

/** A window with both ends resolved to clock milliseconds. @internal */
export interface ResolvedWindow {
  readonly since: number;
  readonly until: number;
}

const UNIT_MILLISECONDS: Readonly<Record<DurationUnit, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/;

/**
 * Milliseconds of a duration such as `'7d'`, `'24h'`, `'30m'`, `'1.5h'` or `'500ms'`.
 * @throws {InvalidArgumentError} for anything else (negative, empty, unknown unit, spaces, too
 * many digits for a finite number).
 * @internal
 */
export function parseDuration(text: unknown, argument: string): number {
  const match = typeof text === 'string' ? DURATION.exec(text) : null;
  const milliseconds =
    match === null ? Number.NaN : Number(match[1]) * UNIT_MILLISECONDS[match[2] as DurationUnit];
  if (!Number.isFinite(milliseconds)) {
    throw new InvalidArgumentError({
      argument,
      value: text,
      message: "must be a duration such as '30m', '24h' or '7d' (units ms, s, m, h, d, w)",
    });
  }
  return milliseconds;
}

/** Clock milliseconds of a time (a finite number ≥ 0 or a valid `Date`). @internal */
export function timeOf(value: unknown, argument: string): number {
  if (value instanceof Date) {
    const time = value.getTime();
    if (Number.isFinite(time)) return time;
  } else if (typeof value === 'number' && Number.isFinite(value) && value >= 0) {
    return value;
  }
  throw new InvalidArgumentError({
    argument,
    value,
    message: 'must be clock milliseconds (a finite number ≥ 0) or a valid Date',
  });
}

/** Clock milliseconds of a window start: a time, or now minus a duration. @internal */
export function sinceOf(value: unknown, now: number, argument: string): number {
  return typeof value === 'string' ? now - parseDuration(value, argument) : timeOf(value, argument);
}

/**
 * Resolves `window` (`until` defaults to `now`, `since` to `defaultMs` before `until`).
 * @throws {InvalidArgumentError} for malformed ends, or `since` after `until`.
 * @internal
 */
export function resolveWindow(
  window: TimeWindow,
  now: number,
  defaultMs: number,
  argument: string,
): ResolvedWindow {
  const until = window.until === undefined ? now : timeOf(window.until, `${argument}.until`);
  const since =
    window.since === undefined ? until - defaultMs : sinceOf(window.since, now, `${argument}.since`);
  if (since > until) {
    throw new InvalidArgumentError({
      argument: `${argument}.since`,
      value: window.since,
      message: `must not be after until (${new Date(until).toISOString()})`,
    });
  }
  return { since, until };
}
