import { expect, test } from 'vitest';
import { parseContentRange } from './content-range.js';

test('parseContentRange reads bytes a-b/size and bytes a-b/*, and nothing else', () => {
  expect(parseContentRange('bytes 100-299/300')).toEqual({ start: 100, end: 299, size: 300 });
  expect(parseContentRange('bytes 0-0/*')).toEqual({ start: 0, end: 0, size: undefined });
  for (const header of [
    null,
    '',
    'bytes */300',
    'bytes 5-4/10',
    'bytes 0-10/10',
    'items 0-1/2',
    'bytes 0-1',
  ]) {
    expect(parseContentRange(header)).toBeUndefined();
  }
});
