import { describe, expect, test } from 'vitest';
import { manualClock } from '../../clock/manual-clock.js';
import type { ModelCandidate } from '../../core/model-candidate.js';
import { ApiCallError } from '../../errors/api-call-error.js';
import { ContradictoryConstraintsError } from '../../errors/contradictory-constraints-error.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import { ProviderError } from '../../errors/provider-error.js';
import type {
  ModelAddedEvent,
  ModelRemovedEvent,
  ModelUpdatedEvent,
  ProviderFinishedEvent,
  ProviderStartedEvent,
} from '../../events.js';
import { seededRandom } from '../../random/seeded-random.js';
import { DISCOVERY_DEFAULTS } from './discovery-options.js';
import { createDiscoveryService } from './discovery-service.js';
import { fakeProvider, type InFlightCounter } from './fake-provider.js';

function model(id: string, extra: Partial<ModelCandidate> = {}): ModelCandidate {
  return { id, tasks: ['text-classification'], library: 'transformers.js', ...extra };
}

const fixed = (models: readonly unknown[]) => () => models;

const ids = (candidates: readonly ModelCandidate[]) => candidates.map((candidate) => candidate.id).sort();

describe('createDiscoveryService: concurrency', () => {
  test('never runs more provider calls at once than `concurrency`, and lists them all', async () => {
    const inFlight: InFlightCounter = { current: 0, maximum: 0 };
    const providers = Array.from({ length: 6 }, (_, index) =>
      fakeProvider({ name: `p${index}`, models: fixed([model(`org/m${index}`)]), inFlight, turns: 3 }),
    );
    const discovery = createDiscoveryService({ providers, concurrency: 2 });
    const result = await discovery.discover({ limit: 100 });
    expect(inFlight.maximum).toBe(2);
    expect(result.total).toBe(6);
    expect(result.errors).toEqual([]);
    expect(result.providers.map((summary) => summary.status)).toEqual(Array(6).fill('listed'));
  });

  test('the bound holds across concurrent discover calls', async () => {
    const inFlight: InFlightCounter = { current: 0, maximum: 0 };
    const providers = Array.from({ length: 4 }, (_, index) =>
      fakeProvider({ name: `p${index}`, models: fixed([model(`org/m${index}`)]), inFlight, turns: 2 }),
    );
    const discovery = createDiscoveryService({ providers, concurrency: 3 });
    await Promise.all([
      discovery.discover({ task: 'text-classification' }),
      discovery.discover({ text: 'm1' }),
    ]);
    expect(inFlight.maximum).toBe(3);
  });

  test('concurrent calls for the same provider query share one listing', async () => {
    const provider = fakeProvider({ name: 'p', models: fixed([model('org/a')]), turns: 2 });
    const discovery = createDiscoveryService({ providers: [provider] });
    const [first, second] = await Promise.all([discovery.discover(), discovery.discover({ limit: 1 })]);
    expect(provider.queries).toHaveLength(1);
    expect(first.candidates).toHaveLength(1);
    expect(second.candidates).toHaveLength(1);
  });
});

