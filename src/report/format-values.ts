/** What the report shows for a value that is missing or not finite. @internal */
export const MISSING = '—';

function isFiniteNumber(value: number | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** An integer with thin-space-free comma grouping, independent of the locale: `12,345`. @internal */
export function formatInteger(value: number | undefined): string {
  if (!isFiniteNumber(value)) return MISSING;
  const sign = value < 0 ? '-' : '';
  return sign + String(Math.round(Math.abs(value))).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A quality value: 3 decimals below 10 in magnitude, else 4 significant digits. @internal */
export function formatQuality(value: number | undefined): string {
  if (!isFiniteNumber(value)) return MISSING;
  return Math.abs(value) < 10 ? value.toFixed(3) : value.toPrecision(4);
}

/** `value [lower, upper]`, or only the value when the interval is missing. @internal */
export function formatQualityInterval(
  value: number,
  lower: number | undefined,
  upper: number | undefined,
): string {
  const head = formatQuality(value);
  if (!isFiniteNumber(lower) || !isFiniteNumber(upper)) return head;
  return `${head} [${formatQuality(lower)}, ${formatQuality(upper)}]`;
}

/** Milliseconds with a unit: `0.17 ms`, `12.4 ms`, `315 ms`, `1.43 s`, `2.5 min`. @internal */
export function formatMilliseconds(value: number | undefined): string {
  if (!isFiniteNumber(value)) return MISSING;
  const magnitude = Math.abs(value);
  if (magnitude >= 60_000) return `${(value / 60_000).toFixed(1)} min`;
  if (magnitude >= 1000) return `${(value / 1000).toFixed(2)} s`;
  if (magnitude >= 100) return `${value.toFixed(0)} ms`;
  if (magnitude >= 10) return `${value.toFixed(1)} ms`;
  return `${value.toFixed(2)} ms`;
}

/** Bytes in binary units: `512 B`, `22.0 MiB`, `1.4 GiB`. @internal */
export function formatBytes(value: number | undefined): string {
  if (!isFiniteNumber(value)) return MISSING;
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let scaled = value;
  let unit = 0;
  while (Math.abs(scaled) >= 1024 && unit < units.length - 1) {
    scaled /= 1024;
    unit++;
  }
  return unit === 0 ? `${Math.round(scaled)} B` : `${scaled.toFixed(1)} ${units[unit]}`;
}

/** Items per second: `2,431/s`, `37.5/s`. @internal */
export function formatThroughput(value: number | undefined): string {
  if (!isFiniteNumber(value)) return MISSING;
  return Math.abs(value) >= 100 ? `${formatInteger(value)}/s` : `${value.toFixed(1)}/s`;
}

/**
 * A tick label: as many decimals as the spacing of `ticks` needs (`0.90`, `0.95`; `0`, `50`),
 * with comma grouping from 10,000 on. @internal
 */
export function formatTicks(ticks: readonly number[]): string[] {
  let decimals = 0;
  for (const tick of ticks) {
    const text = Math.abs(tick) >= 1e-12 ? tick.toPrecision(12).replace(/0+$/, '') : '0';
    const point = text.indexOf('.');
    if (point >= 0 && !text.includes('e')) decimals = Math.max(decimals, text.length - point - 1);
  }
  decimals = Math.min(decimals, 6);
  return ticks.map((tick) =>
    Math.abs(tick) >= 10_000 && decimals === 0 ? formatInteger(tick) : tick.toFixed(decimals),
  );
}

/** A date in UTC to the second: `2026-11-23 17:49:26 UTC`. @internal */
export function formatDate(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
