import { afterEach, describe, expect, test } from 'vitest';
import { ApiCallError } from '../../errors/api-call-error.js';
import { RunnerError } from '../../errors/runner-error.js';
import { runnerConformance } from '../../testing/runner-conformance.js';
import { ollamaRunner } from './ollama-runner.js';
import {
  createOllamaReplayServer,
  OLLAMA_REPLAY_LOAD_NANOSECONDS,
  ollamaChatChunks,
} from './testing/ollama-replay-server.js';
import { replayEmbedding } from './testing/replay-replies.js';
import { streamFaultTests } from './testing/stream-fault-tests.js';
import type { StreamingReplayServer } from './testing/streaming-replay-server.js';

const GENERATOR = { id: 'llama3.2:latest', provider: 'ollama', tasks: ['text-generation' as const] };
const EMBEDDER = { id: 'all-minilm:latest', provider: 'ollama', tasks: ['feature-extraction' as const] };

runnerConformance(
  { test },
  {
    name: 'ollamaRunner (chat, replay server)',
    create: async () => {
      const server = await createOllamaReplayServer({ models: [GENERATOR.id] });
      return {
        runner: ollamaRunner({ host: server.url }),
        candidate: GENERATOR,
        task: 'text-generation',
        inputs: [[{ role: 'user', content: 'first prompt' }], 'second prompt', { prompt: 'third prompt' }],
        unsupported: { candidate: { id: 'x', provider: 'huggingface' }, task: 'text-generation' },
        close: () => server.close(),
      };
    },
  },
);

runnerConformance(
  { test },
  {
    name: 'ollamaRunner (embed, replay server)',
    create: async () => {
      const server = await createOllamaReplayServer();
      return {
        runner: ollamaRunner({ host: server.url }),
        candidate: EMBEDDER,
        task: 'feature-extraction',
        inputs: ['alpha', 'beta', 'gamma'],
        unsupported: { candidate: EMBEDDER, task: 'text-classification' },
        close: () => server.close(),
      };
    },
  },
);

streamFaultTests({
  name: 'ollamaRunner',
  createServer: (override) => createOllamaReplayServer({ override }),
  load: (server, http) => ollamaRunner({ host: server.url, ...http }).load(GENERATOR, 'text-generation'),
  isGeneration: (request) => request.path === '/api/chat',
  stream: {
    contentType: 'application/x-ndjson',
    chunks: ollamaChatChunks(GENERATOR.id, { messages: [{ role: 'user', content: 'one two three four' }] }),
  },
  malformedChunk: '{"model": "llama3.2", "message": {\n',
  input: [{ role: 'user', content: 'one two three four' }],
});

describe('ollamaRunner', () => {
  let server: StreamingReplayServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  test('streams a chat answer: text, eval_count tokens, tokens/s, load time and time to first token', async () => {
    server = await createOllamaReplayServer();
    const runner = ollamaRunner({
      host: server.url,
      maxTokens: 64,
      keepAlive: '1m',
      modelOptions: { num_ctx: 2048 },
    });
    const model = await runner.load(GENERATOR, 'text-generation');
    expect(model.loadMs).toBeGreaterThanOrEqual(0);
    const [prediction] = await model.predict([
      [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: 'hello there' },
      ],
    ]);
    expect(prediction).toMatchObject({ output: 'echo: hello there', tokens: 3, inputTokens: 2 });
    expect(prediction!.timings).toMatchObject({
      tokensPerSecond: 50,
      loadMs: OLLAMA_REPLAY_LOAD_NANOSECONDS / 1e6,
    });
    expect(prediction!.timings!.firstTokenMs).toBeGreaterThanOrEqual(0);
    expect(prediction!.timings!.firstTokenMs).toBeLessThanOrEqual(prediction!.timings!.totalMs!);
    const [preload, chat] = server.requests;
    expect(preload).toMatchObject({
      path: '/api/generate',
      json: { model: GENERATOR.id, stream: false, keep_alive: '1m' },
    });
    expect(chat).toMatchObject({
      path: '/api/chat',
      json: {
        model: GENERATOR.id,
        stream: true,
        keep_alive: '1m',
        options: { temperature: 0, num_predict: 64, num_ctx: 2048 },
        messages: [
          { role: 'system', content: 'be brief' },
          { role: 'user', content: 'hello there' },
        ],
      },
    });
    await model.dispose();
  });

  test('sends a prompt string to /api/generate, tools and JSON mode to /api/chat', async () => {
    server = await createOllamaReplayServer();
    const tools = [
      { type: 'function' as const, function: { name: 'lookup', parameters: { type: 'object' } } },
    ];
    const runner = ollamaRunner({ host: server.url, preload: false, format: 'json' });
    const model = await runner.load(GENERATOR, 'text-generation');
    const predictions = await model.predict(['plain prompt', { prompt: 'find cats', tools }]);
    expect(predictions[0]!.output).toBe('echo: plain prompt');
    expect(predictions[1]!.output).toEqual({
      text: '',
      toolCalls: [{ name: 'lookup', arguments: { text: 'find cats' } }],
    });
    expect(server.requests.map((request) => request.path)).toEqual(['/api/generate', '/api/chat']);
    expect(server.requests[0]!.json).toMatchObject({ prompt: 'plain prompt', format: 'json' });
    expect(server.requests[1]!.json).toMatchObject({
      tools,
      format: 'json',
      messages: [{ role: 'user', content: 'find cats' }],
    });
    const chatOnly = await ollamaRunner({ host: server.url, preload: false, endpoint: 'chat' }).load(
      GENERATOR,
      'text-generation',
    );
    await chatOnly.predict(['again']);
    expect(server.requests.at(-1)!.path).toBe('/api/chat');
  });

  test('embeds a batch in one /api/embed call', async () => {
    server = await createOllamaReplayServer();
    const model = await ollamaRunner({ host: server.url }).load(EMBEDDER, 'feature-extraction');
    const predictions = await model.predict(['a', 'b']);
    expect(predictions.map((prediction) => prediction.output)).toEqual([
      replayEmbedding('a'),
      replayEmbedding('b'),
    ]);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]).toMatchObject({
      path: '/api/embed',
      json: { model: EMBEDDER.id, input: ['a', 'b'] },
    });
  });

  test('reports an error line mid-stream, an unknown model at load, and unloads on dispose when asked', async () => {
    server = await createOllamaReplayServer({
      models: [GENERATOR.id],
      override: (request) =>
        request.path === '/api/chat'
          ? { contentType: 'application/x-ndjson', chunks: ['{"error":"out of memory"}\n'] }
          : undefined,
    });
    const runner = ollamaRunner({ host: server.url, unloadOnDispose: true, maxAttempts: 1 });
    const model = await runner.load(GENERATOR, 'text-generation');
    const error = await model.predict([[{ role: 'user', content: 'x' }]]).catch((caught: unknown) => caught);
    expect(ApiCallError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('out of memory');
    await model.dispose();
    expect(server.requests.at(-1)).toMatchObject({ path: '/api/generate', json: { keep_alive: 0 } });
    const missing = await runner
      .load({ ...GENERATOR, id: 'missing:latest' }, 'text-generation')
      .catch((caught: unknown) => caught);
    expect(RunnerError.isInstance(missing) && missing.reason).toBe('load-failed');
    expect((missing as RunnerError).cause).toMatchObject({ name: 'ApiCallError', statusCode: 404 });
  });
});
