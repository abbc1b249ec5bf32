import { describe, expect, test } from 'vitest';
import { systemClock } from '../../clock/clock.js';
import { manualClock } from '../../clock/manual-clock.js';
import type { TimerClock, TimerHandle } from '../../clock/timer-clock.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import { seededRandom } from '../../random/seeded-random.js';
import { SCHEDULER_DEFAULTS } from './scheduled-job.js';
import { createScheduler, type Scheduler } from './scheduler.js';
import { UPKEEP_DEFAULTS } from './upkeep-defaults.js';

function deferred(): { promise: Promise<void>; resolve: () => void; reject: (error: unknown) => void } {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((onResolve, onReject) => {
    resolve = onResolve;
    reject = onReject;
  });
  return { promise, resolve, reject };
}

function eventLog(scheduler: Scheduler): string[] {
  const log: string[] = [];
  scheduler.events.on('job_started', ({ name, trigger }) => log.push(`started ${name} ${trigger}`));
  scheduler.events.on('job_finished', ({ name, trigger, durationMs }) =>
    log.push(`finished ${name} ${trigger} ${durationMs}ms`),
  );
  scheduler.events.on('job_failed', ({ name, trigger, durationMs, error, aborted }) =>
    log.push(
      `failed ${name} ${trigger} ${durationMs}ms ${(error as Error).message}${aborted ? ' aborted' : ''}`,
    ),
  );
  scheduler.events.on('job_skipped', ({ name, trigger, reason, runningForMs }) =>
    log.push(`skipped ${name} ${trigger} ${reason} ${runningForMs}ms`),
  );
  return log;
}

