import { describe, expect, test } from 'vitest';
import { CacheError } from './cache-error.js';
import { InvalidArgumentError } from './invalid-argument-error.js';
import { ModelscoutError } from './modelscout-error.js';

describe('CacheError', () => {
  test('is a ModelscoutError recognized by its marker, with reason, folder and paths', () => {
    const error = new CacheError({
      reason: 'delete-failed',
      directory: '/cache',
      paths: ['/cache/models--a--b/blobs/x'],
      message: '1 entry could not be removed',
    });
    expect(error.name).toBe('CacheError');
    expect(error.message).toBe("Cache '/cache': 1 entry could not be removed");
    expect(error).toMatchObject({
      reason: 'delete-failed',
      directory: '/cache',
      paths: ['/cache/models--a--b/blobs/x'],
    });
    expect(CacheError.isInstance(error)).toBe(true);
    expect(ModelscoutError.isInstance(error)).toBe(true);
    expect(InvalidArgumentError.isInstance(error)).toBe(false);
    expect(CacheError.isInstance(new InvalidArgumentError({ argument: 'x', message: 'y' }))).toBe(false);
    const foreign = Object.assign(Object.create(null) as object, {
      [Symbol.for('modelscout.error')]: true,
      [Symbol.for('modelscout.error.CacheError')]: true,
    });
    expect(CacheError.isInstance(foreign)).toBe(true);
    expect(new CacheError({ reason: 'unreadable', directory: '/c', message: 'm' }).paths).toEqual(['/c']);
  });
});
