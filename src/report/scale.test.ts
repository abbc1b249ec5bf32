import { describe, expect, test } from 'vitest';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { linearScale, logScale } from './scale.js';

describe('linearScale', () => {
  test('maps the domain onto the range, upward y axes included', () => {
    const x = linearScale([0, 10], [100, 600]);
    expect(x.map(0)).toBe(100);
    expect(x.map(5)).toBe(350);
    expect(x.map(10)).toBe(600);
    expect(x.map(12)).toBe(700);
    const y = linearScale([0.8, 1], [400, 40]);
    expect(y.map(0.8)).toBe(400);
    expect(y.map(1)).toBeCloseTo(40);
    expect(y.map(0.9)).toBeCloseTo(220);
    expect(x.ticks(5)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(x.kind).toBe('linear');
  });

  test('a degenerate domain maps to the middle of the range', () => {
    expect(linearScale([3, 3], [0, 100]).map(3)).toBe(50);
  });

  test('rejects domains and ranges that are not two finite numbers', () => {
    expect(() => linearScale([0, Number.NaN], [0, 1])).toThrow(InvalidArgumentError);
    expect(() => linearScale([0, 1], [0, Number.POSITIVE_INFINITY])).toThrow(InvalidArgumentError);
  });
});

describe('logScale', () => {
  test('maps decades evenly', () => {
    const x = logScale([1, 100], [0, 200]);
    expect(x.map(1)).toBe(0);
    expect(x.map(10)).toBeCloseTo(100);
    expect(x.map(100)).toBeCloseTo(200);
    expect(x.map(0)).toBeNaN();
    expect(x.map(-5)).toBeNaN();
    expect(x.ticks()).toEqual([1, 2, 5, 10, 20, 50, 100]);
    expect(x.kind).toBe('log');
  });

  test('rejects a domain end ≤ 0', () => {
    expect(() => logScale([0, 10], [0, 1])).toThrow(InvalidArgumentError);
  });
});
