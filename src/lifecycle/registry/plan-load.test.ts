import { describe, expect, test } from 'vitest';
import type { LoadedModel } from '../../evaluation/spec.js';
import { evictionsFor, planLoad } from './plan-load.js';
import type { RegistryEntry } from './registry-entry.js';

function entry(id: string, memoryBytes: number): RegistryEntry {
  const model = {} as LoadedModel;
  return {
    id,
    task: 'text-classification',
    dtype: 'fp32',
    model,
    resolved: Promise.resolve(model),
    rank: 0,
    estimatedMemoryBytes: memoryBytes,
    memoryBytes,
    measured: false,
    pins: 0,
    lastUsed: 0,
    recency: 0,
    unloadPending: false,
  };
}

describe('planLoad', () => {
  const idle = [entry('oldest', 100), entry('older', 300), entry('newer', 50)];

  test('unloads for the count limit first, then for memory, least recently used first, and no more', () => {
    // 3 idle + 1 pinned (500 bytes) held; room for 3 models and 1,000 bytes; the load needs 400.
    const plan = planLoad(
      'x',
      'text-classification',
      [{ dtype: 'fp32', estimate: 400 }],
      idle,
      { count: 4, bytes: 950 },
      { maxModels: 3, maxMemoryBytes: 1000 },
    );
    expect(plan.dtype).toBe('fp32');
    expect(plan.evictions.map(([each, reason]) => [each.id, reason])).toEqual([
      ['oldest', 'count'],
      ['older', 'count'],
    ]);
  });

  test('picks the first choice that fits beside what cannot be freed; none: no-room or too-large', () => {
    const choices = [
      { dtype: 'fp32', estimate: 800 },
      { dtype: 'q8', estimate: 200 },
    ];
    const usage = { count: 4, bytes: 950 }; // 500 pinned
    const limits = { maxModels: 10, maxMemoryBytes: 1000 };
    const plan = planLoad('x', 'text-classification', choices, idle, usage, limits);
    expect(plan.dtype).toBe('q8');
    expect(plan.evictions.map(([each, reason]) => [each.id, reason])).toEqual([
      ['oldest', 'memory'],
      ['older', 'memory'],
    ]);
    expect(() =>
      planLoad('x', 'text-classification', [{ dtype: 'fp32', estimate: 800 }], idle, usage, limits),
    ).toThrow(expect.objectContaining({ reason: 'no-room' }));
    expect(() =>
      planLoad(
        'x',
        'text-classification',
        [{ dtype: 'fp32', estimate: 1001 }],
        [],
        { count: 0, bytes: 0 },
        limits,
      ),
    ).toThrow(expect.objectContaining({ reason: 'too-large' }));
  });

  test('evictionsFor stops short when the idle models run out', () => {
    expect(
      evictionsFor(
        [entry('only', 10)],
        { count: 1, bytes: 5000 },
        { count: 0, bytes: 0 },
        {
          maxModels: 10,
          maxMemoryBytes: 1000,
        },
      ).map(([each]) => each.id),
    ).toEqual(['only']);
  });
});
