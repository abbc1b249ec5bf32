import {
  firstToolName,
  lastUserText,
  promptTokenCount,
  replayEmbedding,
  replyTo,
  replyTokens,
} from './replay-replies.js';
import {
  createStreamingReplayServer,
  type StreamingRecordedRequest,
  type StreamingReplayResponse,
  type StreamingReplayServer,
} from './streaming-replay-server.js';

/**
 * A stand-in for an Ollama server, written from the documented shapes of Ollama's API
 * (docs/api.md: `POST /api/chat` and `POST /api/generate` streaming NDJSON objects with
 * `done: false`, then a final object with `done: true`, `done_reason`, `total_duration`,
 * `load_duration`, `prompt_eval_count`, `prompt_eval_duration`, `eval_count`, `eval_duration`
 * in nanoseconds; `POST /api/embed` answering `{ model, embeddings, … }`; an empty `/api/generate`
 * loads a model and answers `done_reason: 'load'`; errors are `{ error }`).
 * Replies are those of `replay-replies.ts`: `'echo: <last user text>'`, one word per chunk, or
 * a call of the first offered tool with `{ text }` as arguments.
 */
export interface OllamaReplayOptions {
  /** Models it knows; others answer 404 `{ error: "model '…' not found" }`. @default every model */
  readonly models?: readonly string[];
  /** Answers instead of the default when it returns a response (fault injection). */
  readonly override?: (request: StreamingRecordedRequest) => StreamingReplayResponse | undefined;
}

/** Nanoseconds the replay server reports per generated token (so tokens/s is 50). */
export const OLLAMA_REPLAY_NANOSECONDS_PER_TOKEN = 20_000_000;
/** Nanoseconds the replay server reports as `load_duration`. */
export const OLLAMA_REPLAY_LOAD_NANOSECONDS = 5_000_000;

const CREATED_AT = '2025-01-01T00:00:00.000000000Z';

/** The final NDJSON object of a stream (durations in nanoseconds). */
function finalFields(promptText: string, evalCount: number) {
  return {
    done: true,
    done_reason: 'stop',
    total_duration:
      OLLAMA_REPLAY_LOAD_NANOSECONDS + evalCount * OLLAMA_REPLAY_NANOSECONDS_PER_TOKEN + 1_000_000,
    load_duration: OLLAMA_REPLAY_LOAD_NANOSECONDS,
    prompt_eval_count: promptTokenCount(promptText),
    prompt_eval_duration: 1_000_000,
    eval_count: evalCount,
    eval_duration: evalCount * OLLAMA_REPLAY_NANOSECONDS_PER_TOKEN,
  };
}

/** The NDJSON lines (each ending in `\n`) of a streamed `/api/chat` answer. */
export function ollamaChatChunks(model: string, body: { messages?: unknown; tools?: unknown }): string[] {
  const text = lastUserText(body.messages);
  const tool = firstToolName(body.tools);
  const line = (value: unknown) => `${JSON.stringify(value)}\n`;
  if (tool !== undefined) {
    return [
      line({
        model,
        created_at: CREATED_AT,
        message: {
          role: 'assistant',
          content: '',
          tool_calls: [{ function: { name: tool, arguments: { text } } }],
        },
        done: false,
      }),
      line({
        model,
        created_at: CREATED_AT,
        message: { role: 'assistant', content: '' },
        ...finalFields(text, 1),
      }),
    ];
  }
  const tokens = replyTokens(replyTo(text));
  return [
    ...tokens.map((token) =>
      line({ model, created_at: CREATED_AT, message: { role: 'assistant', content: token }, done: false }),
    ),
    line({
      model,
      created_at: CREATED_AT,
      message: { role: 'assistant', content: '' },
      ...finalFields(text, tokens.length),
    }),
  ];
}

/** The NDJSON lines of a streamed `/api/generate` answer. */
export function ollamaGenerateChunks(model: string, prompt: string): string[] {
  const tokens = replyTokens(replyTo(prompt));
  const line = (value: unknown) => `${JSON.stringify(value)}\n`;
  return [
    ...tokens.map((token) => line({ model, created_at: CREATED_AT, response: token, done: false })),
    line({
      model,
      created_at: CREATED_AT,
      response: '',
      context: [1, 2, 3],
      ...finalFields(prompt, tokens.length),
    }),
  ];
}

/** Starts an Ollama replay server on 127.0.0.1. */
export function createOllamaReplayServer(options: OllamaReplayOptions = {}): Promise<StreamingReplayServer> {
  return createStreamingReplayServer((request) => {
    const override = options.override?.(request);
    if (override !== undefined) return override;
    if (request.method !== 'POST') return undefined;
    const body = (request.json ?? {}) as Record<string, unknown>;
    const model = typeof body.model === 'string' ? body.model : '';
    if (options.models !== undefined && !options.models.includes(model)) {
      return { status: 404, json: { error: `model '${model}' not found` } };
    }
    const stream = body.stream !== false;
    const ndjson = (chunks: string[]): StreamingReplayResponse =>
      stream ? { contentType: 'application/x-ndjson', chunks } : { json: JSON.parse(chunks.at(-1)!) };
    switch (request.path) {
      case '/api/chat':
        return ndjson(ollamaChatChunks(model, body));
      case '/api/generate':
        if (body.prompt === undefined) {
          // Loading (or, with keep_alive 0, unloading) a model.
          return {
            json: {
              model,
              created_at: CREATED_AT,
              response: '',
              done: true,
              done_reason: body.keep_alive === 0 ? 'unload' : 'load',
            },
          };
        }
        return ndjson(ollamaGenerateChunks(model, String(body.prompt)));
      case '/api/embed': {
        const input = Array.isArray(body.input) ? (body.input as string[]) : [String(body.input)];
        return {
          json: {
            model,
            embeddings: input.map(replayEmbedding),
            total_duration: 2_000_000,
            load_duration: OLLAMA_REPLAY_LOAD_NANOSECONDS,
            prompt_eval_count: input.reduce((sum, text) => sum + promptTokenCount(text), 0),
          },
        };
      }
      default:
        return undefined;
    }
  });
}
