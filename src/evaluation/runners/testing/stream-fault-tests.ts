import { expect, test } from 'vitest';
import type { HttpClientOptions } from '../../../discovery/providers/http-json.js';
import { ApiCallError } from '../../../errors/api-call-error.js';
import type { LoadedModel } from '../../spec.js';
import type {
  StreamingRecordedRequest,
  StreamingReplayResponse,
  StreamingReplayServer,
} from './streaming-replay-server.js';

/** What {@link streamFaultTests} needs from a streaming runner's test file. */
export interface StreamFaultSubject {
  readonly name: string;
  /** Starts the runner's replay server with `override` answering generation requests. */
  readonly createServer: (
    override: (request: StreamingRecordedRequest) => StreamingReplayResponse | undefined,
  ) => Promise<StreamingReplayServer>;
  /** Loads a generator through the runner against `server` with these HTTP options. */
  readonly load: (server: StreamingReplayServer, http: HttpClientOptions) => Promise<LoadedModel>;
  /** Whether a request is a generation request (not a preload). */
  readonly isGeneration: (request: StreamingRecordedRequest) => boolean;
  /** The content type and well-formed chunks of a whole answer to `input`. */
  readonly stream: { readonly contentType: string; readonly chunks: readonly string[] };
  /** A chunk that breaks the protocol (not JSON where JSON is expected). */
  readonly malformedChunk: string;
  readonly input: unknown;
}

const noSleep = async () => {};

function activeTimers(): number {
  return process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
}

/**
 * The faults an evaluator must be able to report, at the runner level: a connection closed
 * mid-stream, a hung server (before and during the stream), a malformed chunk, a stream that ends
 * without its final chunk, an abort mid-stream; each a typed error (or the abort reason), with no
 * connection and no timer left behind, and failures before the body retried.
 */
export function streamFaultTests(subject: StreamFaultSubject): void {
  const { chunks, contentType } = subject.stream;

  async function run(
    answer: StreamingReplayResponse | ((call: number) => StreamingReplayResponse),
    http: HttpClientOptions,
    act: (model: LoadedModel, server: StreamingReplayServer) => Promise<void>,
  ): Promise<StreamingReplayServer> {
    let calls = 0;
    const server = await subject.createServer((request) =>
      subject.isGeneration(request) ? (typeof answer === 'function' ? answer(calls++) : answer) : undefined,
    );
    try {
      const model = await subject.load(server, { sleep: noSleep, ...http });
      const timersBefore = activeTimers();
      await act(model, server);
      // The stream's connection is gone from the server's side (the replay server saw it close).
      // Node 20's fetch (undici) closes a connection aborted right after an I/O event lazily, up to
      // its 4 s keep-alive timeout later; this waits for that close, not for a fixed time.
      await server.allConnectionsClosed();
      expect(activeTimers()).toBeLessThanOrEqual(timersBefore);
      await model.dispose();
    } finally {
      await server.close();
    }
    return server;
  }

  test(`${subject.name}: a connection closed mid-stream is a retryable ApiCallError, not retried`, async () => {
    const server = await run(
      { contentType, chunks: chunks.slice(0, 2), ending: 'close' },
      { maxAttempts: 3 },
      async (model) => {
        const error = await model.predict([subject.input]).catch((caught: unknown) => caught);
        expect(ApiCallError.isInstance(error)).toBe(true);
        expect(error).toMatchObject({ isRetryable: true, statusCode: 200 });
        expect((error as Error).message).toMatch(/stream broke off|ended before/);
      },
    );
    expect(server.requests.filter(subject.isGeneration)).toHaveLength(1);
  });

  test(`${subject.name}: a hung server times out with an ApiCallError`, async () => {
    await run({ behavior: 'hang' }, { timeoutMs: 150, maxAttempts: 1 }, async (model) => {
      const error = await model.predict([subject.input]).catch((caught: unknown) => caught);
      expect(ApiCallError.isInstance(error)).toBe(true);
      expect((error as Error).message).toContain('Timed out after 150 ms');
    });
  });

  test(`${subject.name}: a stream that stalls after its first chunks times out`, async () => {
    await run(
      { contentType, chunks: chunks.slice(0, 1), ending: 'hang' },
      { timeoutMs: 150, maxAttempts: 3 },
      async (model) => {
        const error = await model.predict([subject.input]).catch((caught: unknown) => caught);
        expect(ApiCallError.isInstance(error)).toBe(true);
        expect((error as Error).message).toContain('while streaming');
      },
    );
  });

  test(`${subject.name}: a malformed chunk is a non-retryable ApiCallError`, async () => {
    await run(
      { contentType, chunks: [chunks[0]!, subject.malformedChunk, ...chunks.slice(1)], ending: 'hang' },
      {},
      async (model) => {
        const error = await model.predict([subject.input]).catch((caught: unknown) => caught);
        expect(ApiCallError.isInstance(error)).toBe(true);
        expect(error).toMatchObject({ isRetryable: false });
        expect((error as Error).message).toContain('Malformed stream chunk');
      },
    );
  });

  test(`${subject.name}: a stream that ends cleanly without its final chunk is an ApiCallError`, async () => {
    await run({ contentType, chunks: chunks.slice(0, 2) }, {}, async (model) => {
      const error = await model.predict([subject.input]).catch((caught: unknown) => caught);
      expect(ApiCallError.isInstance(error)).toBe(true);
      expect((error as Error).message).toContain('The stream ended before');
    });
  });

  test(`${subject.name}: an abort mid-stream rejects with the signal's reason`, async () => {
    let arrived: () => void = () => {};
    const requestArrived = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    const server = await subject.createServer((request) => {
      if (!subject.isGeneration(request)) return undefined;
      arrived();
      return { contentType, chunks: chunks.slice(0, 1), ending: 'hang' };
    });
    try {
      const model = await subject.load(server, {});
      const timersBefore = activeTimers();
      const controller = new AbortController();
      const reason = new Error('the evaluation was cancelled');
      const pending = model.predict([subject.input, subject.input], { signal: controller.signal });
      await requestArrived;
      controller.abort(reason);
      await expect(pending).rejects.toBe(reason);
      await server.allConnectionsClosed();
      expect(activeTimers()).toBeLessThanOrEqual(timersBefore);
      expect(server.requests.filter(subject.isGeneration)).toHaveLength(1);
      await model.dispose();
    } finally {
      await server.close();
    }
  });

  test(`${subject.name}: a 503 before the stream is retried`, async () => {
    const server = await run(
      (call) => (call === 0 ? { status: 503, json: { error: 'busy' } } : { contentType, chunks }),
      { maxAttempts: 2 },
      async (model) => {
        const [prediction] = await model.predict([subject.input]);
        expect(prediction?.output).toBeDefined();
      },
    );
    expect(server.requests.filter(subject.isGeneration)).toHaveLength(2);
  });
}
