import { describe, expect, test } from 'vitest';
import { closestMatch } from './closest-match.js';

describe('closestMatch', () => {
  const keys = ['targets', 'limits', 'license', 'domainHints', 'capabilities', 'objective', 'maxSizeBytes'];

  test('finds typos: a missing, extra, changed or swapped letter, any case', () => {
    expect(closestMatch('limts', keys)).toBe('limits');
    expect(closestMatch('licence', keys)).toBe('license');
    expect(closestMatch('ojbective', keys)).toBe('objective');
    expect(closestMatch('Capabilites', keys)).toBe('capabilities');
    expect(closestMatch('domainhints', keys)).toBe('domainHints');
  });

  test('falls back to a prefix match', () => {
    expect(closestMatch('maxSize', keys)).toBe('maxSizeBytes');
  });

  test('suggests nothing for unrelated words', () => {
    expect(closestMatch('color', keys)).toBeUndefined();
    expect(closestMatch('', keys)).toBeUndefined();
    expect(closestMatch('x'.repeat(1000), keys)).toBeUndefined();
  });
});
