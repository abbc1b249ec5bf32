/**
 * The longest delay a Node timer holds (2^31 − 1 ms, about 24.8 days); a longer one fires after
 * 1 ms. Longer timeouts are treated as no timeout.
 * @internal
 */
export const LONGEST_TIMER_MS = 2 ** 31 - 1;
