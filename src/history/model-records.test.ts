import { afterAll, describe, expect, test } from 'vitest';
import { manualClock } from '../clock/manual-clock.js';
import type { ModelCandidate } from '../core/model-candidate.js';
import { fakeProvider } from '../discovery/service/fake-provider.js';
import type { HistoryErrorEvent } from '../events.js';
import { createScout } from '../scout.js';
import { memoryStore } from '../store/memory-store.js';
import { faultyStore } from '../testing/faulty-store.js';
import { storeKinds } from './testing/history-stores.js';

const T0 = Date.UTC(2026, 0, 5, 9);
const HOUR = 3_600_000;

const kinds = storeKinds();
afterAll(async () => {
  for (const kind of kinds) await kind.dispose();
});

describe.each(kinds)('model records ($name store)', (kind) => {
  test('discovery events write records; firstSeenAt survives updates, removals and other processes', async () => {
    const clock = manualClock(T0);
    const opened = kind.open(clock);
    let listed: ModelCandidate[] = [
      { id: 'org/a', tasks: ['text-classification'], revision: 'r1', raw: { huge: 'x'.repeat(1000) } },
      { id: 'org/b', tasks: ['text-generation'], license: 'mit' },
    ];
    const provider = () => fakeProvider({ name: 'huggingface', models: () => listed });
    const scout = createScout({ seed: 1, store: opened.store, clock, providers: [provider()] });
    await scout.discover();
    await scout.flush();
    expect(await scout.history.model('org/a')).toEqual({
      id: 'org/a',
      candidate: {
        id: 'org/a',
        provider: 'huggingface',
        providers: ['huggingface'],
        tasks: ['text-classification'],
        revision: 'r1',
      },
      firstSeenAt: T0,
      lastSeenAt: T0,
    });
    expect((await scout.history.models()).map((record) => record.id)).toEqual(['org/a', 'org/b']);
    expect((await scout.history.models({ task: 'text-generation' })).map((record) => record.id)).toEqual([
      'org/b',
    ]);
    expect(await scout.history.model('org/unknown')).toBeUndefined();

    clock.advance(HOUR);
    listed = [{ id: 'org/a', tasks: ['text-classification'], revision: 'r2' }];
    await scout.discovery.refresh();
    await scout.flush();
    expect(await scout.history.model('org/a')).toMatchObject({
      candidate: { revision: 'r2' },
      firstSeenAt: T0,
      lastSeenAt: T0 + HOUR,
    });
    const removed = await scout.history.model('org/b');
    expect(removed).toMatchObject({ firstSeenAt: T0, lastSeenAt: T0, removedAt: T0 + HOUR });
    expect(removed?.candidate.license).toBe('mit');

    // Another process finds the models anew: the records keep when they were first seen.
    clock.advance(HOUR);
    listed = [
      { id: 'org/a', tasks: ['text-classification'], revision: 'r2' },
      { id: 'org/b', tasks: ['text-generation'] },
    ];
    const other = createScout({ seed: 2, store: opened.reopen(), clock, providers: [provider()] });
    await other.discover();
    await other.flush();
    expect(await scout.history.model('org/a')).toMatchObject({ firstSeenAt: T0, lastSeenAt: T0 + 2 * HOUR });
    const back = await scout.history.model('org/b');
    expect(back).toMatchObject({ firstSeenAt: T0, lastSeenAt: T0 + 2 * HOUR });
    expect(back).not.toHaveProperty('removedAt');
  });
});

describe('model records', () => {
  test('modelRecords: false keeps none', async () => {
    const store = memoryStore();
    const scout = createScout({
      store,
      providers: [fakeProvider({ name: 'huggingface', models: () => [{ id: 'org/a' }] })],
      history: { modelRecords: false },
    });
    await scout.discover();
    await scout.flush();
    expect(await scout.history.models()).toEqual([]);
  });

  test('a record that cannot be written is reported as history_error; the next event writes it', async () => {
    const clock = manualClock(T0);
    const store = faultyStore(memoryStore({ clock }));
    let listed: ModelCandidate[] = [{ id: 'org/a', revision: 'r1' }];
    const scout = createScout({
      clock,
      store,
      providers: [fakeProvider({ name: 'huggingface', models: () => listed })],
    });
    const errors: HistoryErrorEvent[] = [];
    scout.events.on('history_error', (event) => errors.push(event));
    store.failing = true;
    await scout.discover();
    await scout.flush();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ record: 'model', bufferedOutcomes: 0, droppedOutcomes: 0 });
    store.failing = false;
    expect(await scout.history.model('org/a')).toBeUndefined();
    listed = [{ id: 'org/a', revision: 'r2' }];
    await scout.discovery.refresh();
    await scout.flush();
    expect(await scout.history.model('org/a')).toMatchObject({
      candidate: { revision: 'r2' },
      firstSeenAt: T0,
    });
  });

  test('ids are URI-encoded in keys', async () => {
    const store = memoryStore();
    const scout = createScout({
      store,
      providers: [fakeProvider({ name: 'huggingface', models: () => [{ id: 'a:b/c' }, { id: 'a' }] })],
    });
    await scout.discover();
    await scout.flush();
    const keys: string[] = [];
    for await (const [key] of store.scanDocuments('modelscout:default:models:')) keys.push(key);
    expect(keys.sort()).toEqual(['modelscout:default:models:a', 'modelscout:default:models:a%3Ab%2Fc']);
    expect((await scout.history.model('a:b/c'))?.id).toBe('a:b/c');
  });
});
