/**
 * `value` when it is a positive finite number, else 0: negative, infinite and NaN counts (from
 * damaged statistics) carry no usable information. @internal
 */
export function usableCount(value: number): number {
  if (value > 0 && value < Number.POSITIVE_INFINITY) return value;
  return 0;
}

/** `value` clamped into [low, high]; `fallback` when it is NaN. @internal */
export function clamp(value: number, low: number, high: number, fallback: number): number {
  if (value >= low) {
    if (value <= high) return value;
    return high;
  }
  if (value < low) return low;
  return fallback;
}
