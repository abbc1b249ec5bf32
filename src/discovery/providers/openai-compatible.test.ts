import { afterEach, describe, expect, test } from 'vitest';
import { ApiCallError } from '../../errors/api-call-error.js';
import { providerConformance } from '../../testing/provider-conformance.js';
import { openAICompatible, openAIModelsUrl, taskFromModelId } from './openai-compatible.js';
import { LLAMA_CPP_MODELS, OPENAI_MODELS, VLLM_MODELS } from './testing/openai-compatible-fixtures.js';
import { createReplayServer, type ReplayServer } from './testing/replay-server.js';

const flavors = [
  { flavor: 'OpenAI', body: OPENAI_MODELS, knownModelId: 'gpt-4o-mini' },
  { flavor: 'vLLM', body: VLLM_MODELS, knownModelId: 'Qwen/Qwen2.5-1.5B-Instruct' },
  { flavor: 'llama.cpp', body: LLAMA_CPP_MODELS, knownModelId: 'models/qwen2.5-0.5b-instruct-q8_0.gguf' },
];

for (const { flavor, body, knownModelId } of flavors) {
  providerConformance(
    { test },
    {
      name: `openAICompatible (${flavor} replay server)`,
      create: async () => {
        const server = await createReplayServer({ 'GET /v1/models': { json: body } });
        return {
          provider: openAICompatible({ baseUrl: `${server.url}/v1`, apiKey: 'sk-local' }),
          knownModelId,
          close: server.close,
        };
      },
    },
  );
}

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

describe('openAICompatible', () => {
  test('reads vLLM max_model_len', async () => {
    server = await createReplayServer({ 'GET /v1/models': { json: VLLM_MODELS } });
    const [qwen, lora] = await collect(
      openAICompatible({ baseUrl: server.url, name: 'vllm' }).listModels({}),
    );
    expect(qwen).toMatchObject({
      id: 'Qwen/Qwen2.5-1.5B-Instruct',
      provider: 'vllm',
      tasks: ['text-generation'],
      modalities: ['nlp'],
      contextLength: 32768,
    });
    expect(qwen?.library).toBeUndefined();
    expect(lora?.contextLength).toBeUndefined();
    expect(server.requests[0]?.path).toBe('/v1/models');
    expect(server.requests[0]?.headers.authorization).toBeUndefined();
  });

  test("reads llama.cpp's meta and sends the bearer key", async () => {
    server = await createReplayServer({ 'GET /v1/models': { json: LLAMA_CPP_MODELS } });
    const models = openAICompatible({ baseUrl: `${server.url}/v1/`, apiKey: 'sk-llama' });
    const [qwen, nomic] = await collect(models.listModels({}));
    expect(qwen).toMatchObject({
      provider: 'openai-compatible',
      library: 'gguf',
      contextLength: 32768,
      parameters: 494032768,
      sizeBytes: 531066880,
    });
    expect(nomic).toMatchObject({ tasks: ['feature-extraction'], contextLength: 2048 });
    expect(server.requests[0]?.headers.authorization).toBe('Bearer sk-llama');
  });

  test('query text, task and limit; getModel lists and finds', async () => {
    server = await createReplayServer({ 'GET /v1/models': { json: OPENAI_MODELS } });
    const models = openAICompatible({ baseUrl: `${server.url}/v1` });
    expect((await collect(models.listModels({ text: 'EMBEDDING' }))).map((c) => c.id)).toEqual([
      'text-embedding-3-small',
    ]);
    expect(
      (await collect(models.listModels({ task: 'automatic-speech-recognition' }))).map((c) => c.id),
    ).toEqual(['whisper-1']);
    expect(await collect(models.listModels({ limit: 2 }))).toHaveLength(2);
    expect((await models.getModel('dall-e-3'))?.tasks).toEqual(['text-to-image']);
    expect(await models.getModel('gpt-5-imaginary')).toBeUndefined();
  });

  test('401: not retryable, the API key in neither message nor url', async () => {
    const apiKey = 'sk-proj-VERY-SECRET-abcdef';
    server = await createReplayServer({
      'GET /v1/models': (request) => ({
        status: 401,
        json: {
          error: { message: `Incorrect API key provided: ${request.headers.authorization}`, type: 'x' },
        },
      }),
    });
    const waits: number[] = [];
    const models = openAICompatible({
      baseUrl: `${server.url}/v1`,
      apiKey,
      sleep: async (milliseconds) => void waits.push(milliseconds),
    });
    const error = await collect(models.listModels({})).catch((reason: unknown) => reason);
    expect(ApiCallError.isInstance(error)).toBe(true);
    const apiError = error as ApiCallError;
    expect(apiError.statusCode).toBe(401);
    expect(apiError.isRetryable).toBe(false);
    expect(apiError.message).not.toContain(apiKey);
    expect(apiError.url).not.toContain(apiKey);
    expect(apiError.url).toBe(`${server.url}/v1/models`);
    expect(waits).toEqual([]);
  });

  test('429 with Retry-After then success', async () => {
    server = await createReplayServer({
      'GET /v1/models': [{ status: 429, headers: { 'retry-after': '1' }, json: {} }, { json: OPENAI_MODELS }],
    });
    const waits: number[] = [];
    const models = openAICompatible({
      baseUrl: server.url,
      sleep: async (milliseconds) => void waits.push(milliseconds),
    });
    expect(await collect(models.listModels({}))).toHaveLength(5);
    expect(waits).toEqual([1000]);
  });

  test('a body without data is a typed, non-retryable error', async () => {
    server = await createReplayServer({ 'GET /v1/models': { json: { object: 'list' } } });
    const error = await openAICompatible({ baseUrl: server.url })
      .getModel('x')
      .catch((reason: unknown) => reason);
    expect(ApiCallError.isInstance(error) && !error.isRetryable).toBe(true);
  });

  test('openAIModelsUrl and taskFromModelId', () => {
    expect(openAIModelsUrl('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080/v1/models');
    expect(openAIModelsUrl('http://127.0.0.1:8000/v1')).toBe('http://127.0.0.1:8000/v1/models');
    expect(openAIModelsUrl('https://api.groq.com/openai/v1/')).toBe('https://api.groq.com/openai/v1/models');
    expect(taskFromModelId('BAAI/bge-small-en-v1.5')).toBe('feature-extraction');
    expect(taskFromModelId('tts-1-hd')).toBe('text-to-speech');
    expect(taskFromModelId('mistral-7b-instruct')).toBe('text-generation');
  });
});
