import { afterEach, describe, expect, test } from 'vitest';
import { ApiCallError } from '../../errors/api-call-error.js';
import { providerConformance } from '../../testing/provider-conformance.js';
import { ollama, ollamaHost, ollamaLicense, parseParameterSize } from './ollama.js';
import { OLLAMA_PS, OLLAMA_SHOW, OLLAMA_TAGS } from './testing/ollama-fixtures.js';
import { createReplayServer, type ReplayRoutes, type ReplayServer } from './testing/replay-server.js';

function ollamaRoutes(overrides: ReplayRoutes = {}): ReplayRoutes {
  return {
    'GET /api/tags': { json: OLLAMA_TAGS },
    'GET /api/ps': { json: OLLAMA_PS },
    'POST /api/show': (request) => {
      const model = (request.json as { model?: string } | undefined)?.model ?? '';
      const name = model.includes(':') ? model : `${model}:latest`;
      const shown = OLLAMA_SHOW[name];
      return shown === undefined
        ? { status: 404, json: { error: `model '${model}' not found` } }
        : { json: shown };
    },
    ...overrides,
  };
}

providerConformance(
  { test },
  {
    name: 'ollama (replay server)',
    create: async () => {
      const server = await createReplayServer(ollamaRoutes());
      return { provider: ollama({ host: server.url }), knownModelId: 'llama3.1:8b', close: server.close };
    },
  },
);

let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function provider(overrides: ReplayRoutes = {}, options: Parameters<typeof ollama>[0] = {}) {
  server = await createReplayServer(ollamaRoutes(overrides));
  return { server, provider: ollama({ host: server.url, sleep: async () => {}, ...options }) };
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const result: T[] = [];
  for await (const item of iterable) result.push(item);
  return result;
}

describe('ollama', () => {
  test('normalizes /api/tags + /api/show + /api/ps', async () => {
    const { provider: models } = await provider();
    const candidates = await collect(models.listModels({}));
    expect(candidates.map((candidate) => candidate.id)).toEqual([
      'llama3.1:8b',
      'nomic-embed-text:latest',
      'gemma3:270m',
      'llava:7b',
    ]);
    const [llama, nomic, gemma, llava] = candidates;
    expect(llama).toMatchObject({
      provider: 'ollama',
      tasks: ['text-generation'],
      modalities: ['nlp'],
      capabilities: ['completion', 'tools', 'loaded'],
      library: 'gguf',
      family: 'llama',
      license: 'llama3.1',
      sizeBytes: 4920753328,
      parameters: 8030261312,
      memoryBytes: 6654289920,
      dtypes: ['q4_k_m'],
      revision: '46e0c10c039e019119339687c3c1757cc81b9da49709a3b3924863ba87ca666e',
      contextLength: 131072,
      lastModified: '2024-08-01T17:12:45.123Z',
    });
    const raw = llama?.raw as { show: Record<string, unknown>; running: unknown };
    expect(raw.show).not.toHaveProperty('license');
    expect(raw.show).not.toHaveProperty('modelfile');
    expect(raw.running).toBeDefined();
    expect(nomic).toMatchObject({
      tasks: ['feature-extraction'],
      capabilities: ['embedding'],
      family: 'nomic-bert',
      license: 'apache-2.0',
      parameters: 136727040,
      dtypes: ['f16'],
      contextLength: 2048,
    });
    expect(nomic?.memoryBytes).toBeUndefined();
    expect(gemma).toMatchObject({ license: 'gemma', contextLength: 32768, parameters: 268098176 });
    expect(llava).toMatchObject({
      tasks: ['text-generation', 'image-text-to-text'],
      modalities: ['nlp', 'multimodal'],
      capabilities: ['completion', 'vision'],
    });
    expect(llava?.license).toBeUndefined();
  });

  test('without details: tags only, embedding recognized by family, parameters from parameter_size', async () => {
    const { provider: models, server: replay } = await provider({}, { details: false });
    const candidates = await collect(models.listModels({}));
    expect(replay.requests.some((request) => request.path === '/api/show')).toBe(false);
    expect(candidates[0]).toMatchObject({ parameters: 8_000_000_000, capabilities: ['loaded'] });
    expect(candidates[1]).toMatchObject({ tasks: ['feature-extraction'], parameters: 137_000_000 });
    expect(candidates[2]?.parameters).toBe(268_100_000);
    expect(candidates[0]?.contextLength).toBeUndefined();
  });

  test('query: text, task, limit; /api/show only for text matches', async () => {
    const { provider: models, server: replay } = await provider();
    expect((await collect(models.listModels({ text: 'EMBED' }))).map((c) => c.id)).toEqual([
      'nomic-embed-text:latest',
    ]);
    expect(
      replay.requests.filter((request) => request.path === '/api/show').map((request) => request.json),
    ).toEqual([{ model: 'nomic-embed-text:latest' }]);
    expect((await collect(models.listModels({ task: 'feature-extraction' }))).map((c) => c.id)).toEqual([
      'nomic-embed-text:latest',
    ]);
    expect((await collect(models.listModels({ task: 'image-text-to-text' }))).map((c) => c.id)).toEqual([
      'llava:7b',
    ]);
    expect(await collect(models.listModels({ limit: 0 }))).toEqual([]);
    expect(await collect(models.listModels({ limit: 2 }))).toHaveLength(2);
  });

  test('getModel uses /api/show and resolves an untagged name to :latest', async () => {
    const { provider: models } = await provider();
    const nomic = await models.getModel('nomic-embed-text');
    expect(nomic).toMatchObject({ id: 'nomic-embed-text:latest', sizeBytes: 274302450, contextLength: 2048 });
    expect(await models.getModel('no-such-model')).toBeUndefined();
  });

  test('a server without /api/ps still lists; other failures are ApiCallErrors', async () => {
    const { provider: models } = await provider({
      'GET /api/ps': { status: 404, json: { error: 'not found' } },
    });
    const candidates = await collect(models.listModels({}));
    expect(candidates).toHaveLength(4);
    expect(candidates.every((candidate) => !candidate.capabilities?.includes('loaded'))).toBe(true);
    await server?.close();
    const broken = await createReplayServer(ollamaRoutes({ 'GET /api/tags': { json: { model: [] } } }));
    server = broken;
    const error = await collect(ollama({ host: broken.url }).listModels({})).catch(
      (reason: unknown) => reason,
    );
    expect(ApiCallError.isInstance(error)).toBe(true);
    expect((error as ApiCallError).isRetryable).toBe(false);
  });

  test('a 500 on /api/show fails the listing after bounded retries', async () => {
    const { provider: models, server: replay } = await provider(
      { 'POST /api/show': { status: 500, json: { error: 'runner crashed' } } },
      { maxAttempts: 2 },
    );
    const error = await collect(models.listModels({ text: 'gemma' })).catch((reason: unknown) => reason);
    expect(ApiCallError.isInstance(error) && error.isRetryable && error.statusCode === 500).toBe(true);
    expect(replay.requests.filter((request) => request.path === '/api/show')).toHaveLength(2);
  });
});

