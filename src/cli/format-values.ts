/** Formatting of numbers, sizes, durations and dates for human output. `—` stands for "not known". */

/** The placeholder for a value that is not known. */
export const UNKNOWN = '—';

const isKnown = (value: number | undefined): value is number => value !== undefined && Number.isFinite(value);

/** A byte count in decimal units with three significant digits: `'1.15 MB'`, `'62.2 kB'`, `'512 B'`. */
export function formatBytes(bytes: number | undefined): string {
  if (!isKnown(bytes)) return UNKNOWN;
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 999.5 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  const sign = bytes < 0 ? '-' : '';
  if (unit === 0) return `${sign}${Math.round(value)} B`;
  return `${sign}${Number(value.toPrecision(3))} ${units[unit]}`;
}

/** A count, compact: `'950'`, `'12.3k'`, `'4.1M'`. */
export function formatCount(count: number | undefined): string {
  if (!isKnown(count)) return UNKNOWN;
  if (Math.abs(count) < 1000) return String(Math.round(count));
  const units = ['k', 'M', 'B', 'T'];
  let value = count / 1000;
  let unit = 0;
  while (Math.abs(value) >= 999.95 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${Number(value.toFixed(value >= 100 ? 0 : 1))}${units[unit]}`;
}

/** An integer with thousands separators: `'61,046'`. */
export function formatInteger(value: number | undefined): string {
  return isKnown(value) ? Math.round(value).toLocaleString('en-US') : UNKNOWN;
}

/** A number with three significant digits (no exponent below a million): `'0.903'`, `'12.3'`, `'1234'`. */
export function formatNumber(value: number | undefined, digits = 3): string {
  if (!isKnown(value)) return UNKNOWN;
  if (value === 0) return '0';
  if (Math.abs(value) >= 10 ** digits) return String(Math.round(value));
  return String(Number(value.toPrecision(digits)));
}

/** A fraction in [0, 1] with three decimals: `'0.903'`. */
export function formatFraction(value: number | undefined): string {
  return isKnown(value) ? value.toFixed(3) : UNKNOWN;
}

/** A latency in milliseconds: `'0.42 ms'`, `'12.3 ms'`, `'1234 ms'`. */
export function formatMilliseconds(milliseconds: number | undefined): string {
  return isKnown(milliseconds) ? `${formatNumber(milliseconds)} ms` : UNKNOWN;
}

/** A duration for people: `'850 ms'`, `'4.2 s'`, `'2m 05s'`, `'1h 02m'`. */
export function formatDuration(milliseconds: number | undefined): string {
  if (!isKnown(milliseconds)) return UNKNOWN;
  const value = Math.max(0, milliseconds);
  if (value < 1000) return `${Math.round(value)} ms`;
  if (value < 10_000) return `${(value / 1000).toFixed(1)} s`;
  const seconds = Math.round(value / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}

/** A time as `'2026-11-23 13:18'` (UTC), from milliseconds since the epoch or an ISO 8601 string. */
export function formatTime(time: number | string | undefined): string {
  if (time === undefined) return UNKNOWN;
  const date = new Date(time);
  if (Number.isNaN(date.getTime())) return UNKNOWN;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')}`;
}

/** A value with its interval: `'0.903 [0.874, 0.926]'`. */
export function formatInterval(
  value: number | undefined,
  lower: number | undefined,
  upper: number | undefined,
) {
  if (!isKnown(value)) return UNKNOWN;
  if (!isKnown(lower) || !isKnown(upper)) return formatFraction(value);
  return `${formatFraction(value)} [${formatFraction(lower)}, ${formatFraction(upper)}]`;
}
