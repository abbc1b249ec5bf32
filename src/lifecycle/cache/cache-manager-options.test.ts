import { homedir } from 'node:os';
import path from 'node:path';
import { EventEmitter } from 'eventemitter3';
import { describe, expect, test } from 'vitest';
import { systemClock } from '../../clock/clock.js';
import { defaultHuggingFaceCacheDirectory } from '../../discovery/providers/hf-cache-layout.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import { memoryStore } from '../../store/memory-store.js';
import type { CacheEvents } from './cache-events.js';
import { CACHE_MANAGER_DEFAULTS } from './cache-manager-options.js';
import { createCacheManager } from './create-cache-manager.js';
import { CACHE_PRUNE_DEFAULTS } from './prune-options.js';

describe('createCacheManager options', () => {
  test('defaults are frozen and documented values: 10 GiB, no pins, the system clock, the Hugging Face cache folder', () => {
    expect(Object.isFrozen(CACHE_MANAGER_DEFAULTS)).toBe(true);
    expect(Object.isFrozen(CACHE_MANAGER_DEFAULTS.pins)).toBe(true);
    expect(Object.isFrozen(CACHE_PRUNE_DEFAULTS)).toBe(true);
    expect(CACHE_MANAGER_DEFAULTS).toEqual({ budgetBytes: 10 * 1024 ** 3, pins: [], clock: systemClock });
    const manager = createCacheManager();
    expect(manager.directory).toBe(defaultHuggingFaceCacheDirectory());
    expect(manager.budgetBytes).toBe(10 * 1024 ** 3);
    expect(manager.pins).toEqual([]);
    expect(manager.store.name).toBe('memory');
    expect(defaultHuggingFaceCacheDirectory({}, homedir())).toBe(
      path.join(homedir(), '.cache', 'huggingface', 'hub'),
    );
  });

  test('takes a store and an emitter of the host', () => {
    const store = memoryStore();
    const events = new EventEmitter<CacheEvents>();
    const manager = createCacheManager({
      cacheDirectory: 'relative/hub',
      store,
      events,
      pins: ['a/b', 'c@main'],
    });
    expect(manager.store).toBe(store);
    expect(manager.events).toBe(events);
    expect(manager.directory).toBe(path.resolve('relative/hub'));
    expect(manager.pins).toEqual(['a/b', 'c@main']);
  });

  test.each([
    ['options', null],
    ['options.cacheDirectory', { cacheDirectory: '' }],
    ['options.cacheDirectory', { cacheDirectory: 3 }],
    ['options.budgetBytes', { budgetBytes: -1 }],
    ['options.budgetBytes', { budgetBytes: Number.POSITIVE_INFINITY }],
    ['options.pins', { pins: 'a/b' }],
    ['options.pins[0]', { pins: [''] }],
    ['options.store', { store: {} }],
    ['options.clock', { clock: { now: 1 } }],
    ['options.events', { events: {} }],
    ['options.budget', { budget: 1 }],
  ])('rejects %s in %j', (argument, options) => {
    const error = (() => {
      try {
        createCacheManager(options as never);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect((error as InvalidArgumentError).argument).toBe(argument);
  });
});