describe('createScheduler', () => {
  test('defaults are frozen; upkeep intervals are a day, 30 minutes, 6 hours and 30 days of retention', () => {
    expect(Object.isFrozen(SCHEDULER_DEFAULTS)).toBe(true);
    expect(SCHEDULER_DEFAULTS).toEqual({ jitter: 0.1, runOnStart: true });
    expect(Object.isFrozen(UPKEEP_DEFAULTS)).toBe(true);
    expect(UPKEEP_DEFAULTS).toEqual({
      rediscoveryIntervalMs: 86_400_000,
      availabilityCheckIntervalMs: 1_800_000,
      performanceCheckIntervalMs: 21_600_000,
      historyRetentionMs: 2_592_000_000,
      historyBucketMs: 3_600_000,
    });
  });

  test('runOnStart runs a job at start, then every interval; durations are measured on the clock', async () => {
    const clock = manualClock();
    const starts: number[] = [];
    const scheduler = createScheduler({
      clock,
      jobs: [
        {
          name: 'check',
          intervalMs: 1_000,
          jitter: 0,
          run: async () => {
            starts.push(clock.now());
            await new Promise<void>((resolve) => clock.setTimer(resolve, 50));
          },
        },
        { name: 'later', intervalMs: 1_500, jitter: 0, runOnStart: false, run: () => {} },
      ],
    });
    const log = eventLog(scheduler);
    expect(scheduler.started).toBe(false);
    scheduler.start();
    scheduler.start();
    expect(scheduler.started).toBe(true);
    expect(starts).toEqual([0]);
    expect(scheduler.jobs()).toEqual([
      {
        name: 'check',
        intervalMs: 1_000,
        running: true,
        nextRunAt: 1_000,
        lastStartedAt: 0,
        lastResult: undefined,
      },
      {
        name: 'later',
        intervalMs: 1_500,
        running: false,
        nextRunAt: 1_500,
        lastStartedAt: undefined,
        lastResult: undefined,
      },
    ]);
    await clock.advanceAsync(2_000);
    expect(starts).toEqual([0, 1_000, 2_000]);
    expect(log).toEqual([
      'started check start',
      'finished check start 50ms',
      'started check schedule',
      'finished check schedule 50ms',
      'started later schedule',
      'finished later schedule 0ms',
      'started check schedule',
    ]);
    // The run going waits for a timer on the clock (it ignores its signal): let it end, then stop.
    await clock.advanceAsync(50);
    expect(log.at(-1)).toBe('finished check schedule 50ms');
    await scheduler.stop();
  });

  test('a run still going when the next is due is skipped and reported; no two runs overlap', async () => {
    const clock = manualClock();
    const gates: ReturnType<typeof deferred>[] = [];
    let concurrent = 0;
    let maxConcurrent = 0;
    const scheduler = createScheduler({
      clock,
      jobs: [
        {
          name: 'slow',
          intervalMs: 100,
          jitter: 0,
          run: async () => {
            concurrent++;
            maxConcurrent = Math.max(maxConcurrent, concurrent);
            const gate = deferred();
            gates.push(gate);
            await gate.promise;
            concurrent--;
          },
        },
      ],
    });
    const log = eventLog(scheduler);
    scheduler.start();
    await clock.advanceAsync(250);
    expect(gates).toHaveLength(1);
    gates[0]?.resolve();
    await clock.advanceAsync(50);
    expect(gates).toHaveLength(2);
    expect(maxConcurrent).toBe(1);
    expect(log).toEqual([
      'started slow start',
      'skipped slow schedule still-running 100ms',
      'skipped slow schedule still-running 200ms',
      'finished slow start 250ms',
      'started slow schedule',
    ]);
    gates[1]?.resolve();
    await scheduler.stop();
  });

  test('jitter keeps every interval within intervalMs × (1 ± jitter), reproducibly for a seed', async () => {
    async function gaps(seed: number, jitter: number): Promise<number[]> {
      const clock = manualClock();
      const starts: number[] = [];
      const scheduler = createScheduler({
        clock,
        random: seededRandom(seed),
        jobs: [
          {
            name: 'job',
            intervalMs: 1_000,
            jitter,
            runOnStart: false,
            run: () => void starts.push(clock.now()),
          },
        ],
      });
      scheduler.start();
      await clock.advanceAsync(200 * 1_000);
      await scheduler.stop();
      return starts.map((start, index) => start - (starts[index - 1] ?? 0));
    }
    const jittered = await gaps(7, 0.2);
    expect(jittered.length).toBeGreaterThan(150);
    for (const gap of jittered) {
      expect(gap).toBeGreaterThanOrEqual(800);
      expect(gap).toBeLessThanOrEqual(1_200);
    }
    expect(Math.min(...jittered)).toBeLessThan(850);
    expect(Math.max(...jittered)).toBeGreaterThan(1_150);
    expect(await gaps(7, 0.2)).toEqual(jittered);
    expect(await gaps(8, 0.2)).not.toEqual(jittered);
    expect(new Set(await gaps(7, 0))).toEqual(new Set([1_000]));
  });

  test('a failing job is reported and keeps its schedule', async () => {
    const clock = manualClock();
    let runs = 0;
    const scheduler = createScheduler({
      clock,
      jobs: [
        {
          name: 'flaky',
          intervalMs: 100,
          jitter: 0,
          run: () => {
            runs++;
            throw new Error(`failure ${runs}`);
          },
        },
      ],
    });
    const log = eventLog(scheduler);
    scheduler.start();
    await clock.advanceAsync(200);
    expect(runs).toBe(3);
    expect(log).toEqual([
      'started flaky start',
      'failed flaky start 0ms failure 1',
      'started flaky schedule',
      'failed flaky schedule 0ms failure 2',
      'started flaky schedule',
      'failed flaky schedule 0ms failure 3',
    ]);
    expect(scheduler.jobs()[0]?.lastResult).toBe('failed');
    await scheduler.stop();
  });

  test('stop cancels the schedules, aborts the runs going and waits for them to end', async () => {
    const clock = manualClock();
    const cleanup = deferred();
    let signal: AbortSignal | undefined;
    let runs = 0;
    const scheduler = createScheduler({
      clock,
      jobs: [
        {
          name: 'download',
          intervalMs: 100,
          run: async (runSignal) => {
            runs++;
            signal = runSignal;
            await new Promise<void>((_resolve, reject) =>
              runSignal.addEventListener('abort', () => {
                cleanup.promise.then(() => reject(runSignal.reason));
              }),
            );
          },
        },
      ],
    });
    const log = eventLog(scheduler);
    scheduler.start();
    let stopped = false;
    const stopping = scheduler.stop().then(() => {
      stopped = true;
    });
    expect(scheduler.started).toBe(false);
    expect(signal?.aborted).toBe(true);
    expect((signal!.reason as DOMException).name).toBe('AbortError');
    expect(clock.pendingTimers()).toBe(0);
    await clock.advanceAsync(0);
    expect(stopped).toBe(false);
    cleanup.resolve();
    await stopping;
    expect(stopped).toBe(true);
    expect(log).toEqual([
      'started download start',
      'failed download start 0ms The scheduler stopped aborted',
    ]);
    await clock.advanceAsync(1_000);
    expect(runs).toBe(1);
    // It can start again.
    scheduler.start();
    expect(runs).toBe(2);
    cleanup.resolve();
    await scheduler.stop();
  });

  test('start right after a stop still ending is not skipped: the new run starts once the aborted one ends', async () => {
    const clock = manualClock();
    const cleanup = deferred();
    let runs = 0;
    let concurrent = 0;
    let maxConcurrent = 0;
    const scheduler = createScheduler({
      clock,
      jobs: [
        {
          name: 'sync',
          intervalMs: 1_000,
          jitter: 0,
          run: async (signal) => {
            runs++;
            concurrent++;
            maxConcurrent = Math.max(maxConcurrent, concurrent);
            try {
              await new Promise<void>((_resolve, reject) =>
                signal.addEventListener('abort', () => {
                  cleanup.promise.then(() => reject(signal.reason));
                }),
              );
            } finally {
              concurrent--;
            }
          },
        },
      ],
    });
    const log = eventLog(scheduler);
    scheduler.start();
    const stopping = scheduler.stop();
    scheduler.start();
    expect(scheduler.started).toBe(true);
    // The aborted run is still ending: the new one waits for it instead of overlapping or being skipped.
    expect(runs).toBe(1);
    expect(scheduler.jobs()[0]?.running).toBe(true);
    cleanup.resolve();
    await stopping;
    await clock.advanceAsync(0);
    expect(runs).toBe(2);
    expect(maxConcurrent).toBe(1);
    expect(log).toEqual([
      'started sync start',
      'failed sync start 0ms The scheduler stopped aborted',
      'started sync start',
    ]);
    expect(scheduler.jobs()[0]).toMatchObject({ running: true, nextRunAt: 1_000, lastStartedAt: 0 });

    // Stopped again before the waiting run could start: the job is not called for it.
    void scheduler.stop();
    scheduler.start();
    await scheduler.stop();
    expect(runs).toBe(2);
    expect(log.slice(3)).toEqual(['failed sync start 0ms The scheduler stopped aborted']);
    expect(scheduler.jobs()[0]).toMatchObject({ running: false, nextRunAt: undefined });
    expect(clock.pendingTimers()).toBe(0);
  });

  test('a throwing job_started listener fails that run only: the job keeps running on its schedule', async () => {
    const clock = manualClock();
    let runs = 0;
    const scheduler = createScheduler({
      clock,
      jobs: [{ name: 'check', intervalMs: 100, jitter: 0, runOnStart: false, run: () => void runs++ }],
    });
    let throwing = true;
    scheduler.events.on('job_started', () => {
      if (throwing) throw new Error('listener broke');
    });
    const log = eventLog(scheduler);
    scheduler.start();
    // The first scheduled run: the listener throws before the job is called.
    await clock.advanceAsync(100);
    expect(runs).toBe(0);
    expect(log).toEqual(['failed check schedule 0ms listener broke']);
    expect(scheduler.jobs()[0]).toMatchObject({ running: false, lastStartedAt: 100, lastResult: 'failed' });
    await expect(scheduler.runNow('check')).rejects.toThrow('listener broke');
    expect(runs).toBe(0);
    // Later triggers run the job: nothing was left half-started.
    throwing = false;
    await clock.advanceAsync(100);
    await scheduler.runNow('check');
    expect(runs).toBe(2);
    expect(log.slice(2)).toEqual([
      'started check schedule',
      'finished check schedule 0ms',
      'started check manual',
      'finished check manual 0ms',
    ]);
    expect(scheduler.jobs()[0]?.lastResult).toBe('finished');
    await scheduler.stop();
  });

  test('what job_finished, job_failed and job_skipped listeners throw is ignored', async () => {
    const clock = manualClock();
    const gate = deferred();
    let fail = false;
    const scheduler = createScheduler({
      clock,
      jobs: [
        {
          name: 'refresh',
          intervalMs: 100,
          jitter: 0,
          run: async () => {
            await gate.promise;
            if (fail) throw new Error('provider down');
          },
        },
      ],
    });
    const log = eventLog(scheduler);
    for (const name of ['job_finished', 'job_failed', 'job_skipped'] as const) {
      scheduler.events.on(name, () => {
        throw new Error(`${name} listener broke`);
      });
    }
    scheduler.start();
    // Skipped while the start-up run waits: the run going is joined all the same.
    const joined = scheduler.runNow('refresh');
    await clock.advanceAsync(100);
    gate.resolve();
    await joined;
    fail = true;
    await expect(scheduler.runNow('refresh')).rejects.toThrow('provider down');
    expect(log).toEqual([
      'started refresh start',
      'skipped refresh manual still-running 0ms',
      'skipped refresh schedule still-running 100ms',
      'finished refresh start 100ms',
      'started refresh manual',
      'failed refresh manual 0ms provider down',
    ]);
    expect(scheduler.jobs()[0]).toMatchObject({ running: false, lastResult: 'failed', nextRunAt: 200 });
    await scheduler.stop();
  });

  test('runNow runs a job outside its schedule, joins a run going, and rejects with the run error', async () => {
    const clock = manualClock();
    const gate = deferred();
    let runs = 0;
    let fail = false;
    const scheduler = createScheduler({
      clock,
      jobs: [
        {
          name: 'refresh',
          intervalMs: 1_000,
          runOnStart: false,
          run: async () => {
            runs++;
            await gate.promise;
            if (fail) throw new Error('provider down');
          },
        },
      ],
    });
    const log = eventLog(scheduler);
    const first = scheduler.runNow('refresh');
    const joined = scheduler.runNow('refresh');
    expect(runs).toBe(1);
    gate.resolve();
    await Promise.all([first, joined]);
    fail = true;
    await expect(scheduler.runNow('refresh')).rejects.toThrow('provider down');
    expect(log).toEqual([
      'started refresh manual',
      'skipped refresh manual still-running 0ms',
      'finished refresh manual 0ms',
      'started refresh manual',
      'failed refresh manual 0ms provider down',
    ]);
    await expect(scheduler.runNow('missing')).rejects.toSatisfy(InvalidArgumentError.isInstance);
  });

  test('a job added to a started scheduler is scheduled at once', async () => {
    const clock = manualClock();
    const scheduler = createScheduler({ clock });
    scheduler.start();
    let runs = 0;
    scheduler.add({ name: 'late', intervalMs: 10, jitter: 0, run: () => void runs++ });
    expect(runs).toBe(1);
    await clock.advanceAsync(10);
    expect(runs).toBe(2);
    expect(() => scheduler.add({ name: 'late', intervalMs: 10, run: () => {} })).toThrow(
      InvalidArgumentError,
    );
    await scheduler.stop();
  });

  test("the system clock's timers do not keep the process alive", async () => {
    const handles: TimerHandle[] = [];
    const clock: TimerClock = {
      now: () => systemClock.now(),
      setTimer: (callback, delayMs) => {
        const handle = systemClock.setTimer(callback, delayMs);
        handles.push(handle);
        return handle;
      },
    };
    const scheduler = createScheduler({
      clock,
      jobs: [
        {
          name: 'daily',
          intervalMs: UPKEEP_DEFAULTS.rediscoveryIntervalMs,
          runOnStart: false,
          run: () => {},
        },
      ],
    });
    scheduler.start();
    expect(handles).toHaveLength(1);
    expect(handles[0]?.hasRef()).toBe(false);
    await scheduler.stop();
    const defaultClock = createScheduler({ jobs: [{ name: 'job', intervalMs: 60_000, run: () => {} }] });
    defaultClock.start();
    await defaultClock.stop();
  });

  test('invalid options and jobs are rejected', () => {
    const run = () => {};
    for (const options of [
      null,
      { clock: { now: () => 0 } },
      { random: {} },
      { jobs: 'job' },
      { interval: 5 },
      { jobs: [{ name: '', intervalMs: 1, run }] },
      { jobs: [{ name: 'a', intervalMs: 0, run }] },
      { jobs: [{ name: 'a', intervalMs: 1, jitter: 1, run }] },
      { jobs: [{ name: 'a', intervalMs: 1, jitter: -0.1, run }] },
      { jobs: [{ name: 'a', intervalMs: 1, runOnStart: 'yes', run }] },
      { jobs: [{ name: 'a', intervalMs: 1 }] },
      { jobs: [{ name: 'a', intervalMs: 1, run, every: 2 }] },
      {
        jobs: [
          { name: 'a', intervalMs: 1, run },
          { name: 'a', intervalMs: 2, run },
        ],
      },
    ]) {
      let caught: unknown;
      try {
        createScheduler(options as never);
      } catch (error) {
        caught = error;
      }
      expect(InvalidArgumentError.isInstance(caught), JSON.stringify(options)).toBe(true);
    }
  });
});