describe('createDiscoveryService: failing providers never sink the others', () => {
  test('a throwing, a hanging, a silent and a malformed provider beside a healthy one', async () => {
    const token = 'hf_ABCDEFGHIJKLMNOPQRSTUV';
    const healthy = fakeProvider({ name: 'healthy', models: fixed([model('org/good')]) });
    const throwing = fakeProvider({
      name: 'throwing',
      models: fixed([]),
      behavior: 'throw',
      error: new Error(`upstream refused Bearer ${token} (token ${token})`),
    });
    const hanging = fakeProvider({ name: 'hanging', models: fixed([]), behavior: 'hang' });
    const silent = fakeProvider({ name: 'silent', models: fixed([]), behavior: 'ignore-abort' });
    const malformed = fakeProvider({
      name: 'malformed',
      models: fixed([
        model('org/fine'),
        null,
        { id: '' },
        { id: 'org/negative', sizeBytes: -1 },
        { id: 'org/tasks', tasks: 'text-classification' },
        model('org/fine'),
        model('org/also-fine', { provider: 'someone-else' }),
      ]),
    });
    const discovery = createDiscoveryService({
      providers: [healthy, throwing, hanging, silent, malformed],
      providerTimeoutMs: 30,
    });
    const result = await discovery.discover({ limit: 10 });
    expect(ids(result.candidates)).toEqual(['org/also-fine', 'org/fine', 'org/good']);
    // The provider that found a candidate names it, whatever the candidate said.
    expect(result.candidates.find((candidate) => candidate.id === 'org/also-fine')?.provider).toBe(
      'malformed',
    );
    const byProvider = Object.fromEntries(result.errors.map((error) => [error.provider, error]));
    expect(Object.keys(byProvider).sort()).toEqual(['hanging', 'malformed', 'silent', 'throwing']);
    for (const error of result.errors) {
      expect(ProviderError.isInstance(error)).toBe(true);
      expect(error.operation).toBe('listModels');
    }
    expect(byProvider.throwing).toMatchObject({ reason: 'failed', isRetryable: false });
    expect(byProvider.hanging).toMatchObject({ reason: 'timed-out', isRetryable: true });
    expect(byProvider.silent).toMatchObject({ reason: 'timed-out' });
    expect(byProvider.malformed).toMatchObject({ reason: 'malformed', skippedCandidates: 4 });
    expect(byProvider.malformed?.message).toContain('not an object');
    expect(byProvider.throwing?.message).toContain('upstream refused');
    expect(byProvider.throwing?.message).not.toContain(token);
    expect(hanging.aborted).toBe(1);
    expect(result.providers.map((summary) => [summary.provider, summary.status, summary.count])).toEqual([
      ['healthy', 'listed', 1],
      ['throwing', 'failed', 0],
      ['hanging', 'failed', 0],
      ['silent', 'failed', 0],
      ['malformed', 'listed', 2],
    ]);
  });

  test('a provider whose listModels returns no iterable is malformed', async () => {
    const discovery = createDiscoveryService({
      providers: [
        fakeProvider({ name: 'broken', models: fixed([]), behavior: 'not-iterable' }),
        fakeProvider({ name: 'fine', models: fixed([model('org/a')]) }),
      ],
    });
    const result = await discovery.discover();
    expect(ids(result.candidates)).toEqual(['org/a']);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ provider: 'broken', reason: 'malformed' });
  });

  test('a retryable ApiCallError makes a retryable ProviderError that keeps its cause', async () => {
    const cause = new ApiCallError({
      url: 'http://127.0.0.1:1/models',
      statusCode: 503,
      message: 'unavailable',
    });
    const discovery = createDiscoveryService({
      providers: [fakeProvider({ name: 'remote', models: fixed([]), behavior: 'throw', error: cause })],
    });
    const [error] = (await discovery.discover()).errors;
    expect(error).toMatchObject({ reason: 'failed', isRetryable: true, cause });
  });

  test('malformed local copies, BigInts and cycles in a record never fail the call', async () => {
    const cyclic: Record<string, unknown> = { id: 'org/cyclic' };
    cyclic.self = cyclic;
    const odd = fakeProvider({
      name: 'odd',
      models: fixed([
        { id: 'org/copies-number', localCopies: 5 },
        { id: 'org/copies-null', localCopies: [null] },
        { id: 'org/copies-dtypes', localCopies: [{ provider: 'disk', dtypes: 'q8' }] },
        { id: 'org/copies-files', localCopies: [{ provider: 'disk', files: [{ size: 1 }] }] },
        { id: 'org/bigint', pricing: { perRequestUsd: 1n } },
        cyclic,
        model('org/fine', { localCopies: [{ provider: 'disk', dtypes: ['q8'], files: [{ path: 'a' }] }] }),
      ]),
    });
    const discovery = createDiscoveryService({ providers: [odd] });
    const result = await discovery.discover({ limit: 10 });
    expect(ids(result.candidates)).toEqual(['org/bigint', 'org/cyclic', 'org/fine']);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ provider: 'odd', reason: 'malformed', skippedCandidates: 4 });
    expect((await discovery.refresh()).errors).toHaveLength(1);
  });
});

