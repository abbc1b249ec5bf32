export { SCHEDULER_DEFAULTS, type ScheduledJob } from './scheduled-job.js';
export { createScheduler, type JobStatus, type Scheduler, type SchedulerOptions } from './scheduler.js';
export type {
  JobFailedEvent,
  JobFinishedEvent,
  JobSkippedEvent,
  JobStartedEvent,
  JobTrigger,
  SchedulerEvents,
} from './scheduler-events.js';
export { UPKEEP_DEFAULTS, type UpkeepOptions } from './upkeep-defaults.js';