describe('ollama helpers', () => {
  test('ollamaHost reads URLs and OLLAMA_HOST forms', () => {
    expect(ollamaHost(undefined)).toBe('http://127.0.0.1:11434');
    expect(ollamaHost('')).toBe('http://127.0.0.1:11434');
    expect(ollamaHost('0.0.0.0')).toBe('http://0.0.0.0:11434');
    expect(ollamaHost('gpu-box:8080')).toBe('http://gpu-box:8080');
    expect(ollamaHost('https://ollama.example.test/')).toBe('https://ollama.example.test');
    expect(ollamaHost('http://127.0.0.1:11434')).toBe('http://127.0.0.1:11434');
  });

  test('OLLAMA_HOST is honored when no host is given', async () => {
    server = await createReplayServer(ollamaRoutes());
    const previous = process.env.OLLAMA_HOST;
    process.env.OLLAMA_HOST = server.url.replace('http://', '');
    try {
      expect(await collect(ollama().listModels({ limit: 1 }))).toHaveLength(1);
    } finally {
      if (previous === undefined) delete process.env.OLLAMA_HOST;
      else process.env.OLLAMA_HOST = previous;
    }
  });

  test('parseParameterSize', () => {
    expect(parseParameterSize('8.0B')).toBe(8e9);
    expect(parseParameterSize('270M')).toBe(2.7e8);
    expect(parseParameterSize('1.2T')).toBe(1.2e12);
    expect(parseParameterSize('33K')).toBe(33_000);
    expect(parseParameterSize('lots')).toBeUndefined();
    expect(parseParameterSize(7)).toBeUndefined();
  });

  test('ollamaLicense keeps recognized ids only', () => {
    expect(ollamaLicense('MIT License\n\nCopyright (c) 2024')).toBe('mit');
    expect(ollamaLicense('apache-2.0')).toBe('apache-2.0');
    expect(ollamaLicense('\nCC-BY-NC-4.0\n')).toBe('cc-by-nc-4.0');
    expect(ollamaLicense('Proprietary terms, call us')).toBeUndefined();
    expect(ollamaLicense(undefined)).toBeUndefined();
  });
});
