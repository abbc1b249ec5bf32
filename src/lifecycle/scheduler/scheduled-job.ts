/** A job a scheduler runs every `intervalMs`, give or take its jitter. */
export interface ScheduledJob {
  /** Unique within the scheduler; names the job in events and in `runNow`. */
  readonly name: string;
  /** Milliseconds between the starts of two runs, before jitter (> 0). */
  readonly intervalMs: number;
  /**
   * How much each interval varies, as a fraction of `intervalMs` in [0, 1): each delay is drawn
   * uniformly from `intervalMs × (1 ± jitter)` with the scheduler's random source, so that
   * processes started together do not hit a server together.
   * @default 0.1
   */
  readonly jitter?: number;
  /** Whether the job runs when the scheduler starts (else first after one interval). @default true */
  readonly runOnStart?: boolean;
  /**
   * The job's work. `signal` aborts when the scheduler stops: stop promptly. A run that throws
   * or rejects is reported (`job_failed`) and the job keeps its schedule.
   */
  run(signal: AbortSignal): Promise<void> | void;
}

/** Defaults of {@link ScheduledJob}. */
export const SCHEDULER_DEFAULTS = Object.freeze({
  jitter: 0.1,
  runOnStart: true,
});
