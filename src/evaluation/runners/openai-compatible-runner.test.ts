import { afterEach, describe, expect, test } from 'vitest';
import { ApiCallError } from '../../errors/api-call-error.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import { runnerConformance } from '../../testing/runner-conformance.js';
import { openAICompatibleRunner, openAIEndpoint } from './openai-compatible-runner.js';
import { createOpenAIReplayServer, openAIChatEvents } from './testing/openai-replay-server.js';
import { replayEmbedding } from './testing/replay-replies.js';
import { streamFaultTests } from './testing/stream-fault-tests.js';
import type { StreamingReplayServer } from './testing/streaming-replay-server.js';

const API_KEY = 'sk-test-ABCDEF0123456789';
const GENERATOR = { id: 'gpt-replay', provider: 'openai-compatible', tasks: ['text-generation' as const] };
const EMBEDDER = {
  id: 'text-embedding-replay',
  provider: 'openai-compatible',
  tasks: ['feature-extraction' as const],
};
const TOOLS = [
  {
    type: 'function' as const,
    function: {
      name: 'search',
      description: 'Searches',
      parameters: { type: 'object', properties: { text: { type: 'string' } } },
    },
  },
];

runnerConformance(
  { test },
  {
    name: 'openAICompatibleRunner (chat, replay server)',
    create: async () => {
      const server = await createOpenAIReplayServer({ apiKey: API_KEY });
      return {
        runner: openAICompatibleRunner({ baseUrl: server.url, apiKey: API_KEY }),
        candidate: GENERATOR,
        task: 'text-generation',
        inputs: [
          'first prompt',
          [{ role: 'user', content: 'second prompt' }],
          { prompt: 'third', tools: TOOLS },
        ],
        unsupported: { candidate: { id: 'llama3.2', provider: 'ollama' }, task: 'text-generation' },
        close: () => server.close(),
      };
    },
  },
);

runnerConformance(
  { test },
  {
    name: 'openAICompatibleRunner (embeddings, replay server)',
    create: async () => {
      const server = await createOpenAIReplayServer();
      return {
        runner: openAICompatibleRunner({ baseUrl: `${server.url}/v1` }),
        candidate: EMBEDDER,
        task: 'feature-extraction',
        inputs: ['alpha', 'beta'],
        close: () => server.close(),
      };
    },
  },
);

streamFaultTests({
  name: 'openAICompatibleRunner',
  createServer: (override) => createOpenAIReplayServer({ override }),
  load: (server, http) =>
    openAICompatibleRunner({ baseUrl: server.url, ...http }).load(GENERATOR, 'text-generation'),
  isGeneration: (request) => request.path === '/v1/chat/completions',
  stream: {
    contentType: 'text/event-stream',
    chunks: openAIChatEvents(GENERATOR.id, { messages: [{ role: 'user', content: 'one two three four' }] }),
  },
  malformedChunk: 'data: {"id": "chatcmpl-replay", "choices": [\n\n',
  input: 'one two three four',
});

