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
 * A stand-in for an OpenAI-compatible server, written from the documented shapes of OpenAI's
 * API reference: `POST /v1/chat/completions` with `stream: true` answers server-sent events
 * `data: {chat.completion.chunk}` (a first delta with the role, content deltas, tool-call
 * deltas `{ index, id, type, function: { name, arguments } }` whose `arguments` arrive in
 * pieces, a last chunk with `finish_reason`, then — with `stream_options.include_usage` — a
 * chunk with empty `choices` and `usage`), then `data: [DONE]`; `POST /v1/embeddings` answers
 * `{ object: 'list', data: [{ object: 'embedding', index, embedding }], model, usage }`; errors
 * are `{ error: { message, type, code } }`. Replies are those of `replay-replies.ts`.
 */
export interface OpenAIReplayOptions {
  /** The bearer token it requires; other requests answer 401. @default none required */
  readonly apiKey?: string;
  /** Answers instead of the default when it returns a response (fault injection). */
  readonly override?: (request: StreamingRecordedRequest) => StreamingReplayResponse | undefined;
}

const CREATED = 1_735_689_600;

/** The server-sent events (each `data: …\n\n`) of a streamed chat completion. */
export function openAIChatEvents(
  model: string,
  body: { messages?: unknown; tools?: unknown; stream_options?: { include_usage?: unknown } },
): string[] {
  const text = lastUserText(body.messages);
  const tool = firstToolName(body.tools);
  const base = {
    id: 'chatcmpl-replay',
    object: 'chat.completion.chunk',
    created: CREATED,
    model,
    system_fingerprint: 'fp_replay',
  };
  const event = (value: unknown) => `data: ${JSON.stringify(value)}\n\n`;
  const choice = (delta: unknown, finish: string | null) => ({
    ...base,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  });
  const events: string[] = [];
  let completionTokens: number;
  if (tool !== undefined) {
    const argumentsText = JSON.stringify({ text });
    const pieces = [argumentsText.slice(0, 5), argumentsText.slice(5, 12), argumentsText.slice(12)];
    events.push(
      event(
        choice(
          {
            role: 'assistant',
            content: null,
            tool_calls: [
              { index: 0, id: 'call_replay', type: 'function', function: { name: tool, arguments: '' } },
            ],
          },
          null,
        ),
      ),
      ...pieces.map((piece) =>
        event(choice({ tool_calls: [{ index: 0, function: { arguments: piece } }] }, null)),
      ),
      event(choice({}, 'tool_calls')),
    );
    completionTokens = pieces.length;
  } else {
    const tokens = replyTokens(replyTo(text));
    events.push(
      event(choice({ role: 'assistant', content: '' }, null)),
      ...tokens.map((token) => event(choice({ content: token }, null))),
      event(choice({}, 'stop')),
    );
    completionTokens = tokens.length;
  }
  if (body.stream_options?.include_usage === true) {
    const promptTokens = promptTokenCount(text);
    events.push(
      event({
        ...base,
        choices: [],
        usage: {
          prompt_tokens: promptTokens,
          completion_tokens: completionTokens,
          total_tokens: promptTokens + completionTokens,
        },
      }),
    );
  }
  events.push('data: [DONE]\n\n');
  return events;
}

/** Starts an OpenAI-compatible replay server on 127.0.0.1 (routes under `/v1`). */
export function createOpenAIReplayServer(options: OpenAIReplayOptions = {}): Promise<StreamingReplayServer> {
  return createStreamingReplayServer((request) => {
    const override = options.override?.(request);
    if (override !== undefined) return override;
    if (options.apiKey !== undefined && request.headers.authorization !== `Bearer ${options.apiKey}`) {
      return {
        status: 401,
        json: {
          error: {
            message: 'Incorrect API key provided',
            type: 'invalid_request_error',
            code: 'invalid_api_key',
          },
        },
      };
    }
    if (request.method !== 'POST') return undefined;
    const body = (request.json ?? {}) as Record<string, unknown>;
    const model = typeof body.model === 'string' ? body.model : '';
    switch (request.path) {
      case '/v1/chat/completions':
        if (body.stream !== true)
          return {
            status: 400,
            json: { error: { message: 'the replay server only streams', type: 'invalid_request_error' } },
          };
        return { contentType: 'text/event-stream', chunks: openAIChatEvents(model, body) };
      case '/v1/embeddings': {
        const input = Array.isArray(body.input) ? (body.input as string[]) : [String(body.input)];
        const tokens = input.reduce((sum, text) => sum + promptTokenCount(text), 0);
        return {
          json: {
            object: 'list',
            data: input.map((text, index) => ({
              object: 'embedding',
              index,
              embedding: replayEmbedding(text),
            })),
            model,
            usage: { prompt_tokens: tokens, total_tokens: tokens },
          },
        };
      }
      default:
        return undefined;
    }
  });
}
