// The Hugging Face provider over real HTTP paths a local hub does not produce: renamed
// repositories (307 to the new id), rate limits and outages (429/503 with Retry-After), a hub
// that never answers. A small proxy on 127.0.0.1 answers those and forwards the rest to a local hub.
import { mkdtemp, rm } from 'node:fs/promises';
import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { sharedPath } from '../../../test/shared-data.js';
import { manualClock } from '../../clock/manual-clock.js';
import { ApiCallError } from '../../errors/api-call-error.js';
import { seededRandom } from '../../random/seeded-random.js';
import { createLocalHub, type LocalHub } from '../local-hub/index.js';
import { writePlainModel } from './fake-model-files.js';
import { huggingFace } from './hugging-face.js';

const TOKENIZER_DIRECTORY = sharedPath('tokenizers', 'bert-base-uncased');

/** What the proxy does with a request: answer it itself, or forward it (to `target`, default the hub). */
type Intercept = (request: IncomingMessage, response: ServerResponse) => boolean;

interface Proxy {
  readonly url: string;
  /** Method, path and headers of every request received. */
  readonly seen: { method: string; path: string; headers: IncomingHttpHeaders }[];
  intercept: Intercept;
  close(): Promise<void>;
}

async function startProxy(target: () => string): Promise<Proxy> {
  const seen: Proxy['seen'] = [];
  const proxy: { intercept: Intercept } = { intercept: () => false };
  const server: Server = createServer((request, response) => {
    seen.push({ method: request.method ?? 'GET', path: request.url ?? '/', headers: request.headers });
    if (proxy.intercept(request, response)) return;
    const upstream = new URL(request.url ?? '/', target());
    const forwarded = httpRequest(
      upstream,
      { method: request.method, headers: { ...request.headers, host: upstream.host } },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    forwarded.on('error', () => response.destroy());
    request.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    get intercept() {
      return proxy.intercept;
    },
    set intercept(value: Intercept) {
      proxy.intercept = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function pathOf(request: IncomingMessage): string {
  return new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
}

/** Answers 307 for every Hub path of `oldId` with the same path for `newId` at `origin` (relative when omitted). */
function renamed(oldId: string, newId: string, origin = ''): Intercept {
  return (request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    for (const prefix of [`/api/models/${oldId}`, `/${oldId}/resolve/`]) {
      if (url.pathname === prefix || url.pathname.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`)) {
        const moved = url.pathname.replace(oldId, newId) + url.search;
        response.writeHead(307, { Location: `${origin}${moved}`, 'Content-Type': 'application/json' });
        response.end(JSON.stringify({ error: 'Repository moved' }));
        return true;
      }
    }
    return false;
  };
}

let temporary: string;
let hub: LocalHub;
let proxy: Proxy;
let second: Proxy | undefined;

beforeAll(async () => {
  temporary = await mkdtemp(path.join(tmpdir(), 'modelscout-hf-http-'));
  await writePlainModel(
    temporary,
    { id: 'acme/new-name', task: 'text-classification', license: 'mit', dtypes: ['fp32', 'q8'] },
    TOKENIZER_DIRECTORY,
  );
  await writePlainModel(temporary, { id: 'acme/other', task: 'fill-mask' }, TOKENIZER_DIRECTORY);
  hub = await createLocalHub({ root: temporary });
  proxy = await startProxy(() => hub.url);
});

afterEach(async () => {
  proxy.intercept = () => false;
  proxy.seen.length = 0;
  await second?.close();
  second = undefined;
});

afterAll(async () => {
  await proxy?.close();
  await hub?.close();
  await rm(temporary, { recursive: true, force: true });
});

const noSleep = async () => {};

describe('huggingFace: renamed repositories (307)', () => {
  test('getModel of the old id resolves to the new repository and keeps the old id as an alias', async () => {
    proxy.intercept = renamed('acme/old-name', 'acme/new-name');
    const provider = huggingFace({ hubUrl: proxy.url });
    const candidate = await provider.getModel('acme/old-name');
    const direct = await huggingFace({ hubUrl: hub.url }).getModel('acme/new-name');
    expect(candidate).toMatchObject({
      id: 'acme/new-name',
      aliases: ['acme/old-name'],
      provider: 'huggingface',
      revision: direct?.revision,
      dtypes: ['fp32', 'q8'],
    });
    // The file tree was read under the new id, with sizes.
    expect(candidate?.files?.find((file) => file.path === 'onnx/model.onnx')?.sizeBytes).toBe(2048);
    const paths = proxy.seen.map((entry) => entry.path.split('?')[0]);
    expect(paths).toContain('/api/models/acme/old-name/revision/HEAD');
    expect(paths).toContain('/api/models/acme/new-name/revision/HEAD');
    expect(paths.some((entry) => entry?.startsWith('/api/models/acme/new-name/tree/'))).toBe(true);
    expect(paths.some((entry) => entry?.startsWith('/api/models/acme/old-name/tree/'))).toBe(false);
    // Asked by its own id, it has no alias.
    expect((await provider.getModel('acme/new-name'))?.aliases).toBeUndefined();
  });

  test('a fetch that does not follow redirects: hubFetch follows them itself', async () => {
    proxy.intercept = renamed('acme/old-name', 'acme/new-name');
    const manualFetch: typeof fetch = (input, init) => fetch(input, { ...init, redirect: 'manual' });
    const candidate = await huggingFace({ hubUrl: proxy.url, fetch: manualFetch }).getModel('acme/old-name', {
      revision: 'main',
    });
    expect(candidate).toMatchObject({ id: 'acme/new-name', aliases: ['acme/old-name'] });
  });

  test('a redirect to another origin does not carry the access token', async () => {
    const token = 'hf_redirectTokenMustStayHome';
    second = await startProxy(() => hub.url);
    proxy.intercept = renamed('acme/old-name', 'acme/new-name', second.url);
    for (const fetchFunction of [
      undefined,
      ((input, init) => fetch(input, { ...init, redirect: 'manual' })) as typeof fetch,
    ]) {
      const candidate = await huggingFace({
        hubUrl: proxy.url,
        accessToken: token,
        ...(fetchFunction ? { fetch: fetchFunction } : {}),
      }).getModel('acme/old-name');
      expect(candidate?.id).toBe('acme/new-name');
    }
    expect(proxy.seen[0]?.headers.authorization).toBe(`Bearer ${token}`);
    const redirected = second.seen.filter((entry) =>
      entry.path.startsWith('/api/models/acme/new-name/revision/'),
    );
    expect(redirected).toHaveLength(2);
    for (const entry of redirected) expect(entry.headers.authorization).toBeUndefined();
  });

  test('a redirect to a repository that does not exist answers undefined; a redirect loop throws', async () => {
    proxy.intercept = renamed('acme/gone', 'acme/nowhere');
    expect(await huggingFace({ hubUrl: proxy.url }).getModel('acme/gone')).toBeUndefined();
    proxy.intercept = renamed('acme/loop', 'acme/loop');
    const manualFetch: typeof fetch = (input, init) => fetch(input, { ...init, redirect: 'manual' });
    await expect(
      huggingFace({ hubUrl: proxy.url, fetch: manualFetch }).getModel('acme/loop'),
    ).rejects.toThrow(/redirected more than 5 times/);
  });
});

describe('huggingFace: retries with backoff, honoring Retry-After', () => {
  /** Answers the scripted statuses (with headers) to requests of `pathname`, then forwards. */
  function failFirst(
    pathname: string,
    answers: { status: number; headers?: Record<string, string> }[],
  ): Intercept {
    const queue = [...answers];
    return (request, response) => {
      if (pathOf(request) !== pathname || queue.length === 0) return false;
      const { status, headers = {} } = queue.shift()!;
      response.writeHead(status, { 'Content-Type': 'application/json', ...headers });
      response.end(JSON.stringify({ error: `scripted ${status}` }));
      return true;
    };
  }

  test('getModel: 429 (Retry-After: 1), then 503 (Retry-After: 0), then the answer', async () => {
    proxy.intercept = failFirst('/api/models/acme/new-name/revision/HEAD', [
      { status: 429, headers: { 'Retry-After': '1' } },
      { status: 503, headers: { 'Retry-After': '0' } },
    ]);
    const waits: number[] = [];
    const candidate = await huggingFace({
      hubUrl: proxy.url,
      sleep: async (milliseconds) => void waits.push(milliseconds),
    }).getModel('acme/new-name');
    expect(candidate?.id).toBe('acme/new-name');
    expect(waits).toEqual([1000, 0]);
    expect(
      proxy.seen.filter((entry) => entry.path.startsWith('/api/models/acme/new-name/revision/')),
    ).toHaveLength(3);
  });

  test('listModels: a 503 without Retry-After waits an exponential backoff with jitter (seeded)', async () => {
    proxy.intercept = failFirst('/api/models', [{ status: 503 }, { status: 502 }]);
    const waits: number[] = [];
    const provider = huggingFace({
      hubUrl: proxy.url,
      initialDelayMs: 200,
      random: seededRandom(3),
      sleep: async (milliseconds) => void waits.push(milliseconds),
    });
    const ids: string[] = [];
    for await (const candidate of provider.listModels({})) ids.push(candidate.id);
    expect(ids.sort()).toEqual(['acme/new-name', 'acme/other']);
    expect(waits).toHaveLength(2);
    expect(waits[0]).toBeGreaterThanOrEqual(100);
    expect(waits[0]).toBeLessThanOrEqual(200);
    expect(waits[1]).toBeGreaterThanOrEqual(200);
    expect(waits[1]).toBeLessThanOrEqual(400);
  });

  test('a Retry-After as an HTTP date is read against the response Date', async () => {
    proxy.intercept = failFirst('/api/models/acme/new-name/revision/HEAD', [
      {
        status: 503,
        headers: { 'Retry-After': 'Wed, 01 Jan 2025 00:00:02 GMT', Date: 'Wed, 01 Jan 2025 00:00:00 GMT' },
      },
    ]);
    const waits: number[] = [];
    await huggingFace({
      hubUrl: proxy.url,
      clock: manualClock(Date.parse('2030-01-01T00:00:00Z')),
      sleep: async (milliseconds) => void waits.push(milliseconds),
    }).getModel('acme/new-name');
    expect(waits).toEqual([2000]);
  });

  test('gives up after maxAttempts, and never waits for a Retry-After above maxDelayMs', async () => {
    proxy.intercept = failFirst('/api/models/acme/new-name/revision/HEAD', Array(5).fill({ status: 503 }));
    const error = await huggingFace({ hubUrl: proxy.url, maxAttempts: 2, sleep: noSleep })
      .getModel('acme/new-name')
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'ApiCallError', statusCode: 503, isRetryable: true });
    expect(proxy.seen).toHaveLength(2);

    proxy.seen.length = 0;
    proxy.intercept = failFirst('/api/models/acme/new-name/revision/HEAD', [
      { status: 429, headers: { 'Retry-After': '3600' } },
    ]);
    const waits: number[] = [];
    const limited = await huggingFace({
      hubUrl: proxy.url,
      maxDelayMs: 10_000,
      sleep: async (milliseconds) => void waits.push(milliseconds),
    })
      .getModel('acme/new-name')
      .catch((caught: unknown) => caught);
    expect(ApiCallError.isInstance(limited) && limited.retryAfterMs).toBe(3_600_000);
    expect(waits).toEqual([]);
    expect(proxy.seen).toHaveLength(1);
  });

  test('a hub that never answers times out per attempt, retryably', async () => {
    proxy.intercept = (request) => pathOf(request) === '/api/models';
    const error = await (async () => {
      for await (const _candidate of huggingFace({
        hubUrl: proxy.url,
        timeoutMs: 50,
        maxAttempts: 2,
        sleep: noSleep,
      }).listModels({})) {
        // Nothing arrives.
      }
    })().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'ApiCallError', isRetryable: true, statusCode: undefined });
    expect((error as Error).message).toMatch(/did not answer within 50 ms/);
    expect(proxy.seen).toHaveLength(2);
  });

  test('aborting while waiting between attempts rejects with the reason', async () => {
    proxy.intercept = failFirst('/api/models/acme/new-name/revision/HEAD', Array(3).fill({ status: 503 }));
    const controller = new AbortController();
    const reason = new Error('stop waiting');
    const pending = huggingFace({
      hubUrl: proxy.url,
      sleep: async () => {
        controller.abort(reason);
        throw reason;
      },
    }).getModel('acme/new-name', { signal: controller.signal });
    await expect(pending).rejects.toBe(reason);
    expect(proxy.seen).toHaveLength(1);
  });
});
