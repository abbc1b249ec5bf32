import { describe, expect, test } from 'vitest';
import { seededRandom } from '../random/seeded-random.js';
import { argmaxWithRandomTies } from './argmax.js';

interface ScoredArm {
  readonly score: number;
  readonly utilityOffset: number;
}

const byScore = (arm: ScoredArm): number => arm.score;

function arms(scores: readonly number[], offsets: readonly number[] = []): ScoredArm[] {
  return scores.map((score, index) => ({ score, utilityOffset: offsets[index] ?? 0 }));
}

function frequencies(candidates: readonly ScoredArm[], draws: number): number[] {
  const random = seededRandom('ties');
  const counts = candidates.map(() => 0);
  for (let draw = 0; draw < draws; draw++) counts[argmaxWithRandomTies(candidates, byScore, 0, random)]! += 1;
  return counts;
}

describe('argmaxWithRandomTies', () => {
  test('returns the index of the largest score plus utility offset', () => {
    const random = seededRandom(1);
    expect(argmaxWithRandomTies(arms([0.1, 0.7, 0.3]), byScore, 0, random)).toBe(1);
    expect(argmaxWithRandomTies(arms([0.1, 0.7, 0.3], [0, 0, 0.5]), byScore, 0, random)).toBe(2);
    expect(argmaxWithRandomTies(arms([-5, Number.POSITIVE_INFINITY, 3]), byScore, 0, random)).toBe(1);
  });

  test('passes the parameter and the random source to the score', () => {
    const random = seededRandom(1);
    const seen: unknown[] = [];
    argmaxWithRandomTies(
      arms([1]),
      (_arm, parameter, source) => {
        seen.push(parameter, source);
        return 0;
      },
      'parameter',
      random,
    );
    expect(seen).toEqual(['parameter', random]);
  });

  test('breaks ties uniformly at random', () => {
    // Three arms tie at 0.9 among five: each should get about a third of 30,000 draws.
    const counts = frequencies(arms([0.9, 0.2, 0.9, 0.9, 0.5]), 30_000);
    expect(counts[1]).toBe(0);
    expect(counts[4]).toBe(0);
    for (const index of [0, 2, 3]) expect(Math.abs(counts[index]! / 30_000 - 1 / 3)).toBeLessThan(0.015);
  });

  test('breaks ties among infinite scores uniformly', () => {
    const counts = frequencies(arms([Number.POSITIVE_INFINITY, 1, Number.POSITIVE_INFINITY]), 20_000);
    expect(counts[1]).toBe(0);
    expect(Math.abs(counts[0]! / 20_000 - 0.5)).toBeLessThan(0.02);
  });

  test('never chooses a NaN score, and chooses uniformly when all are NaN or −∞', () => {
    expect(frequencies(arms([Number.NaN, 0.1, Number.NaN]), 100)).toEqual([0, 100, 0]);
    for (const score of [Number.NaN, Number.NEGATIVE_INFINITY]) {
      const counts = frequencies(arms([score, score, score, score]), 20_000);
      for (const count of counts) expect(Math.abs(count / 20_000 - 0.25)).toBeLessThan(0.02);
    }
  });
});
