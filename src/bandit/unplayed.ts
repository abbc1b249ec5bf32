/**
 * Counts at or below this are treated as "never played" (decayed statistics never reach exactly
 * 0). @internal
 */
export const UNPLAYED_COUNT = 1e-9;

/** Whether statistics with this `count` describe an arm that was (effectively) never played; true for NaN. @internal */
export function isUnplayed(count: number): boolean {
  return !(count > UNPLAYED_COUNT);
}