describe('createDiscoveryService: cache', () => {
  test('reuses a listing within the TTL and lists again after it (injectable clock)', async () => {
    const clock = manualClock(1_000);
    const provider = fakeProvider({ name: 'p', models: fixed([model('org/a'), model('org/b')]) });
    const discovery = createDiscoveryService({ providers: [provider], ttlMs: 60_000, clock });
    const first = await discovery.discover();
    expect(first.providers[0]).toMatchObject({ status: 'listed', count: 2, listedAt: 1_000 });
    clock.advance(59_999);
    const second = await discovery.discover({ sort: 'likes', limit: 1 });
    expect(second.providers[0]).toMatchObject({ status: 'cached', listedAt: 1_000 });
    expect(provider.queries).toHaveLength(1);
    clock.advance(1);
    const third = await discovery.discover();
    expect(third.providers[0]).toMatchObject({ status: 'listed', listedAt: 61_000 });
    expect(provider.queries).toHaveLength(2);
    await discovery.discover({}, { bypassCache: true });
    expect(provider.queries).toHaveLength(3);
    discovery.clearCache();
    await discovery.discover();
    expect(provider.queries).toHaveLength(4);
  });

  test('each provider query (text, task, modality, library) is cached on its own', async () => {
    const provider = fakeProvider({ name: 'p', models: fixed([model('org/a')]) });
    const discovery = createDiscoveryService({ providers: [provider], clock: manualClock() });
    await discovery.discover({ task: 'text-classification' });
    await discovery.discover({ task: 'text-classification', limit: 5, offset: 0, sort: 'size' });
    await discovery.discover({ task: 'text-classification', text: '  a ' });
    await discovery.discover({ task: 'text-classification', text: 'a' });
    expect(provider.queries.map(({ signal: _signal, ...query }) => query)).toEqual([
      { task: 'text-classification', limit: DISCOVERY_DEFAULTS.maxCandidatesPerProvider },
      { text: 'a', task: 'text-classification', limit: DISCOVERY_DEFAULTS.maxCandidatesPerProvider },
    ]);
  });

  test('ttlMs 0 lists every time', async () => {
    const provider = fakeProvider({ name: 'p', models: fixed([model('org/a')]) });
    const discovery = createDiscoveryService({ providers: [provider], ttlMs: 0 });
    await discovery.discover();
    await discovery.discover();
    expect(provider.queries).toHaveLength(2);
  });

  test('a failing provider falls back to its expired listing (staleIfError), and reports the failure', async () => {
    const clock = manualClock();
    let failing = false;
    const flaky = fakeProvider({
      name: 'flaky',
      models: () => {
        if (failing) throw new Error('down for maintenance');
        return [model('org/a')];
      },
    });
    const discovery = createDiscoveryService({ providers: [flaky], ttlMs: 1000, clock });
    await discovery.discover();
    failing = true;
    clock.advance(1000);
    const stale = await discovery.discover();
    expect(ids(stale.candidates)).toEqual(['org/a']);
    expect(stale.providers[0]).toMatchObject({ status: 'stale', listedAt: 0 });
    expect(stale.errors[0]).toMatchObject({ provider: 'flaky', reason: 'failed' });

    const strict = createDiscoveryService({ providers: [flaky], ttlMs: 1000, clock, staleIfError: false });
    const failed = await strict.discover();
    expect(failed.candidates).toEqual([]);
    expect(failed.providers[0]).toMatchObject({ status: 'failed', count: 0, listedAt: undefined });
  });
});

