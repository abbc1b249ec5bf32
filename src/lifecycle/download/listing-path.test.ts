import { expect, test } from 'vitest';
import { isSafeListingPath } from './listing-path.js';

test('listing paths that stay inside a snapshot folder are accepted', () => {
  for (const name of [
    'config.json',
    'onnx/model.onnx',
    '.gitattributes',
    'a/b/c/d.txt',
    '100%.txt',
    'a b.json',
    'ünï.json',
  ]) {
    expect(isSafeListingPath(name), name).toBe(true);
  }
});

test('anything that could leave it is refused, encoded or not', () => {
  for (const name of [
    '',
    '..',
    '../x',
    'a/../../x',
    './x',
    'a//b',
    'a/',
    '/etc/passwd',
    '\\\\server\\share',
    'a\\..\\b',
    'C:/x',
    'c:x',
    '%2e%2e/x',
    'a/%2E%2E/x',
    '%2e%2e%2fx',
    '%252e%252e/x',
    'a%5c..%5cb',
    'a\0b',
    'a\nb',
    'x'.repeat(5000),
  ]) {
    expect(isSafeListingPath(name), JSON.stringify(name)).toBe(false);
  }
});
