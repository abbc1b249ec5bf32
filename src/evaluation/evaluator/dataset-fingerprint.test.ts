import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { DatasetFingerprint } from './dataset-fingerprint.js';

function fingerprintOf(rows: readonly unknown[]): string {
  const fingerprint = new DatasetFingerprint();
  for (const row of rows) fingerprint.add(row);
  return fingerprint.digest();
}

function expected(lines: readonly string[]): string {
  const hash = createHash('sha256');
  for (const line of lines) hash.update(`${line}\n`);
  return `sha256:${hash.digest('hex').slice(0, 16)}`;
}

describe('DatasetFingerprint', () => {
  test('plain rows hash as their JSON, one line each, in order', () => {
    const rows = [
      { input: 'a fine film', label: 'POSITIVE' },
      { input: 'dull', label: 0, weight: null, flag: true },
      ['premise', 'hypothesis'],
      'a bare string',
    ];
    expect(fingerprintOf(rows)).toBe(expected(rows.map((row) => JSON.stringify(row))));
    expect(fingerprintOf([...rows].reverse())).not.toBe(fingerprintOf(rows));
  });

  test('typed arrays hash as arrays and bigints as strings, nested or not', () => {
    const rows = [
      { input: new Float32Array([0.5, 1.5]), label: 1n },
      { input: { ids: new BigInt64Array([2n, 3n]) }, label: 'x' },
    ];
    expect(fingerprintOf(rows)).toBe(
      expected(['{"input":[0.5,1.5],"label":"1n"}', '{"input":{"ids":["2n","3n"]},"label":"x"}']),
    );
  });

  test('rows whose values are objects, dates or class instances hash like their JSON', () => {
    const date = new Date(0);
    const rows = [
      { input: { text: 'q', context: 'c' }, label: { start: 1, end: 2 } },
      { input: date, label: 'd' },
    ];
    expect(fingerprintOf(rows)).toBe(expected(rows.map((row) => JSON.stringify(row))));
  });

  test('cyclic rows fall back to their String', () => {
    const row: Record<string, unknown> = { label: 'x' };
    row.input = row;
    expect(fingerprintOf([row])).toBe(expected(['[object Object]']));
  });
});
