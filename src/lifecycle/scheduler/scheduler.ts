import { EventEmitter } from 'eventemitter3';
import { systemClock } from '../../clock/clock.js';
import type { TimerClock, TimerHandle } from '../../clock/timer-clock.js';
import { assertKnownKeys, assertNumber } from '../../core/validate.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import type { RandomSource } from '../../random/random-source.js';
import { seededRandom } from '../../random/seeded-random.js';
import { SCHEDULER_DEFAULTS, type ScheduledJob } from './scheduled-job.js';
import type { JobTrigger, SchedulerEvents } from './scheduler-events.js';

/** Options of {@link createScheduler}. */
export interface SchedulerOptions {
  /** The jobs to run; more can be added with `add`. @default [] */
  readonly jobs?: readonly ScheduledJob[];
  /** Times the runs. Its timers must not keep the process alive (the system clock's never do). @default systemClock */
  readonly clock?: TimerClock;
  /** Draws the jitter of every interval; seed it for reproducible schedules. @default seededRandom() */
  readonly random?: RandomSource;
  /**
   * Where `job_started`, `job_finished`, `job_failed` and `job_skipped` go. What a listener
   * throws never breaks a schedule: see {@link Scheduler.events}.
   * @default a new emitter
   */
  readonly events?: EventEmitter<SchedulerEvents>;
}

/** Where one job of a scheduler stands. */
export interface JobStatus {
  readonly name: string;
  readonly intervalMs: number;
  /** Whether a run is going. */
  readonly running: boolean;
  /** When the next scheduled run is due, on the scheduler's clock; `undefined` while stopped. */
  readonly nextRunAt: number | undefined;
  /** When the last run started; `undefined` before the first. */
  readonly lastStartedAt: number | undefined;
  /** How the last finished run ended; `undefined` before the first ended. */
  readonly lastResult: 'finished' | 'failed' | undefined;
}

/**
 * Runs jobs periodically, with jitter, never two runs of the same job at once. Its timers never
 * keep the process alive, so a host exits normally without calling `stop`.
 */
export interface Scheduler {
  /**
   * Adds a job. When the scheduler is started, the job is scheduled at once (and runs at once
   * with `runOnStart`), as if it had been there at the start.
   * @throws {InvalidArgumentError} for an invalid job or a name already taken.
   */
  add(job: ScheduledJob): void;
  /**
   * Starts the schedules: jobs with `runOnStart` run now, every job then runs every (jittered)
   * interval. Does nothing when started. A run aborted by an earlier `stop` and still ending
   * does not make a run skip: the job's new run starts as soon as the aborted one has ended.
   */
  start(): void;
  /**
   * Stops the schedules, aborts the signals of the runs going (whatever started them) and
   * resolves when they have all ended. Runs that ignore their signal delay it. The scheduler can
   * be started again, even before this resolves.
   */
  stop(): Promise<void>;
  /**
   * Runs a job now, outside its schedule (which is kept), and resolves when the run ends; rejects
   * with the run's error when it fails. When a run of the job is already going, no other starts
   * (`job_skipped`) and this resolves or rejects with the run going; a run aborted by `stop` does
   * not count: the new run starts once it has ended. Works whether or not the scheduler is started.
   * @throws {InvalidArgumentError} for an unknown job name.
   */
  runNow(name: string): Promise<void>;
  /** Whether the scheduler is started. */
  readonly started: boolean;
  /** Where each job stands, in the order they were added. */
  jobs(): JobStatus[];
  /**
   * `job_started`, `job_finished`, `job_failed` (with durations) and `job_skipped`.
   *
   * A listener that throws never breaks the scheduler. When a `job_started` listener throws, that
   * run fails with its error before the job is called: it is reported by `job_failed`, `runNow`
   * rejects with it, and the job keeps its schedule. What `job_finished`, `job_failed` and
   * `job_skipped` listeners throw is ignored (the run's outcome is already decided).
   */
  readonly events: EventEmitter<SchedulerEvents>;
}

interface ResolvedJob {
  readonly name: string;
  readonly intervalMs: number;
  readonly jitter: number;
  readonly runOnStart: boolean;
  readonly run: (signal: AbortSignal) => Promise<void> | void;
}

interface Run {
  readonly controller: AbortController;
  /** When the job was called; until then (a run waiting for an aborted one to end), when it was asked for. */
  startedAt: number;
  /** Settles when the run ends; rejects with its error. */
  readonly promise: Promise<void>;
}

interface JobState {
  readonly job: ResolvedJob;
  timer: TimerHandle | undefined;
  nextRunAt: number | undefined;
  current: Run | undefined;
  lastStartedAt: number | undefined;
  lastResult: 'finished' | 'failed' | undefined;
}