describe('openAICompatibleRunner', () => {
  let server: StreamingReplayServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  test('streams text with usage tokens and time to first token; sends the key only as a header', async () => {
    server = await createOpenAIReplayServer({ apiKey: API_KEY });
    const runner = openAICompatibleRunner({ baseUrl: server.url, apiKey: API_KEY, maxTokens: 32, seed: 7 });
    const model = await runner.load(GENERATOR, 'text-generation');
    const [prediction] = await model.predict(['hello there friend']);
    expect(prediction).toMatchObject({ output: 'echo: hello there friend', tokens: 4, inputTokens: 3 });
    expect(prediction!.timings!.firstTokenMs).toBeGreaterThanOrEqual(0);
    expect(prediction!.timings!.firstTokenMs).toBeLessThanOrEqual(prediction!.timings!.totalMs!);
    const [request] = server.requests;
    expect(request!.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request!.json).toEqual({
      model: GENERATOR.id,
      messages: [{ role: 'user', content: 'hello there friend' }],
      stream: true,
      temperature: 0,
      stream_options: { include_usage: true },
      max_tokens: 32,
      seed: 7,
    });
    expect(request!.body).not.toContain(API_KEY);
  });

  test('accumulates streamed tool-call deltas and passes JSON mode through', async () => {
    server = await createOpenAIReplayServer();
    const runner = openAICompatibleRunner({
      baseUrl: server.url,
      responseFormat: { type: 'json_object' },
      model: 'served-name',
    });
    const model = await runner.load(GENERATOR, 'text-generation');
    const [prediction] = await model.predict([
      { messages: [{ role: 'user', content: 'find "cats"' }], tools: TOOLS },
    ]);
    expect(prediction!.output).toEqual({
      text: '',
      toolCalls: [{ name: 'search', arguments: { text: 'find "cats"' } }],
    });
    expect(server.requests[0]!.json).toMatchObject({
      model: 'served-name',
      tools: TOOLS,
      response_format: { type: 'json_object' },
    });
  });

  test('keeps tool-call arguments that are not a JSON object as raw text', async () => {
    server = await createOpenAIReplayServer({
      override: () => ({
        contentType: 'text/event-stream',
        chunks: [
          'data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"c","type":"function","function":{"name":"f","arguments":"{not"}}]},"finish_reason":null}]}\n\n',
          ': keep-alive comment\n\n',
          'data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":" json"}}]},"finish_reason":"tool_calls"}]}\n\n',
          'data: [DONE]\n\n',
        ],
      }),
    });
    const model = await openAICompatibleRunner({ baseUrl: server.url, includeUsage: false }).load(
      GENERATOR,
      'text-generation',
    );
    const [prediction] = await model.predict(['x']);
    expect(prediction!.output).toEqual({
      text: '',
      toolCalls: [{ name: 'f', arguments: {}, rawArguments: '{not json' }],
    });
    expect(prediction!.tokens).toBeUndefined();
    expect(server.requests[0]!.json).not.toHaveProperty('stream_options');
  });

  test('embeds a batch in one /v1/embeddings call, ordered by index', async () => {
    server = await createOpenAIReplayServer({
      override: (request) =>
        request.path === '/v1/embeddings'
          ? {
              json: {
                object: 'list',
                data: [
                  { object: 'embedding', index: 1, embedding: replayEmbedding('b') },
                  { object: 'embedding', index: 0, embedding: replayEmbedding('a') },
                ],
                model: EMBEDDER.id,
                usage: { prompt_tokens: 2, total_tokens: 2 },
              },
            }
          : undefined,
    });
    const model = await openAICompatibleRunner({ baseUrl: server.url }).load(EMBEDDER, 'feature-extraction');
    const predictions = await model.predict(['a', 'b']);
    expect(predictions.map((prediction) => prediction.output)).toEqual([
      replayEmbedding('a'),
      replayEmbedding('b'),
    ]);
    expect(server.requests[0]).toMatchObject({
      path: '/v1/embeddings',
      json: { model: EMBEDDER.id, input: ['a', 'b'] },
    });
  });

  test('never puts the API key in errors, even when the server echoes it', async () => {
    server = await createOpenAIReplayServer({
      override: () => ({
        status: 401,
        json: { error: { message: `Incorrect API key provided: ${API_KEY}`, type: 'invalid_request_error' } },
      }),
    });
    const model = await openAICompatibleRunner({
      baseUrl: `${server.url}/v1?api-key=${API_KEY}`,
      apiKey: API_KEY,
    }).load(GENERATOR, 'text-generation');
    const error = await model.predict(['x']).catch((caught: unknown) => caught);
    expect(ApiCallError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ statusCode: 401, isRetryable: false });
    expect(String((error as Error).message)).not.toContain(API_KEY);
    expect(JSON.stringify({ ...(error as object), message: (error as Error).message })).not.toContain(
      API_KEY,
    );
    const embedError = await (
      await openAICompatibleRunner({ baseUrl: server.url, apiKey: API_KEY }).load(
        EMBEDDER,
        'feature-extraction',
      )
    )
      .predict(['x'])
      .catch((caught: unknown) => caught);
    expect((embedError as Error).message).not.toContain(API_KEY);
  });

  test('never puts the API key in errors of a 200 stream: an error event or a chunk that is not JSON', async () => {
    const chunks = [
      `data: {"error":{"message":"Incorrect API key provided: ${API_KEY}","type":"invalid_request_error"}}\n\n`,
      `data: key ${API_KEY} is not valid\n\n`,
    ];
    let reply = 0;
    server = await createOpenAIReplayServer({
      override: () => ({ contentType: 'text/event-stream', chunks: [chunks[reply++ % chunks.length]!] }),
    });
    const model = await openAICompatibleRunner({ baseUrl: server.url, apiKey: API_KEY }).load(
      GENERATOR,
      'text-generation',
    );
    for (const expected of [/mid-stream/, /not JSON/]) {
      const error = await model.predict(['x']).catch((caught: unknown) => caught);
      expect(ApiCallError.isInstance(error)).toBe(true);
      expect((error as Error).message).toMatch(expected);
      expect((error as Error).message).not.toContain(API_KEY);
    }
  });

  test('timeoutMs: Infinity (or beyond what a Node timer holds) means no timeout, not an instant one', async () => {
    server = await createOpenAIReplayServer();
    for (const timeoutMs of [Number.POSITIVE_INFINITY, 2 ** 31]) {
      const model = await openAICompatibleRunner({
        baseUrl: server.url,
        timeoutMs,
        maxAttempts: 1,
        // A connection that takes 10 ms to open.
        fetch: async (url, init) => {
          await new Promise((resolve) => setTimeout(resolve, 10));
          return fetch(url, init);
        },
      }).load(GENERATOR, 'text-generation');
      const [prediction] = await model.predict(['hello']);
      expect(prediction!.output).toBe('echo: hello');
    }
  });

  test('reports an error event mid-stream, and builds endpoints from the base URL', async () => {
    server = await createOpenAIReplayServer({
      override: () => ({
        contentType: 'text/event-stream',
        chunks: ['data: {"error":{"message":"context length exceeded","type":"invalid_request_error"}}\n\n'],
      }),
    });
    const model = await openAICompatibleRunner({ baseUrl: server.url }).load(GENERATOR, 'text-generation');
    await expect(model.predict(['x'])).rejects.toThrow(/context length exceeded/);
    expect(openAIEndpoint('http://127.0.0.1:8080', 'embeddings')).toBe('http://127.0.0.1:8080/v1/embeddings');
    expect(openAIEndpoint('http://h/api/v1/', 'chat/completions')).toBe('http://h/api/v1/chat/completions');
    expect(() => openAICompatibleRunner({ baseUrl: 'not a url' })).toThrow(InvalidArgumentError);
  });
});
