import { describe, expect, test } from 'vitest';
import { millisecondsPerExample, overallEtaMs, overallFraction } from './progress-estimate.js';

describe('overallEtaMs', () => {
  test('adds the running candidates’ estimates and prices the waiting ones at the mean rate', () => {
    const candidates = [
      { done: 100, total: 100, etaMs: 0, finished: true, millisecondsPerExample: 4 },
      { done: 50, total: 100, etaMs: 100, finished: false, millisecondsPerExample: 2 },
      { done: 0, total: 100, etaMs: undefined, finished: false, millisecondsPerExample: undefined },
    ];
    expect(overallEtaMs(candidates)).toBe(100 + 3 * 100);
    expect(overallEtaMs(candidates, 150)).toBe(100 + 150);
  });

  test('a finished candidate’s rate prices the next one', () => {
    expect(
      overallEtaMs([
        { done: 100, total: 100, etaMs: 0, finished: true, millisecondsPerExample: 2 },
        { done: 0, total: 100, etaMs: undefined, finished: false, millisecondsPerExample: undefined },
      ]),
    ).toBe(200);
  });

  test('is unknown before any rate is known, and 0 when every candidate finished', () => {
    expect(
      overallEtaMs([
        { done: 0, total: 100, etaMs: undefined, finished: false, millisecondsPerExample: undefined },
      ]),
    ).toBeUndefined();
    expect(overallEtaMs([{ done: 10, total: 10, etaMs: 0, finished: true, millisecondsPerExample: 1 }])).toBe(
      0,
    );
  });
});

describe('millisecondsPerExample', () => {
  test('from an estimate of the time left, when there is one', () => {
    expect(millisecondsPerExample(50, 100, 100)).toBe(2);
    expect(millisecondsPerExample(100, 100, 0)).toBeUndefined();
    expect(millisecondsPerExample(0, undefined, 10)).toBeUndefined();
    expect(millisecondsPerExample(5, 10, undefined)).toBeUndefined();
  });
});

describe('overallFraction', () => {
  test('counts finished candidates as whole', () => {
    expect(
      overallFraction([
        { done: 30, total: 100, etaMs: 0, finished: true, millisecondsPerExample: 1 },
        { done: 50, total: 100, etaMs: 10, finished: false, millisecondsPerExample: 1 },
      ]),
    ).toBe(0.75);
    expect(
      overallFraction([
        { done: 5, total: undefined, etaMs: undefined, finished: false, millisecondsPerExample: undefined },
      ]),
    ).toBeUndefined();
  });
});
