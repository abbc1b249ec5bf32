import { describe, expect, test } from 'vitest';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { parseDuration, resolveWindow } from './time-window.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 0, 15, 12);

describe('parseDuration', () => {
  test.each([
    ['7d', 7 * DAY],
    ['24h', DAY],
    ['30m', 1_800_000],
    ['1.5h', 5_400_000],
    ['10s', 10_000],
    ['500ms', 500],
    ['2w', 14 * DAY],
    ['0m', 0],
  ])('%s is %d ms', (text, milliseconds) => {
    expect(parseDuration(text, 'since')).toBe(milliseconds);
  });

  test.each([
    '',
    '7',
    'd',
    '-1d',
    '7 d',
    ' 7d',
    '7D',
    '7days',
    '1e3ms',
    '.5h',
    7,
    null,
    undefined,
    // Digits beyond what a number holds: not an endless window.
    `${'9'.repeat(400)}d`,
    `1${'0'.repeat(306)}w`,
  ])('rejects %j with a typed error naming the argument', (text) => {
    const error = (() => {
      try {
        parseDuration(text, 'query.since');
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect((error as InvalidArgumentError).argument).toBe('query.since');
  });
});

describe('resolveWindow', () => {
  test('defaults: until now, since the default window before until', () => {
    expect(resolveWindow({}, NOW, 7 * DAY, 'query')).toEqual({ since: NOW - 7 * DAY, until: NOW });
    expect(resolveWindow({ until: NOW - DAY }, NOW, 7 * DAY, 'query')).toEqual({
      since: NOW - 8 * DAY,
      until: NOW - DAY,
    });
  });

  test('since as a duration counts back from now, not from until; Dates and numbers are times', () => {
    expect(resolveWindow({ since: '24h', until: NOW - 3_600_000 }, NOW, 7 * DAY, 'query')).toEqual({
      since: NOW - DAY,
      until: NOW - 3_600_000,
    });
    expect(resolveWindow({ since: new Date(NOW - DAY), until: new Date(NOW) }, NOW, DAY, 'query')).toEqual({
      since: NOW - DAY,
      until: NOW,
    });
    expect(resolveWindow({ since: 0, until: 0 }, NOW, DAY, 'query')).toEqual({ since: 0, until: 0 });
  });

  test('rejects since after until, durations as until, negative or non-finite times, invalid Dates', () => {
    expect(() => resolveWindow({ since: NOW, until: NOW - 1 }, NOW, DAY, 'query')).toThrow(
      /'query\.since'.*must not be after until/,
    );
    expect(() => resolveWindow({ until: '1d' as never }, NOW, DAY, 'query')).toThrow(/'query\.until'/);
    expect(() => resolveWindow({ since: -1 }, NOW, DAY, 'query')).toThrow(InvalidArgumentError);
    expect(() => resolveWindow({ since: Number.NaN }, NOW, DAY, 'query')).toThrow(InvalidArgumentError);
    expect(() => resolveWindow({ until: Number.POSITIVE_INFINITY }, NOW, DAY, 'query')).toThrow(
      InvalidArgumentError,
    );
    expect(() => resolveWindow({ since: new Date('nope') }, NOW, DAY, 'query')).toThrow(InvalidArgumentError);
    expect(() => resolveWindow({ since: '7 days' as never }, NOW, DAY, 'query')).toThrow(/'query\.since'/);
  });
});
