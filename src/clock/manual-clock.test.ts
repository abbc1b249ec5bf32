import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { systemClock } from './clock.js';
import { manualClock } from './manual-clock.js';
import { isTimerClock } from './timer-clock.js';

describe('manualClock', () => {
  test('reads, advances and sets time; rejects moves backwards or by invalid amounts', () => {
    const clock = manualClock(100);
    expect(clock.now()).toBe(100);
    clock.advance(50);
    expect(clock.now()).toBe(150);
    clock.set(1000);
    expect(clock.now()).toBe(1000);
    for (const move of [() => clock.advance(-1), () => clock.advance(Number.NaN), () => clock.set(999)]) {
      expect(InvalidArgumentError.isInstance(captured(move))).toBe(true);
    }
    expect(manualClock().now()).toBe(0);
  });

  test('timers fire in due order during advance, reading their due time; ties in the order they were set', () => {
    const clock = manualClock();
    const fired: string[] = [];
    const record = (name: string) => () => fired.push(`${name}@${clock.now()}`);
    clock.setTimer(record('c'), 30);
    clock.setTimer(record('a'), 10);
    clock.setTimer(record('b1'), 20);
    clock.setTimer(record('b2'), 20);
    clock.setTimer(record('late'), 100);
    expect(clock.pendingTimers()).toBe(5);
    clock.advance(25);
    expect(fired).toEqual(['a@10', 'b1@20', 'b2@20']);
    expect(clock.now()).toBe(25);
    clock.set(60);
    expect(fired).toEqual(['a@10', 'b1@20', 'b2@20', 'c@30']);
    expect(clock.pendingTimers()).toBe(1);
  });

  test('timers set by callbacks fire within the same move when due; cancelled timers never fire', () => {
    const clock = manualClock();
    const fired: number[] = [];
    const repeat = () => {
      fired.push(clock.now());
      clock.setTimer(repeat, 10);
    };
    clock.setTimer(repeat, 10);
    const cancelled = clock.setTimer(() => fired.push(-1), 15);
    cancelled.cancel();
    cancelled.cancel();
    clock.advance(35);
    expect(fired).toEqual([10, 20, 30]);
    expect(clock.pendingTimers()).toBe(1);
    const zero = clock.setTimer(() => fired.push(clock.now()), 0);
    expect(zero.hasRef()).toBe(false);
    clock.advance(0);
    expect(fired).toEqual([10, 20, 30, 35]);
  });

  test('negative delays count as 0, Infinity never fires, NaN and non-functions are rejected', () => {
    const clock = manualClock(5);
    let fired = 0;
    clock.setTimer(() => fired++, -10);
    clock.setTimer(() => fired++, Number.POSITIVE_INFINITY);
    expect(clock.pendingTimers()).toBe(1);
    clock.advance(0);
    expect(fired).toBe(1);
    expect(InvalidArgumentError.isInstance(captured(() => clock.setTimer(() => {}, Number.NaN)))).toBe(true);
    expect(InvalidArgumentError.isInstance(captured(() => clock.setTimer('x' as never, 1)))).toBe(true);
  });

  test('a throwing callback does not stop the move: later timers fire, then the first error is thrown', () => {
    const clock = manualClock();
    const fired: number[] = [];
    clock.setTimer(() => {
      throw new Error('first');
    }, 10);
    clock.setTimer(() => {
      throw new Error('second');
    }, 20);
    clock.setTimer(() => fired.push(clock.now()), 30);
    expect((captured(() => clock.advance(50)) as Error).message).toBe('first');
    expect(fired).toEqual([30]);
    expect(clock.now()).toBe(50);
  });

  test('advanceAsync lets async work started by a timer settle before the next timer fires', async () => {
    const clock = manualClock();
    const log: string[] = [];
    const job = async (name: string) => {
      log.push(`${name} started@${clock.now()}`);
      await Promise.resolve();
      await new Promise<void>((resolve) => queueMicrotask(resolve));
      log.push(`${name} finished@${clock.now()}`);
    };
    clock.setTimer(() => void job('first'), 10);
    clock.setTimer(() => void job('second'), 20);
    await clock.advanceAsync(30);
    expect(log).toEqual(['first started@10', 'first finished@10', 'second started@20', 'second finished@20']);
    expect(clock.now()).toBe(30);
    clock.setTimer(() => {
      throw new Error('boom');
    }, 1);
    await expect(clock.advanceAsync(1)).rejects.toThrow('boom');
    await expect(clock.advanceAsync(-1)).rejects.toSatisfy(InvalidArgumentError.isInstance);
  });

  test('advanceAsync awaits the promise a callback returns, real I/O included, before the next timer fires', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'modelscout-manual-clock-'));
    try {
      const clock = manualClock();
      const log: string[] = [];
      clock.setTimer(async () => {
        log.push(`write started@${clock.now()}`);
        const file = path.join(folder, 'state.json');
        await writeFile(file, '{"saved":true}');
        log.push(`write finished: ${await readFile(file, 'utf8')}`);
      }, 10);
      clock.setTimer(() => log.push(`next@${clock.now()}`), 20);
      await clock.advanceAsync(25);
      expect(log).toEqual(['write started@10', 'write finished: {"saved":true}', 'next@20']);
      // A rejected promise fails the move once it is done; later timers still fire.
      clock.setTimer(async () => {
        await readFile(path.join(folder, 'missing.json'));
      }, 5);
      clock.setTimer(() => log.push(`last@${clock.now()}`), 10);
      await expect(clock.advanceAsync(25)).rejects.toMatchObject({ code: 'ENOENT' });
      expect(log.at(-1)).toBe('last@35');
      expect(clock.now()).toBe(50);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  test('both clocks can schedule timers; a plain Clock cannot', () => {
    expect(isTimerClock(manualClock())).toBe(true);
    expect(isTimerClock(systemClock)).toBe(true);
    expect(isTimerClock({ now: () => 0 })).toBe(false);
  });
});

function captured(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  return undefined;
}
