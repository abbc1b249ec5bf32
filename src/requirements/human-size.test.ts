import { describe, expect, test } from 'vitest';
import { parseByteSize, parseParameterCount } from './human-size.js';

describe('parseByteSize', () => {
  test.each([
    [0, 0],
    [1024, 1024],
    ['512', 512],
    ['500MB', 500e6],
    ['500 mb', 500e6],
    ['2 GiB', 2 * 2 ** 30],
    ['2GI', 2 * 2 ** 30],
    ['1.5 GB', 1.5e9],
    ['640k', 640e3],
    ['640 KiB', 640 * 1024],
    ['1 TB', 1e12],
    ['3 TiB', 3 * 2 ** 40],
    ['12 B', 12],
    [' 7 MB ', 7e6],
    ['0.5 B', 1],
  ] as const)('%s → %d', (size, bytes) => {
    expect(parseByteSize(size)).toBe(bytes);
  });

  test.each([
    -1,
    1.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    2 ** 60,
    '',
    'MB',
    '-5MB',
    '5 XB',
    '5 MBB',
    '1e3',
    '9999999 TB',
  ])('%s is not a size', (size) => {
    expect(parseByteSize(size)).toBeUndefined();
  });
});

describe('parseParameterCount', () => {
  test.each([
    [7, 7],
    ['1.5B', 1.5e9],
    ['270M', 270e6],
    ['7b', 7e9],
    ['125k', 125e3],
    ['1.2T', 1.2e12],
    ['42', 42],
    [' 8 B ', 8e9],
  ] as const)('%s → %d', (count, parameters) => {
    expect(parseParameterCount(count)).toBe(parameters);
  });

  test.each([-1, 0.5, '1.5 billion', 'B', '2GB', '99999999T'])('%s is not a count', (count) => {
    expect(parseParameterCount(count)).toBeUndefined();
  });
});
