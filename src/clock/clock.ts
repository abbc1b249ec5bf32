/**
 * A source of the current time in milliseconds since the Unix epoch. Everything in modelscout
 * that depends on time (decay, retention, schedules, circuit breakers) reads it from a `Clock`,
 * so tests can drive time by hand.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/** The real clock (`Date.now`). */
export const systemClock: Clock = { now: () => Date.now() };
