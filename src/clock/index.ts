export { type Clock, systemClock } from './clock.js';
export { type ManualClock, manualClock } from './manual-clock.js';
export { isTimerClock, type TimerClock, type TimerHandle } from './timer-clock.js';
