import { describe, expect, test } from 'vitest';
import { licenseGroup, licensePolicyAdmitsNothing, licenseViolation, normalizeLicense } from './license.js';

describe('licenses', () => {
  test('normalization and groups', () => {
    expect(normalizeLicense(' Apache 2.0 ')).toBe('apache-2.0');
    expect(normalizeLicense('license:MIT')).toBe('mit');
    expect(normalizeLicense('')).toBeUndefined();
    expect(licenseGroup('mit')).toBe('permissive');
    expect(licenseGroup('LGPL-3.0')).toBe('weak-copyleft');
    expect(licenseGroup('agpl-3.0')).toBe('strong-copyleft');
    expect(licenseGroup('cc-by-nc-sa-4.0')).toBe('non-commercial');
    expect(licenseGroup('llama3')).toBe('unknown');
    expect(licenseGroup(undefined)).toBe('unknown');
  });

  test('policies', () => {
    expect(licenseViolation({ allow: ['permissive'] }, 'mit', false)).toBeUndefined();
    expect(licenseViolation({ allow: ['permissive'] }, 'gpl-3.0', false)).toBe(
      'gpl-3.0 (strong-copyleft) is not allowed',
    );
    expect(licenseViolation({ allow: ['permissive'] }, undefined, false)).toBe(
      'no license (unknown) is not allowed',
    );
    expect(licenseViolation({ allow: ['permissive'], allowUnknown: true }, 'llama3', false)).toBeUndefined();
    expect(licenseViolation({ allow: ['llama3'] }, 'llama3', false)).toBeUndefined();
    expect(licenseViolation({ deny: ['non-commercial'] }, 'cc-by-nc-4.0', false)).toBe(
      'cc-by-nc-4.0 is denied',
    );
    expect(licenseViolation({ deny: ['mit'] }, 'MIT', false)).toBe('mit is denied');
    expect(licenseViolation({}, undefined, false)).toBeUndefined();
    expect(licenseViolation({ allowUnknown: false }, undefined, false)).toBe('no license is unknown');
    expect(licenseViolation({ allowGated: false }, 'mit', true)).toBe('gated');
    expect(licenseViolation({}, 'mit', true)).toBeUndefined();
  });

  test('policies that admit nothing', () => {
    expect(licensePolicyAdmitsNothing({ allow: [] })).toBe(true);
    expect(licensePolicyAdmitsNothing({ allow: ['mit'], deny: ['mit'] })).toBe(true);
    expect(licensePolicyAdmitsNothing({ allow: ['mit'], deny: ['permissive'] })).toBe(true);
    expect(
      licensePolicyAdmitsNothing({ allow: ['permissive'], deny: ['permissive'], allowUnknown: true }),
    ).toBe(false);
    expect(licensePolicyAdmitsNothing({ allow: ['mit', 'gpl-3.0'], deny: ['permissive'] })).toBe(false);
  });
});