describe('createDiscoveryService: queries', () => {
  const providers = () => [
    fakeProvider({
      name: 'alpha',
      models: fixed([
        model('org/small', { sizeBytes: 10, downloads: 5, license: 'mit' }),
        model('org/large', { sizeBytes: 1000, downloads: 50, license: 'cc-by-nc-4.0' }),
      ]),
    }),
    fakeProvider({
      name: 'beta',
      models: fixed([model('org/speech', { tasks: ['automatic-speech-recognition'], library: 'onnx' })]),
    }),
  ];

  test('pushes text, task, modality and library down, and filters, sorts and pages the rest', async () => {
    const [alpha, beta] = providers();
    const discovery = createDiscoveryService({ providers: [alpha!, beta!], maxCandidatesPerProvider: 50 });
    const result = await discovery.discover({
      task: 'text-classification',
      license: { deny: ['non-commercial'] },
      maxSizeBytes: 100,
      sort: 'downloads',
      limit: 5,
    });
    expect(ids(result.candidates)).toEqual(['org/small']);
    expect(result.total).toBe(1);
    expect(result.facets.tasks).toEqual([{ value: 'text-classification', count: 1 }]);
    const { signal, ...pushed } = alpha!.queries[0]!;
    expect(signal).toBeInstanceOf(AbortSignal);
    expect(pushed).toEqual({ task: 'text-classification', limit: 50 });
    const paged = await discovery.discover({ sort: 'size', limit: 1, offset: 1 });
    expect(paged.total).toBe(3);
    expect(paged.candidates.map((candidate) => candidate.id)).toEqual(['org/large']);
  });

  test('`provider` asks only that provider', async () => {
    const [alpha, beta] = providers();
    const discovery = createDiscoveryService({ providers: [alpha!, beta!] });
    const result = await discovery.discover({ provider: 'beta' });
    expect(ids(result.candidates)).toEqual(['org/speech']);
    expect(alpha!.queries).toHaveLength(0);
    expect(result.providers.map((summary) => summary.provider)).toEqual(['beta']);
    expect(result.candidates[0]?.providers).toEqual(['beta']);
  });

  test('invalid queries throw before any provider is asked', async () => {
    const [alpha] = providers();
    const discovery = createDiscoveryService({ providers: [alpha!] });
    await expect(discovery.discover({ limit: -1 })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(discovery.discover({ minSizeBytes: 10, maxSizeBytes: 1 })).rejects.toBeInstanceOf(
      ContradictoryConstraintsError,
    );
    await expect(discovery.discover({ provider: 'gamma' })).rejects.toThrow(/'alpha'/);
    await expect(discovery.discover({}, { cache: false } as never)).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    expect(alpha!.queries).toHaveLength(0);
  });

  test('a listing that reaches maxCandidatesPerProvider is truncated', async () => {
    const many = Array.from({ length: 10 }, (_, index) => model(`org/m${index}`));
    const discovery = createDiscoveryService({
      providers: [fakeProvider({ name: 'p', models: fixed(many) })],
      maxCandidatesPerProvider: 4,
    });
    const result = await discovery.discover({ limit: 100 });
    expect(result.total).toBe(4);
    expect(result.providers[0]).toMatchObject({ count: 4, truncated: true });
  });

  test('no providers: an empty result', async () => {
    const result = await createDiscoveryService({ providers: [] }).discover();
    expect(result).toMatchObject({ candidates: [], total: 0, errors: [], providers: [] });
  });
});

describe('createDiscoveryService: abort', () => {
  test('aborting rejects with the reason at once and aborts the providers', async () => {
    const controller = new AbortController();
    let listing = 0;
    const onList = () => {
      listing += 1;
      if (listing === 2) controller.abort(new Error('user gave up'));
    };
    const hanging = fakeProvider({ name: 'hanging', models: fixed([]), behavior: 'hang', onList });
    const silent = fakeProvider({ name: 'silent', models: fixed([]), behavior: 'ignore-abort', onList });
    const discovery = createDiscoveryService({ providers: [hanging, silent] });
    await expect(discovery.discover({}, { signal: controller.signal })).rejects.toThrow('user gave up');
    expect(hanging.aborted).toBe(1);
    expect(silent.aborted).toBe(1);
  });

  test('an aborted signal rejects without asking anyone', async () => {
    const provider = fakeProvider({ name: 'p', models: fixed([model('org/a')]) });
    const discovery = createDiscoveryService({ providers: [provider] });
    const controller = new AbortController();
    controller.abort();
    await expect(discovery.discover({}, { signal: controller.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
    await expect(discovery.refresh({ signal: controller.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(provider.queries).toHaveLength(0);
  });

  test('a shared listing goes on when one of its callers aborts', async () => {
    const provider = fakeProvider({ name: 'p', models: fixed([model('org/a')]), turns: 3 });
    const discovery = createDiscoveryService({ providers: [provider] });
    const controller = new AbortController();
    const leaving = discovery.discover({}, { signal: controller.signal });
    const staying = discovery.discover();
    controller.abort(new Error('left'));
    await expect(leaving).rejects.toThrow('left');
    expect(ids((await staying).candidates)).toEqual(['org/a']);
    expect(provider.aborted).toBe(0);
  });
});

describe('createDiscoveryService: refresh and change events', () => {
  test('added, updated (by revision) and removed, as a result and as events', async () => {
    let models: ModelCandidate[] = [
      model('org/a', { revision: '1'.repeat(40), downloads: 1 }),
      model('org/b', { lastModified: '2025-01-01T00:00:00.000Z' }),
      model('org/c'),
    ];
    const provider = fakeProvider({ name: 'p', models: () => models });
    const discovery = createDiscoveryService({ providers: [provider] });
    const added: ModelAddedEvent[] = [];
    const updated: ModelUpdatedEvent[] = [];
    const removed: ModelRemovedEvent[] = [];
    discovery.events.on('model_added', (event) => added.push(event));
    discovery.events.on('model_updated', (event) => updated.push(event));
    discovery.events.on('model_removed', (event) => removed.push(event));

    const first = await discovery.refresh();
    expect(ids(first.added)).toEqual(['org/a', 'org/b', 'org/c']);
    expect(ids(added.map((event) => event.candidate))).toEqual(['org/a', 'org/b', 'org/c']);
    expect(ids(discovery.knownModels())).toEqual(['org/a', 'org/b', 'org/c']);

    models = [
      // Only popularity changed: not an update.
      model('org/a', { revision: '1'.repeat(40), downloads: 99 }),
      model('org/b', { lastModified: '2025-02-01T00:00:00.000Z' }),
      model('org/d', { revision: '4'.repeat(40) }),
    ];
    const second = await discovery.refresh();
    expect(ids(second.added)).toEqual(['org/d']);
    expect(
      second.updated.map((change) => [change.previous.lastModified, change.candidate.lastModified]),
    ).toEqual([['2025-01-01T00:00:00.000Z', '2025-02-01T00:00:00.000Z']]);
    expect(ids(second.removed)).toEqual(['org/c']);
    expect(updated).toHaveLength(1);
    expect(ids(removed.map((event) => event.candidate))).toEqual(['org/c']);

    expect(await discovery.refresh()).toEqual({ added: [], updated: [], removed: [], errors: [] });
  });

  test('a failed, truncated or filtered listing never removes models', async () => {
    let models: unknown[] = [model('org/a'), model('org/b'), model('org/c')];
    let failing = false;
    const provider = fakeProvider({
      name: 'p',
      models: () => {
        if (failing) throw new Error('offline');
        return models;
      },
    });
    const discovery = createDiscoveryService({
      providers: [provider],
      maxCandidatesPerProvider: 2,
      ttlMs: 0,
    });
    await discovery.refresh();
    expect(ids(discovery.knownModels())).toEqual(['org/a', 'org/b']);
    models = [model('org/c'), model('org/d'), model('org/e')];
    const truncated = await discovery.refresh();
    expect(truncated.removed).toEqual([]);
    expect(ids(truncated.added)).toEqual(['org/c', 'org/d']);
    failing = true;
    const failed = await discovery.refresh();
    expect(failed.removed).toEqual([]);
    expect(failed.errors[0]).toMatchObject({ provider: 'p', reason: 'failed' });
    failing = false;
    models = [model('org/a')];
    await discovery.discover({ text: 'a' });
    expect(discovery.knownModels()).toHaveLength(4);
    // A malformed candidate makes the listing incomplete too.
    models = [model('org/a'), { id: 7 }];
    expect((await discovery.refresh()).removed).toEqual([]);
  });

  test('discover reports changes too; a cache download updates the merged model', async () => {
    const hubModels = [model('org/a', { revision: '1'.repeat(40), downloads: 10 })];
    let cached: ModelCandidate[] = [];
    const discovery = createDiscoveryService({
      providers: [
        fakeProvider({ name: 'huggingface', models: () => hubModels }),
        fakeProvider({ name: 'hf-cache', models: () => cached }),
      ],
      ttlMs: 0,
    });
    const updated: ModelUpdatedEvent[] = [];
    discovery.events.on('model_updated', (event) => updated.push(event));
    await discovery.discover();
    cached = [model('org/a', { revision: '1'.repeat(40), dtypes: ['q8'], localPath: '/models/org/a' })];
    await discovery.discover();
    expect(updated).toHaveLength(1);
    expect(updated[0]?.previous.providers).toEqual(['huggingface']);
    expect(updated[0]?.candidate).toMatchObject({
      providers: ['huggingface', 'hf-cache'],
      localPath: '/models/org/a',
      localCopies: [{ provider: 'hf-cache', dtypes: ['q8'], path: '/models/org/a' }],
    });
  });

  test('refresh drops cached filtered listings of the providers that answered', async () => {
    const provider = fakeProvider({ name: 'p', models: fixed([model('org/a')]) });
    const discovery = createDiscoveryService({ providers: [provider] });
    await discovery.discover({ text: 'a' });
    await discovery.refresh();
    await discovery.discover();
    expect(provider.queries).toHaveLength(2);
    await discovery.discover({ text: 'a' });
    expect(provider.queries).toHaveLength(3);
  });
});

describe('createDiscoveryService: progress events', () => {
  test('provider_started and provider_finished with count, duration (service clock) and errors', async () => {
    const clock = manualClock();
    const discovery = createDiscoveryService({
      providers: [
        fakeProvider({
          name: 'slow',
          models: fixed([model('org/a'), model('org/b')]),
          onList: () => clock.advance(250),
        }),
        fakeProvider({ name: 'broken', models: fixed([]), behavior: 'throw', error: new Error('nope') }),
      ],
      clock,
    });
    const started: ProviderStartedEvent[] = [];
    const finished: ProviderFinishedEvent[] = [];
    discovery.events.on('provider_started', (event) => started.push(event));
    discovery.events.on('provider_finished', (event) => finished.push(event));
    await discovery.discover({ library: 'transformers.js' });
    expect(started).toEqual([
      { provider: 'slow', operation: 'listModels', query: { library: 'transformers.js' } },
      { provider: 'broken', operation: 'listModels', query: { library: 'transformers.js' } },
    ]);
    const byProvider = Object.fromEntries(finished.map((event) => [event.provider, event]));
    expect(byProvider.slow).toEqual({
      provider: 'slow',
      operation: 'listModels',
      count: 2,
      durationMs: 250,
      truncated: false,
    });
    expect(byProvider.broken).toMatchObject({ count: 0, error: { reason: 'failed' } });
    // A cached listing asks no one; a failure is not cached.
    await discovery.discover({ library: 'transformers.js' });
    expect(started.map((event) => event.provider)).toEqual(['slow', 'broken', 'broken']);
  });
});

describe('createDiscoveryService: getModel', () => {
  test('merges the providers that have it and reports those that failed', async () => {
    const discovery = createDiscoveryService({
      providers: [
        fakeProvider({ name: 'huggingface', models: fixed([model('org/a', { downloads: 7 })]) }),
        fakeProvider({ name: 'hf-cache', models: fixed([model('org/a', { localPath: '/cache/a' })]) }),
        fakeProvider({ name: 'ollama', models: fixed([model('org/a', { library: 'gguf' })]) }),
        fakeProvider({ name: 'down', models: fixed([]), behavior: 'throw', error: new Error('nope') }),
      ],
    });
    const { candidates, errors } = await discovery.getModel('org/a');
    expect(candidates.map((candidate) => candidate.providers)).toEqual([
      ['huggingface', 'hf-cache'],
      ['ollama'],
    ]);
    expect(candidates[0]).toMatchObject({ downloads: 7, localPath: '/cache/a' });
    expect(errors).toEqual([expect.objectContaining({ provider: 'down', operation: 'getModel' })]);
    expect((await discovery.getModel('org/a', { provider: 'ollama' })).candidates).toHaveLength(1);
    expect((await discovery.getModel('org/none')).candidates).toEqual([]);
    await expect(discovery.getModel('')).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  test('a provider that hangs is timed out; aborting rejects', async () => {
    const discovery = createDiscoveryService({
      providers: [fakeProvider({ name: 'hanging', models: fixed([]), behavior: 'hang' })],
      providerTimeoutMs: 20,
    });
    const { errors } = await discovery.getModel('org/a');
    expect(errors[0]).toMatchObject({ reason: 'timed-out', operation: 'getModel' });
    const controller = new AbortController();
    const pending = discovery.getModel('org/a', { signal: controller.signal });
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
  });
});

describe('createDiscoveryService: options', () => {
  test('invalid options are rejected with the option named', () => {
    const provider = fakeProvider({ name: 'p', models: fixed([]) });
    const invalid: [unknown, RegExp][] = [
      [
        { providers: [provider, fakeProvider({ name: 'p', models: fixed([]) })] },
        /duplicate provider name 'p'/,
      ],
      [{ providers: [{ name: 'x' }] }, /providers\[0\]/],
      [{ providers: 'p' }, /options.providers/],
      [{ providers: [provider], concurrency: 0 }, /concurrency/],
      [{ providers: [provider], providerTimeoutMs: -1 }, /providerTimeoutMs/],
      [{ providers: [provider], ttlMs: Number.NaN }, /ttlMs/],
      [{ providers: [provider], maxCandidatesPerProvider: 1.5 }, /maxCandidatesPerProvider/],
      [{ providers: [provider], repositoryProviders: { p: 'remote' } }, /repositoryProviders.p/],
      [{ providers: [provider], clock: {} }, /clock/],
      [{ providers: [provider], retries: 3 }, /options.retries/],
    ];
    for (const [options, message] of invalid) {
      expect(() => createDiscoveryService(options as never)).toThrow(message);
    }
    expect(Object.isFrozen(DISCOVERY_DEFAULTS)).toBe(true);
    expect(Object.isFrozen(DISCOVERY_DEFAULTS.repositoryProviders)).toBe(true);
    expect(
      createDiscoveryService({ providers: [provider], concurrency: Number.POSITIVE_INFINITY }).providerNames,
    ).toEqual(['p']);
  });

  test('seeded, shuffled provider orders give the same merged result', async () => {
    const random = seededRandom(7);
    const make = () => [
      fakeProvider({
        name: 'huggingface',
        models: fixed([model('org/a', { downloads: 3 }), model('org/b')]),
      }),
      fakeProvider({ name: 'hf-cache', models: fixed([model('org/b', { localPath: '/b' })]) }),
      fakeProvider({ name: 'local-directory', models: fixed([model('org/a', { localPath: '/a' })]) }),
    ];
    const reference = await createDiscoveryService({ providers: make() }).discover({ sort: 'downloads' });
    for (let round = 0; round < 5; round++) {
      const shuffled = make().sort(() => random.next() - 0.5);
      const result = await createDiscoveryService({ providers: shuffled }).discover({ sort: 'downloads' });
      expect(
        result.candidates.map((candidate) => [candidate.id, candidate.provider, candidate.localPath]),
      ).toEqual(
        reference.candidates.map((candidate) => [candidate.id, candidate.provider, candidate.localPath]),
      );
    }
  });
});