const OPTION_KEYS = ['jobs', 'clock', 'random', 'events'];
const JOB_KEYS = ['name', 'intervalMs', 'jitter', 'runOnStart', 'run'];

const ignore = (): void => {};

/**
 * Creates a {@link Scheduler}. The lifecycle's upkeep (re-discovery, availability and
 * performance checks, history pruning) runs on one, at the intervals of `UPKEEP_DEFAULTS`.
 *
 * @example
 * ```ts
 * const scheduler = createScheduler({ jobs: [
 *   { name: 'rediscovery', intervalMs: UPKEEP_DEFAULTS.rediscoveryIntervalMs, run: (signal) => discovery.refresh({ signal }).then(() => {}) },
 * ] });
 * scheduler.events.on('job_failed', ({ name, error }) => log.warn(`${name} failed`, error));
 * scheduler.start();
 * // …
 * await scheduler.stop();
 * ```
 * @throws {InvalidArgumentError} for invalid options or jobs.
 */
export function createScheduler(options: SchedulerOptions = {}): Scheduler {
  if (options === null || typeof options !== 'object') {
    throw new InvalidArgumentError({ argument: 'options', value: options, message: 'must be an object' });
  }
  assertKnownKeys('options', options, OPTION_KEYS);
  const { jobs = [], clock = systemClock, random = seededRandom() } = options;
  if (clock === null || typeof clock !== 'object' || typeof clock.setTimer !== 'function') {
    throw new InvalidArgumentError({
      argument: 'options.clock',
      value: clock,
      message: 'must be a TimerClock (with now and setTimer)',
    });
  }
  if (random === null || typeof random !== 'object' || typeof random.next !== 'function') {
    throw new InvalidArgumentError({
      argument: 'options.random',
      value: random,
      message: 'must be a RandomSource',
    });
  }
  if (!Array.isArray(jobs)) {
    throw new InvalidArgumentError({
      argument: 'options.jobs',
      value: jobs,
      message: 'must be an array of jobs',
    });
  }
  const events = options.events ?? new EventEmitter<SchedulerEvents>();
  const states = new Map<string, JobState>();
  let started = false;

  /**
   * Emits an event when it has listeners. What a listener throws is caught here, so it can never
   * leave a run half-started nor stop a schedule; `execute` decides what it means.
   * @returns what the listeners threw, if anything.
   */
  function notify<Name extends keyof SchedulerEvents>(
    name: Name,
    event: SchedulerEvents[Name][0],
  ): { error: unknown } | undefined {
    if (events.listenerCount(name) === 0) return undefined;
    try {
      (events as unknown as EventEmitter).emit(name, event);
      return undefined;
    } catch (error) {
      return { error };
    }
  }

  async function execute(state: JobState, run: Run, trigger: JobTrigger): Promise<void> {
    const { signal } = run.controller;
    const { name } = state.job;
    if (signal.aborted) {
      // Stopped while it waited for an aborted run to end: the job is not called.
      if (state.current === run) state.current = undefined;
      throw signal.reason;
    }
    run.startedAt = clock.now();
    state.lastStartedAt = run.startedAt;
    // A `job_started` listener that throws fails the run before the job is called.
    let failure = notify('job_started', { name, trigger });
    if (failure === undefined) {
      try {
        await state.job.run(signal);
      } catch (error) {
        failure = { error };
      }
    }
    if (state.current === run) state.current = undefined;
    state.lastResult = failure === undefined ? 'finished' : 'failed';
    const durationMs = clock.now() - run.startedAt;
    // What `job_finished` and `job_failed` listeners throw is ignored: the run has ended.
    if (failure === undefined) {
      notify('job_finished', { name, trigger, durationMs });
      return;
    }
    notify('job_failed', { name, trigger, durationMs, error: failure.error, aborted: signal.aborted });
    throw failure.error;
  }

  /**
   * Starts a run of the job unless one is going; resolves or rejects with the run (the one going,
   * if any). A run aborted by `stop` does not count as going: a new run is started right after it
   * ends, so a `start` (or `runNow`) just after a `stop` that is still waiting is not skipped, and
   * two runs of a job still never overlap.
   */
  function launch(state: JobState, trigger: JobTrigger): Promise<void> {
    const { current } = state;
    if (current !== undefined && !current.controller.signal.aborted) {
      // What a `job_skipped` listener throws is ignored.
      notify('job_skipped', {
        name: state.job.name,
        trigger,
        reason: 'still-running',
        runningForMs: clock.now() - current.startedAt,
      });
      return current.promise;
    }
    let settle!: { resolve: () => void; reject: (error: unknown) => void };
    const promise = new Promise<void>((resolve, reject) => {
      settle = { resolve, reject };
    });
    // The run is complete and current before anything is emitted or called.
    const run: Run = { controller: new AbortController(), startedAt: clock.now(), promise };
    state.current = run;
    const begin = (): void => {
      execute(state, run, trigger).then(settle.resolve, settle.reject);
    };
    if (current === undefined) begin();
    else current.promise.then(begin, begin);
    return promise;
  }

  /** Sets the timer of the job's next scheduled run. */
  function arm(state: JobState): void {
    const { intervalMs, jitter } = state.job;
    const delay = Math.max(1, Math.round(intervalMs * (1 + jitter * (2 * random.next() - 1))));
    state.nextRunAt = clock.now() + delay;
    state.timer = clock.setTimer(() => {
      state.timer = undefined;
      state.nextRunAt = undefined;
      if (!started) return;
      // The next run is scheduled before this one starts, so a failing run keeps the schedule.
      arm(state);
      launch(state, 'schedule').catch(ignore);
    }, delay);
  }

  function activate(state: JobState): void {
    arm(state);
    if (state.job.runOnStart) launch(state, 'start').catch(ignore);
  }

  function add(job: ScheduledJob, argument = 'job'): void {
    const resolved = resolveJob(job, argument);
    if (states.has(resolved.name)) {
      throw new InvalidArgumentError({
        argument: `${argument}.name`,
        value: resolved.name,
        message: `a job named '${resolved.name}' is already scheduled`,
      });
    }
    const state: JobState = {
      job: resolved,
      timer: undefined,
      nextRunAt: undefined,
      current: undefined,
      lastStartedAt: undefined,
      lastResult: undefined,
    };
    states.set(resolved.name, state);
    if (started) activate(state);
  }

  for (const [index, job] of jobs.entries()) add(job, `options.jobs[${index}]`);

  return {
    add: (job) => add(job),
    start() {
      if (started) return;
      started = true;
      for (const state of states.values()) activate(state);
    },
    async stop() {
      started = false;
      const reason = new DOMException('The scheduler stopped', 'AbortError');
      const running: Promise<void>[] = [];
      for (const state of states.values()) {
        state.timer?.cancel();
        state.timer = undefined;
        state.nextRunAt = undefined;
        if (state.current !== undefined) {
          state.current.controller.abort(reason);
          running.push(state.current.promise.catch(ignore));
        }
      }
      await Promise.all(running);
    },
    async runNow(name) {
      const state = states.get(name);
      if (state === undefined) {
        throw new InvalidArgumentError({
          argument: 'name',
          value: name,
          message: `no job named '${String(name)}'; jobs: ${[...states.keys()].join(', ') || 'none'}`,
        });
      }
      return launch(state, 'manual');
    },
    get started() {
      return started;
    },
    jobs: () =>
      [...states.values()].map((state) => ({
        name: state.job.name,
        intervalMs: state.job.intervalMs,
        running: state.current !== undefined,
        nextRunAt: state.nextRunAt,
        lastStartedAt: state.lastStartedAt,
        lastResult: state.lastResult,
      })),
    events,
  };
}

