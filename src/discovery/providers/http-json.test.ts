import { afterEach, describe, expect, test } from 'vitest';
import { manualClock } from '../../clock/manual-clock.js';
import { ApiCallError } from '../../errors/api-call-error.js';
import { seededRandom } from '../../random/seeded-random.js';
import { fetchJson, parseRetryAfter, redactUrl } from './http-json.js';
import { createReplayServer, type ReplayRoutes, type ReplayServer } from './testing/replay-server.js';

let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(routes: ReplayRoutes): Promise<ReplayServer> {
  server = await createReplayServer(routes);
  return server;
}

function recordingSleep() {
  const waits: number[] = [];
  return { waits, sleep: async (milliseconds: number) => void waits.push(milliseconds) };
}

async function failure(promise: Promise<unknown>): Promise<ApiCallError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(ApiCallError.isInstance(error)).toBe(true);
  return error as ApiCallError;
}

describe('fetchJson', () => {
  test('returns parsed JSON and sends POST bodies and headers', async () => {
    const { url, requests } = await start({ 'POST /echo': (request) => ({ json: { got: request.json } }) });
    const body = await fetchJson({
      url: `${url}/echo`,
      method: 'POST',
      body: { model: 'x' },
      headers: { 'x-test': '1' },
    });
    expect(body).toEqual({ got: { model: 'x' } });
    expect(requests[0]?.headers['content-type']).toBe('application/json');
    expect(requests[0]?.headers['x-test']).toBe('1');
  });

  test('429 with Retry-After, then success: waits what the server asked', async () => {
    const { url, requests } = await start({
      'GET /models': [
        { status: 429, headers: { 'retry-after': '2' }, json: { error: 'slow down' } },
        { status: 429, headers: { 'retry-after-ms': '150' }, json: { error: 'slow down' } },
        { json: { data: [] } },
      ],
    });
    const { waits, sleep } = recordingSleep();
    expect(await fetchJson({ url: `${url}/models` }, { sleep, maxAttempts: 3 })).toEqual({ data: [] });
    expect(waits).toEqual([2000, 150]);
    expect(requests).toHaveLength(3);
  });

  test('Retry-After as an HTTP date is read against the injected clock', () => {
    const clock = manualClock(Date.parse('2025-01-01T00:00:00Z'));
    const headers = new Headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:05 GMT' });
    expect(parseRetryAfter(headers, clock.now())).toBe(5000);
    expect(parseRetryAfter(new Headers({ 'retry-after': 'soon' }), 0)).toBeUndefined();
    expect(parseRetryAfter(new Headers(), 0)).toBeUndefined();
  });

  test('a Retry-After longer than maxDelayMs is not waited for', async () => {
    const { url, requests } = await start({
      'GET /models': { status: 503, headers: { 'retry-after': '3600' }, json: { error: 'maintenance' } },
    });
    const { waits, sleep } = recordingSleep();
    const error = await failure(fetchJson({ url: `${url}/models` }, { sleep, maxDelayMs: 10_000 }));
    expect(error.retryAfterMs).toBe(3_600_000);
    expect(waits).toEqual([]);
    expect(requests).toHaveLength(1);
  });

  test('500: retryable, tried maxAttempts times with exponential backoff and jitter', async () => {
    const { url, requests } = await start({ 'GET /models': { status: 500, json: { error: 'boom' } } });
    const { waits, sleep } = recordingSleep();
    const error = await failure(
      fetchJson(
        { url: `${url}/models` },
        { sleep, maxAttempts: 4, initialDelayMs: 100, random: seededRandom(1) },
      ),
    );
    expect(error.statusCode).toBe(500);
    expect(error.isRetryable).toBe(true);
    expect(error.message).toContain('boom');
    expect(requests).toHaveLength(4);
    expect(waits).toHaveLength(3);
    for (const [index, wait] of waits.entries()) {
      const backoff = 100 * 2 ** index;
      expect(wait).toBeGreaterThanOrEqual(backoff / 2);
      expect(wait).toBeLessThanOrEqual(backoff);
    }
  });

  test('401: not retryable, and the secret is neither in the message nor the url', async () => {
    const key = 'sk-test-SECRET-1234567890';
    const { url, requests } = await start({
      // Like some real APIs, this one echoes the credential it rejected.
      'GET /models': (request) => ({
        status: 401,
        json: { error: { message: `Incorrect API key provided: ${request.headers.authorization}` } },
      }),
    });
    const { waits, sleep } = recordingSleep();
    const error = await failure(
      fetchJson(
        { url: `${url.replace('http://', `http://user:${key}@`)}/models?api_key=${key}`, secrets: [key] },
        { sleep, fetch: (input, init) => fetch(String(input).replace(`user:${key}@`, ''), init) },
      ),
    );
    expect(error.statusCode).toBe(401);
    expect(error.isRetryable).toBe(false);
    expect(error.message).toContain('Incorrect API key provided');
    expect(error.message).not.toContain(key);
    expect(error.url).not.toContain(key);
    expect(JSON.stringify(error)).not.toContain(key);
    expect(waits).toEqual([]);
    expect(requests).toHaveLength(1);
  });

  test('malformed JSON: a non-retryable ApiCallError', async () => {
    const { url, requests } = await start({ 'GET /models': { text: '{"data": [' } });
    const error = await failure(fetchJson({ url: `${url}/models` }, { sleep: async () => {} }));
    expect(error.statusCode).toBe(200);
    expect(error.isRetryable).toBe(false);
    expect(error.message).toMatch(/not valid JSON/);
    expect(requests).toHaveLength(1);
  });

  test('a server that never answers: timeout error, retried, then thrown', async () => {
    const { url, requests } = await start({ 'GET /models': { behavior: 'hang' } });
    const { waits, sleep } = recordingSleep();
    const error = await failure(
      fetchJson({ url: `${url}/models` }, { timeoutMs: 50, maxAttempts: 2, sleep }),
    );
    expect(error.message).toMatch(/Timed out after 50 ms/);
    expect(error.statusCode).toBeUndefined();
    expect(error.isRetryable).toBe(true);
    expect(requests).toHaveLength(2);
    expect(waits).toHaveLength(1);
  });

  test('a connection closed mid-response: retryable error with the status that arrived', async () => {
    const { url, requests } = await start({
      'GET /models': [{ behavior: 'close-mid-body' }, { json: { data: ['ok'] } }],
    });
    const error = await failure(fetchJson({ url: `${url}/models` }, { maxAttempts: 1 }));
    expect(error.isRetryable).toBe(true);
    expect(error.statusCode).toBe(200);
    expect(error.message).toMatch(/Reading the response failed/);
    // With retries the next attempt succeeds.
    expect(await fetchJson({ url: `${url}/models` }, { sleep: async () => {} })).toEqual({ data: ['ok'] });
    expect(requests).toHaveLength(2);
  });

  test('timeoutMs beyond what a Node timer holds (or Infinity) means no timeout, not an instant one', async () => {
    // A server that takes 20 ms: a timer of 2^31 ms or more would fire after 1 ms and abort it.
    const slowFetch: typeof fetch = (_input, init) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => resolve(Response.json({ ok: true })), 20);
        init?.signal?.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(init.signal?.reason);
        });
      });
    for (const timeoutMs of [Number.POSITIVE_INFINITY, 2 ** 31, 2 ** 40]) {
      expect(
        await fetchJson({ url: 'http://127.0.0.1:1/slow' }, { fetch: slowFetch, timeoutMs, maxAttempts: 1 }),
      ).toEqual({ ok: true });
    }
  });

  test('a connection refused: retryable error without a status', async () => {
    const closed = await createReplayServer({});
    await closed.close();
    const error = await failure(fetchJson({ url: `${closed.url}/models` }, { maxAttempts: 1 }));
    expect(error.statusCode).toBeUndefined();
    expect(error.isRetryable).toBe(true);
  });

  test('aborting rejects with the signal reason, also while waiting between attempts', async () => {
    const { url, requests } = await start({ 'GET /models': { status: 503, json: {} } });
    const aborted = new AbortController();
    aborted.abort();
    await expect(fetchJson({ url: `${url}/models`, signal: aborted.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(requests).toHaveLength(0);
    const controller = new AbortController();
    const reason = new Error('stop');
    const pending = fetchJson(
      { url: `${url}/models`, signal: controller.signal },
      {
        sleep: async () => {
          controller.abort(reason);
          throw reason;
        },
      },
    );
    await expect(pending).rejects.toBe(reason);
    expect(requests).toHaveLength(1);
  });

  test('aborting during a hanging call rejects with the reason, not a timeout', async () => {
    const { url, requests } = await start({ 'GET /models': { behavior: 'hang' } });
    const controller = new AbortController();
    const pending = fetchJson({ url: `${url}/models`, signal: controller.signal }, { timeoutMs: 10_000 });
    await expect.poll(() => requests.length).toBe(1);
    controller.abort(new Error('user gave up'));
    await expect(pending).rejects.toThrow('user gave up');
  });
});

describe('redactUrl', () => {
  test('drops user info and credential-like query values', () => {
    expect(redactUrl('https://me:pw@example.test/v1/models?api_key=abc&limit=2&token=t')).toBe(
      'https://example.test/v1/models?api_key=redacted&limit=2&token=redacted',
    );
    expect(redactUrl('not a url')).toBe('[invalid url]');
  });
});
