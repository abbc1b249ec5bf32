import { afterEach, describe, expect, test } from 'vitest';
import { ApiCallError } from '../../errors/api-call-error.js';
import { providerConformance } from '../../testing/provider-conformance.js';
import { openRouter, openRouterPricing } from './open-router.js';
import { OPEN_ROUTER_MODELS } from './testing/open-router-fixtures.js';
import { createReplayServer, type ReplayServer } from './testing/replay-server.js';

providerConformance(
  { test },
  {
    name: 'openRouter (replay server)',
    create: async () => {
      const server = await createReplayServer({ 'GET /api/v1/models': { json: OPEN_ROUTER_MODELS } });
      return {
        provider: openRouter({ baseUrl: `${server.url}/api/v1` }),
        knownModelId: 'openai/gpt-4o-mini',
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

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const result: T[] = [];
  for await (const item of iterable) result.push(item);
  return result;
}

async function provider(options: Parameters<typeof openRouter>[0] = {}) {
  server = await createReplayServer({ 'GET /api/v1/models': { json: OPEN_ROUTER_MODELS } });
  return openRouter({ baseUrl: `${server.url}/api/v1/`, ...options });
}

describe('openRouter', () => {
  test('normalizes pricing per million tokens, context length, capabilities and modalities', async () => {
    const [gpt, llama, sonar, auto] = await collect((await provider()).listModels({}));
    expect(gpt).toMatchObject({
      id: 'openai/gpt-4o-mini',
      provider: 'openrouter',
      tasks: ['text-generation', 'image-text-to-text'],
      modalities: ['nlp', 'multimodal'],
      family: 'gpt',
      contextLength: 128000,
      pricing: { inputPerMillionTokensUsd: 0.15, outputPerMillionTokensUsd: 0.6 },
      lastModified: '2024-07-18T00:00:00.000Z',
    });
    expect(gpt?.pricing?.perRequestUsd).toBeUndefined();
    expect(gpt?.capabilities).toEqual([
      'logprobs',
      'json-mode',
      'structured-outputs',
      'tools',
      'vision',
      'file-input',
    ]);
    expect(llama).toMatchObject({
      tasks: ['text-generation'],
      family: 'llama3',
      capabilities: ['tools'],
      pricing: { inputPerMillionTokensUsd: 0.02, outputPerMillionTokensUsd: 0.03 },
    });
    expect(sonar?.pricing).toEqual({
      inputPerMillionTokensUsd: 1,
      outputPerMillionTokensUsd: 1,
      perRequestUsd: 0.005,
    });
    expect(sonar?.family).toBeUndefined();
    expect(sonar?.capabilities).toEqual(['web-search', 'vision']);
    // The router prices itself -1: unknown, not negative.
    expect(auto?.pricing).toBeUndefined();
    expect(auto?.capabilities).toBeUndefined();
  });

  test('text matches id or display name; task and limit', async () => {
    const models = await provider();
    expect((await collect(models.listModels({ text: 'meta: llama' }))).map((c) => c.id)).toEqual([
      'meta-llama/llama-3.1-8b-instruct',
    ]);
    expect((await collect(models.listModels({ text: 'sonar' }))).map((c) => c.id)).toEqual([
      'perplexity/sonar',
    ]);
    expect((await collect(models.listModels({ task: 'image-text-to-text' }))).map((c) => c.id)).toEqual([
      'openai/gpt-4o-mini',
      'perplexity/sonar',
    ]);
    expect(await collect(models.listModels({ limit: 3 }))).toHaveLength(3);
    expect((await models.getModel('perplexity/sonar'))?.contextLength).toBe(127072);
    expect(await models.getModel('nobody/nothing')).toBeUndefined();
  });

  test('sends the key as a bearer token and keeps it out of errors', async () => {
    const apiKey = 'sk-or-v1-TOPSECRET';
    const models = await provider({ apiKey });
    await collect(models.listModels({ limit: 1 }));
    expect(server?.requests[0]?.headers.authorization).toBe(`Bearer ${apiKey}`);
    await server?.close();
    server = await createReplayServer({
      'GET /api/v1/models': (request) => ({
        status: 401,
        json: {
          error: { message: `No auth credentials found for ${request.headers.authorization}`, code: 401 },
        },
      }),
    });
    const error = await collect(openRouter({ baseUrl: `${server.url}/api/v1`, apiKey }).listModels({})).catch(
      (reason: unknown) => reason,
    );
    expect(ApiCallError.isInstance(error)).toBe(true);
    expect((error as ApiCallError).isRetryable).toBe(false);
    expect((error as Error).message).not.toContain(apiKey);
    expect((error as ApiCallError).url).not.toContain(apiKey);
  });

  test('5xx: retried a bounded number of times, then a retryable error', async () => {
    server = await createReplayServer({
      'GET /api/v1/models': { status: 502, text: '<html>Bad gateway</html>' },
    });
    const waits: number[] = [];
    const models = openRouter({
      baseUrl: `${server.url}/api/v1`,
      maxAttempts: 3,
      sleep: async (milliseconds) => void waits.push(milliseconds),
    });
    const error = await collect(models.listModels({})).catch((reason: unknown) => reason);
    expect(ApiCallError.isInstance(error) && error.isRetryable && error.statusCode === 502).toBe(true);
    expect(server.requests).toHaveLength(3);
    expect(waits).toHaveLength(2);
  });

  test('openRouterPricing', () => {
    expect(openRouterPricing({ prompt: '0.000003', completion: '0.000015', request: '0' })).toEqual({
      inputPerMillionTokensUsd: 3,
      outputPerMillionTokensUsd: 15,
    });
    expect(openRouterPricing({ prompt: '0', completion: '0' })).toEqual({
      inputPerMillionTokensUsd: 0,
      outputPerMillionTokensUsd: 0,
    });
    expect(openRouterPricing({ prompt: 'free' })).toBeUndefined();
    expect(openRouterPricing(null)).toBeUndefined();
  });
});