function resolveJob(job: ScheduledJob, argument: string): ResolvedJob {
  if (job === null || typeof job !== 'object') {
    throw new InvalidArgumentError({ argument, value: job, message: 'must be a job object' });
  }
  assertKnownKeys(argument, job, JOB_KEYS);
  const {
    name,
    intervalMs,
    jitter = SCHEDULER_DEFAULTS.jitter,
    runOnStart = SCHEDULER_DEFAULTS.runOnStart,
  } = job;
  if (typeof name !== 'string' || name.length === 0) {
    throw new InvalidArgumentError({
      argument: `${argument}.name`,
      value: name,
      message: 'must be a non-empty string',
    });
  }
  assertNumber(`${argument}.intervalMs`, intervalMs, { minimum: 0, exclusiveMinimum: true });
  assertNumber(`${argument}.jitter`, jitter, { minimum: 0 });
  if (jitter >= 1) {
    throw new InvalidArgumentError({ argument: `${argument}.jitter`, value: jitter, message: 'must be < 1' });
  }
  if (typeof runOnStart !== 'boolean') {
    throw new InvalidArgumentError({
      argument: `${argument}.runOnStart`,
      value: runOnStart,
      message: 'must be a boolean',
    });
  }
  if (typeof job.run !== 'function') {
    throw new InvalidArgumentError({
      argument: `${argument}.run`,
      value: job.run,
      message: 'must be a function',
    });
  }
  const run = job.run.bind(job);
  return { name, intervalMs, jitter, runOnStart, run };
}
