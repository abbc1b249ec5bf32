import { describe, expect, test } from 'vitest';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { linearTicks, logTicks, niceLinearDomain, niceLogDomain, tickStep } from './axis-ticks.js';

describe('tickStep', () => {
  test('is 1, 2 or 5 × a power of ten', () => {
    expect(tickStep(1, 5)).toBe(0.2);
    expect(tickStep(100, 5)).toBe(20);
    expect(tickStep(0.03, 5)).toBe(0.005);
    expect(tickStep(7, 5)).toBe(1);
    expect(tickStep(3.5, 10)).toBe(0.5);
  });

  test('rejects a span that is not a positive finite number', () => {
    expect(() => tickStep(0, 5)).toThrow(InvalidArgumentError);
    expect(() => tickStep(Number.NaN, 5)).toThrow(InvalidArgumentError);
  });
});

describe('linearTicks', () => {
  test('nice values within the bounds, without floating-point noise', () => {
    expect(linearTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(linearTicks(0.905, 0.935)).toEqual([0.905, 0.91, 0.915, 0.92, 0.925, 0.93, 0.935]);
    expect(linearTicks(0.1, 0.7, 6)).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]);
    expect(linearTicks(3, 97)).toEqual([20, 40, 60, 80]);
  });

  test('negative ranges, reversed bounds and equal bounds', () => {
    expect(linearTicks(-1, 1, 4)).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(linearTicks(1, 0)).toEqual(linearTicks(0, 1));
    expect(linearTicks(0.5, 0.5)).toEqual([0.5]);
  });

  test('large and tiny ranges', () => {
    expect(linearTicks(0, 25_000, 5)).toEqual([0, 5000, 10_000, 15_000, 20_000, 25_000]);
    expect(linearTicks(0.0001, 0.0005, 4)).toEqual([0.0001, 0.0002, 0.0003, 0.0004, 0.0005]);
  });

  test('rejects non-finite bounds', () => {
    expect(() => linearTicks(0, Number.POSITIVE_INFINITY)).toThrow(InvalidArgumentError);
    expect(() => linearTicks(Number.NaN, 1)).toThrow(InvalidArgumentError);
  });
});

describe('niceLinearDomain', () => {
  test('widens the bounds to ticks that hold them', () => {
    expect(niceLinearDomain(0.907, 0.933)).toEqual([0.905, 0.935]);
    expect(niceLinearDomain(3, 97)).toEqual([0, 100]);
    for (const [minimum, maximum] of [
      [0.12, 0.87],
      [-3.3, 41],
      [1234, 1299],
      [0.00021, 0.00029],
    ] as const) {
      const [start, end] = niceLinearDomain(minimum, maximum);
      expect(start).toBeLessThanOrEqual(minimum);
      expect(end).toBeGreaterThanOrEqual(maximum);
      const ticks = linearTicks(start, end);
      expect(ticks[0]).toBe(start);
      expect(ticks.at(-1)).toBe(end);
    }
  });

  test('bounds that differ only by floating-point noise are widened like equal bounds', () => {
    // 0.9 computed two ways (9 / 10 and 0.3 * 3) differ in the last bit.
    for (const [minimum, maximum] of [
      [0.8999999999999999, 0.9],
      [0.9 - 1e-13, 0.9 + 1e-13],
      [12.000000000000002, 12],
      [-1e-300, 1e-300],
    ] as const) {
      const [start, end] = niceLinearDomain(minimum, maximum);
      expect(start, `${minimum}, ${maximum}`).toBeLessThanOrEqual(Math.min(minimum, maximum));
      expect(end, `${minimum}, ${maximum}`).toBeGreaterThanOrEqual(Math.max(minimum, maximum));
      expect(start).toBeLessThan(end);
      expect(linearTicks(start, end).length).toBeGreaterThanOrEqual(2);
    }
  });

  test('widens equal bounds', () => {
    const [start, end] = niceLinearDomain(0.9, 0.9);
    expect(start).toBeLessThan(0.9);
    expect(end).toBeGreaterThan(0.9);
    expect(niceLinearDomain(0, 0)).toEqual([-1, 1]);
  });
});

describe('logTicks and niceLogDomain', () => {
  test('powers of ten, with 2× and 5× over at most two decades', () => {
    expect(logTicks(0.1, 100)).toEqual([0.1, 1, 10, 100]);
    expect(logTicks(1, 1000)).toEqual([1, 10, 100, 1000]);
    expect(logTicks(1, 100)).toEqual([1, 2, 5, 10, 20, 50, 100]);
    expect(logTicks(0.15, 40)).toEqual([1, 10]);
  });

  test('within one decade: 1…9 × a power of ten, else linear ticks', () => {
    expect(logTicks(0.15, 0.33)).toEqual([0.2, 0.3]);
    expect(logTicks(0.21, 0.29)).toEqual(linearTicks(0.21, 0.29, 4));
  });

  test('only every k-th power of ten over many decades', () => {
    expect(logTicks(1e-3, 1e9)).toEqual([1e-3, 0.1, 10, 1000, 1e5, 1e7, 1e9]);
    expect(logTicks(1, 1e16, 8)).toHaveLength(9);
  });

  test('niceLogDomain widens to whole decades', () => {
    expect(niceLogDomain(0.15, 40)).toEqual([0.1, 100]);
    expect(niceLogDomain(2, 2)).toEqual([1, 10]);
    expect(niceLogDomain(10, 10)).toEqual([10, 100]);
    expect(niceLogDomain(40, 0.15)).toEqual([0.1, 100]);
  });

  test('reject bounds ≤ 0', () => {
    expect(() => logTicks(0, 10)).toThrow(InvalidArgumentError);
    expect(() => niceLogDomain(-1, 10)).toThrow(InvalidArgumentError);
  });
});
