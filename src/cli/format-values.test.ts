import { describe, expect, test } from 'vitest';
import { formatBytes, formatCount, formatDuration, formatInterval, formatNumber } from './format-values.js';

describe('format values', () => {
  test('sizes, counts, numbers, durations, intervals; — when unknown', () => {
    expect([0, 512, 62_249, 1_149_876, 2.5e9, undefined].map(formatBytes)).toEqual([
      '0 B',
      '512 B',
      '62.2 kB',
      '1.15 MB',
      '2.5 GB',
      '—',
    ]);
    expect([0, 999, 12_345, 4_100_000, Number.NaN].map(formatCount)).toEqual([
      '0',
      '999',
      '12.3k',
      '4.1M',
      '—',
    ]);
    expect([0.90291, 12.345, 1234.5].map((value) => formatNumber(value))).toEqual(['0.903', '12.3', '1235']);
    expect([850, 4200, 42_000, 125_000, 3_720_000].map(formatDuration)).toEqual([
      '850 ms',
      '4.2 s',
      '42 s',
      '2m 05s',
      '1h 02m',
    ]);
    expect(formatInterval(0.9, 0.85, 0.93)).toBe('0.900 [0.850, 0.930]');
    expect(formatInterval(0.9, Number.NaN, 0.93)).toBe('0.900');
  });
});
