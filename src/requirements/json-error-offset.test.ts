import { describe, expect, test } from 'vitest';
import { seededRandom } from '../random/seeded-random.js';
import { jsonErrorOffset } from './json-error-offset.js';

const VALID = [
  '{}',
  '[]',
  ' { "a" : [ 1 , -2.5e+3 , 0 , true , false , null , "x\\u00e9\\n" ] , "b" : { } } ',
  '"text"',
  '-0.0E-0',
  '[[[[{"deep":[{}]}]]]]',
];

function jsonParses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe('jsonErrorOffset', () => {
  test('undefined for valid JSON', () => {
    for (const text of VALID) expect(jsonErrorOffset(text), text).toBeUndefined();
    expect(jsonErrorOffset('\uFEFF{"a": 1}', 1)).toBeUndefined();
  });

  test('the offset of the first character JSON does not allow there', () => {
    expect(jsonErrorOffset('{"a": fill}')).toBe(7); // `f` starts `false`; `i` does not continue it
    expect(jsonErrorOffset('{"a": NaN}')).toBe(6);
    expect(jsonErrorOffset('[1, +2]')).toBe(4);
    expect(jsonErrorOffset('[1,]')).toBe(3);
    expect(jsonErrorOffset('{"a": 1,}')).toBe(8);
    expect(jsonErrorOffset("{'a': 1}")).toBe(1);
    expect(jsonErrorOffset('{"a" 1}')).toBe(5);
    expect(jsonErrorOffset('[01]')).toBe(2);
    expect(jsonErrorOffset('[1.]')).toBe(3);
    expect(jsonErrorOffset('["a\\x"]')).toBe(4);
    expect(jsonErrorOffset('["\\u12G4"]')).toBe(6);
    expect(jsonErrorOffset('["a\tb"]')).toBe(3);
    expect(jsonErrorOffset('{"a": 1} x')).toBe(9);
    expect(jsonErrorOffset('[1}')).toBe(2);
  });

  test('the length of the text when it ends too early', () => {
    for (const text of ['', '  ', '{', '{"a"', '{"a":', '[1,', '"abc', 'tru', '-', '1e', '"\\u12']) {
      expect(jsonErrorOffset(text), JSON.stringify(text)).toBe(text.length);
    }
  });

  test('agrees with JSON.parse on which texts are JSON, and on the position JSON.parse reports', () => {
    const random = seededRandom('json-error-offset');
    const alphabet = [
      '{',
      '}',
      '[',
      ']',
      ',',
      ':',
      '"',
      '\\',
      'a',
      'u',
      '0',
      '1',
      '-',
      '.',
      'e',
      ' ',
      't',
      'n',
    ];
    for (let round = 0; round < 3000; round++) {
      let text = VALID[Math.floor(random.next() * VALID.length)]!;
      const edits = 1 + Math.floor(random.next() * 3);
      for (let edit = 0; edit < edits; edit++) {
        const at = Math.floor(random.next() * (text.length + 1));
        const character = alphabet[Math.floor(random.next() * alphabet.length)]!;
        text =
          random.next() < 0.5
            ? text.slice(0, at) + character + text.slice(at)
            : text.slice(0, at) + text.slice(at + 1);
      }
      const offset = jsonErrorOffset(text);
      expect(offset === undefined, JSON.stringify(text)).toBe(jsonParses(text));
      if (offset === undefined) continue;
      expect(offset, JSON.stringify(text)).toBeLessThanOrEqual(text.length);
      try {
        JSON.parse(text);
      } catch (error) {
        const reported = /at position (\d+)/.exec((error as Error).message);
        if (reported !== null)
          expect(offset, `${JSON.stringify(text)}: ${(error as Error).message}`).toBe(Number(reported[1]));
      }
    }
  });
});
