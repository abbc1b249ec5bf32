import { describe, expect, test } from 'vitest';
import { parseByteRange } from './byte-range.js';
import { parseHubRoute } from './hub-route.js';
import { decodePathSegments } from './safe-path.js';

describe('parseByteRange', () => {
  test('ranges within a 100-byte file', () => {
    expect(parseByteRange(undefined, 100)).toBeUndefined();
    expect(parseByteRange('bytes=0-0', 100)).toEqual({ start: 0, end: 0 });
    expect(parseByteRange('bytes=90-200', 100)).toEqual({ start: 90, end: 99 });
    expect(parseByteRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
    expect(parseByteRange('bytes=0-1,5-6', 100)).toBeUndefined();
    for (const bad of ['bytes=100-', 'bytes=5-1', 'bytes=-0', 'bytes=-', 'bytes=a-b', 'lines=0-1']) {
      expect(parseByteRange(bad, 100)).toBe('unsatisfiable');
    }
  });
});

describe('parseHubRoute and decodePathSegments', () => {
  test('recognizes one- and two-segment ids and refuses unsafe segments', () => {
    expect(parseHubRoute(['org', 'name', 'resolve', 'main', 'onnx', 'model.onnx'])).toEqual({
      kind: 'resolve',
      id: 'org/name',
      revision: 'main',
      path: 'onnx/model.onnx',
    });
    expect(parseHubRoute(['api', 'models', 'bert', 'tree', 'main'])).toEqual({
      kind: 'tree',
      id: 'bert',
      revision: 'main',
      path: '',
    });
    expect(parseHubRoute(['api', 'models', 'org', 'name', 'revision', 'HEAD'])).toMatchObject({
      kind: 'model-info',
      revision: 'HEAD',
    });
    expect(parseHubRoute(['api', 'models', '-bad', 'x'])).toMatchObject({ kind: 'invalid' });
    expect(decodePathSegments('/a/%2e%2e/b')).toBeUndefined();
    expect(decodePathSegments('/a/b%2fc')).toBeUndefined();
    expect(decodePathSegments('/a/%E0%A4%A')).toBeUndefined();
    expect(decodePathSegments('/a/b%20c/')).toEqual(['a', 'b c']);
  });
});
