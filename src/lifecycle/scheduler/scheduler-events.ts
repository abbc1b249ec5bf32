/**
 * What started a run: `'start'` (the scheduler started, `runOnStart`), `'schedule'` (its
 * interval elapsed) or `'manual'` (`runNow`).
 */
export type JobTrigger = 'start' | 'schedule' | 'manual';

/** Emitted when a job's run starts. */
export interface JobStartedEvent {
  readonly name: string;
  readonly trigger: JobTrigger;
}

/** Emitted when a job's run ends without error. */
export interface JobFinishedEvent {
  readonly name: string;
  readonly trigger: JobTrigger;
  /** Milliseconds the run took, on the scheduler's clock. */
  readonly durationMs: number;
}

/** Emitted when a job's run throws or rejects. The job keeps its schedule. */
export interface JobFailedEvent {
  readonly name: string;
  readonly trigger: JobTrigger;
  readonly durationMs: number;
  readonly error: unknown;
  /** Whether the run had been aborted (the scheduler was stopping) when it failed. */
  readonly aborted: boolean;
}

/** Emitted when a run is due while the previous run of the same job is still going: it is skipped. */
export interface JobSkippedEvent {
  readonly name: string;
  readonly trigger: JobTrigger;
  readonly reason: 'still-running';
  /** Milliseconds the run still going has taken so far. */
  readonly runningForMs: number;
}

/** Events of a scheduler (`createScheduler`). */
export interface SchedulerEvents {
  job_started: [event: JobStartedEvent];
  job_finished: [event: JobFinishedEvent];
  job_failed: [event: JobFailedEvent];
  job_skipped: [event: JobSkippedEvent];
}
