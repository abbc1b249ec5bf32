import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sharedPath } from '../../../test/shared-data.js';
import type { ModelCandidate } from '../../core/model-candidate.js';
import { ApiCallError } from '../../errors/api-call-error.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import { providerConformance } from '../../testing/provider-conformance.js';
import { createLocalHub, type LocalHub } from '../local-hub/index.js';
import type { ProviderQuery } from '../spec.js';
import { type FakeModel, writePlainModel } from './fake-model-files.js';
import { parseRetryAfter } from './hub-fetch.js';
import { huggingFace } from './hugging-face.js';

const TOKENIZER_DIRECTORY = sharedPath('tokenizers', 'bert-base-uncased');
const MODELS: readonly FakeModel[] = [
  {
    id: 'acme/tiny-sentiment',
    task: 'text-classification',
    labels: ['NEGATIVE', 'POSITIVE'],
    license: 'Apache 2.0',
    dtypes: ['fp32', 'q8', 'fp16'],
  },
  { id: 'acme/tiny-ner', task: 'token-classification', labels: ['O', 'B-PER', 'I-PER'], license: 'MIT' },
  { id: 'acme/tiny-embedder', task: 'feature-extraction', license: 'cc-by-nc-4.0', dtypes: ['fp32'] },
  { id: 'zoo/news-topics', task: 'text-classification', labels: ['World', 'Sports', 'Business', 'Sci/Tech'] },
  { id: 'zoo/tiny-speech', task: 'automatic-speech-recognition', license: 'mit', dtypes: ['q4'] },
];

let temporary: string;
let hub: LocalHub;
let pagedHub: LocalHub;

beforeAll(async () => {
  temporary = await mkdtemp(path.join(tmpdir(), 'modelscout-hf-provider-'));
  for (const model of MODELS) await writePlainModel(temporary, model, TOKENIZER_DIRECTORY);
  hub = await createLocalHub({ root: temporary });
  pagedHub = await createLocalHub({ root: temporary, maxPageSize: 2 });
});

afterAll(async () => {
  await hub?.close();
  await pagedHub?.close();
  await rm(temporary, { recursive: true, force: true });
});

const noSleep = async () => {};

async function collect(provider: ReturnType<typeof huggingFace>, query: ProviderQuery = {}) {
  const result: ModelCandidate[] = [];
  for await (const candidate of provider.listModels(query)) result.push(candidate);
  return result;
}

providerConformance(
  { test },
  {
    name: 'huggingFace (local hub)',
    create: async () => ({
      provider: huggingFace({ hubUrl: hub.url }),
      knownModelId: 'acme/tiny-sentiment',
      minimumModels: MODELS.length,
    }),
  },
);

describe('huggingFace over a local hub', () => {
  test('follows pagination: every model arrives across pages of two', async () => {
    const listingRequests: string[] = [];
    const countingFetch: typeof fetch = (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (new URL(url).pathname === '/api/models') listingRequests.push(url);
      return fetch(input, init);
    };
    const candidates = await collect(huggingFace({ hubUrl: pagedHub.url, fetch: countingFetch }));
    expect(candidates.map((candidate) => candidate.id).sort()).toEqual(
      MODELS.map((model) => model.id).sort(),
    );
    expect(listingRequests).toHaveLength(3);
    expect(listingRequests[1]).toContain('cursor=');
  });

  test('limit stops after the first page when it is enough', async () => {
    const candidates = await collect(huggingFace({ hubUrl: pagedHub.url }), { limit: 3 });
    expect(candidates).toHaveLength(3);
  });

  test('normalizes metadata: task, license, dtypes, transformers.js, revision, sizes', async () => {
    const provider = huggingFace({ hubUrl: hub.url });
    const [listed] = await collect(provider, { text: 'tiny-sentiment' });
    expect(listed).toMatchObject({
      id: 'acme/tiny-sentiment',
      provider: 'huggingface',
      tasks: ['text-classification'],
      modalities: ['nlp'],
      license: 'apache-2.0',
      library: 'transformers.js',
      family: 'bert',
      capabilities: ['transformers.js'],
      dtypes: ['fp32', 'fp16', 'q8'],
    });
    expect(listed?.revision).toMatch(/^[0-9a-f]{40}$/);
    expect(listed?.files?.map((file) => file.path)).toContain('onnx/model_quantized.onnx');

    const detailed = await provider.getModel('acme/tiny-sentiment');
    expect(detailed).toMatchObject({ revision: listed?.revision, dtypes: ['fp32', 'fp16', 'q8'] });
    expect(detailed?.files?.find((file) => file.path === 'onnx/model.onnx')?.sizeBytes).toBe(2048);
    expect(detailed?.files?.find((file) => file.path === 'onnx/model_quantized.onnx')?.sizeBytes).toBe(1024);
    expect(detailed?.files?.find((file) => file.path === 'vocab.txt')?.sizeBytes).toBeGreaterThan(200_000);
    expect(detailed?.sizeBytes).toBe(
      detailed?.files?.reduce((total, file) => total + (file.sizeBytes ?? 0), 0),
    );
  });

  test('filters by task, text, library and modality', async () => {
    const provider = huggingFace({ hubUrl: hub.url });
    const ids = async (query: ProviderQuery) =>
      (await collect(provider, query)).map((candidate) => candidate.id).sort();
    expect(await ids({ task: 'text-classification' })).toEqual(['acme/tiny-sentiment', 'zoo/news-topics']);
    expect(await ids({ text: 'acme' })).toEqual([
      'acme/tiny-embedder',
      'acme/tiny-ner',
      'acme/tiny-sentiment',
    ]);
    expect(await ids({ text: 'tiny', task: 'token-classification' })).toEqual(['acme/tiny-ner']);
    expect(await ids({ library: 'transformers.js' })).toHaveLength(MODELS.length);
    expect(await ids({ library: 'gguf' })).toEqual([]);
    expect(await ids({ modality: 'audio' })).toEqual(['zoo/tiny-speech']);
    expect(await ids({ modality: 'audio', limit: 1 })).toEqual(['zoo/tiny-speech']);
  });

  test('author and tags scope every listing, combined with the query', async () => {
    const ids = async (provider: ReturnType<typeof huggingFace>, query: ProviderQuery = {}) =>
      (await collect(provider, query)).map((candidate) => candidate.id).sort();
    expect(await ids(huggingFace({ hubUrl: hub.url, author: 'zoo' }))).toEqual([
      'zoo/news-topics',
      'zoo/tiny-speech',
    ]);
    const embedders = huggingFace({ hubUrl: pagedHub.url, author: 'acme', tags: ['feature-extraction'] });
    expect(await ids(embedders)).toEqual(['acme/tiny-embedder']);
    expect(await ids(embedders, { library: 'transformers.js' })).toEqual(['acme/tiny-embedder']);
    expect(await ids(embedders, { library: 'gguf' })).toEqual([]);
    expect(
      await ids(huggingFace({ hubUrl: hub.url, author: 'zoo' }), { task: 'text-classification' }),
    ).toEqual(['zoo/news-topics']);
  });

  test('license normalization across models', async () => {
    const licenses = Object.fromEntries(
      (await collect(huggingFace({ hubUrl: hub.url }))).map((candidate) => [candidate.id, candidate.license]),
    );
    expect(licenses).toEqual({
      'acme/tiny-sentiment': 'apache-2.0',
      'acme/tiny-ner': 'mit',
      'acme/tiny-embedder': 'cc-by-nc-4.0',
      'zoo/news-topics': undefined,
      'zoo/tiny-speech': 'mit',
    });
  });

  test('getModel: a revision, an unknown revision and unknown or invalid ids answer undefined', async () => {
    const provider = huggingFace({ hubUrl: hub.url });
    const head = await provider.getModel('zoo/tiny-speech');
    expect(head?.dtypes).toEqual(['q4']);
    const pinned = await provider.getModel('zoo/tiny-speech', { revision: head?.revision ?? '' });
    expect(pinned?.revision).toBe(head?.revision);
    expect(await provider.getModel('zoo/tiny-speech', { revision: 'f'.repeat(40) })).toBeUndefined();
    expect(await provider.getModel('zoo/no-such-model')).toBeUndefined();
    expect(await provider.getModel('../etc/passwd')).toBeUndefined();
    for (const revision of ['../../api/models', '/main', 'main/../..', 'a?b=c', 'a#b', '%2e%2e', '']) {
      expect(await provider.getModel('acme/tiny-sentiment', { revision }), revision).toBeUndefined();
    }
  });

  test('an aborted getModel rejects with an AbortError', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      huggingFace({ hubUrl: hub.url }).getModel('acme/tiny-ner', { signal: controller.signal }),
    ).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('huggingFace errors', () => {
  let server: Server;
  let url: string;
  const seenHeaders: IncomingHttpHeaders[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      seenHeaders.push(request.headers);
      const pathname = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
      if (pathname === '/api/models') {
        response.writeHead(500, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify({ error: 'Internal failure' }));
      } else if (pathname.startsWith('/api/models/acme/busy/')) {
        response.writeHead(429, { 'Content-Type': 'text/plain', 'Retry-After': '7' });
        response.end('Too many requests');
      } else if (pathname.startsWith('/api/models/acme/private/')) {
        response.writeHead(401, { 'Content-Type': 'application/json', 'X-Error-Code': 'RepoNotFound' });
        response.end(JSON.stringify({ error: 'Repository not found' }));
      } else if (pathname.startsWith('/api/models/acme/forbidden/')) {
        response.writeHead(403, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify({ error: 'Access to this model is restricted' }));
      } else {
        response.writeHead(404, { 'Content-Type': 'application/json', 'X-Error-Code': 'RepoNotFound' });
        response.end(JSON.stringify({ error: 'Repository not found' }));
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test('a 500 becomes a retryable ApiCallError that never shows the token', async () => {
    const token = 'hf_secretTokenThatMustNotLeak';
    const error = await collect(huggingFace({ hubUrl: url, accessToken: token, sleep: noSleep })).catch(
      (caught: unknown) => caught,
    );
    expect(ApiCallError.isInstance(error)).toBe(true);
    const apiError = error as ApiCallError;
    expect(apiError).toMatchObject({ statusCode: 500, isRetryable: true, retryAfterMs: undefined });
    expect(apiError.url).toContain('/api/models?');
    expect(apiError.message).toContain('Internal failure');
    expect(`${apiError.message} ${apiError.url} ${JSON.stringify(apiError)}`).not.toContain(token);
    expect(seenHeaders.at(-1)?.authorization).toBe(`Bearer ${token}`);
  });

  test('a 429 carries Retry-After in milliseconds, waited for before each retry', async () => {
    const waits: number[] = [];
    const error = await huggingFace({
      hubUrl: url,
      sleep: async (milliseconds) => void waits.push(milliseconds),
    })
      .getModel('acme/busy')
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiCallError);
    expect(error).toMatchObject({ statusCode: 429, isRetryable: true, retryAfterMs: 7000 });
    expect(waits).toEqual([7000, 7000]);
  });

  test('404, and 401 RepoNotFound (the Hub without a token), answer undefined; 403 throws', async () => {
    const provider = huggingFace({ hubUrl: url });
    expect(await provider.getModel('acme/missing')).toBeUndefined();
    expect(await provider.getModel('acme/private')).toBeUndefined();
    await expect(provider.getModel('acme/forbidden')).rejects.toMatchObject({
      name: 'ApiCallError',
      statusCode: 403,
      isRetryable: false,
    });
  });

  test('a refused connection is a retryable ApiCallError without status', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await collect(huggingFace({ hubUrl: `http://127.0.0.1:${port}`, sleep: noSleep })).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ name: 'ApiCallError', statusCode: undefined, isRetryable: true });
  });

  test('invalid options', () => {
    expect(() => huggingFace({ hubUrl: 'ftp://example' })).toThrow(InvalidArgumentError);
    let thrown: unknown;
    try {
      huggingFace({ accessToken: 'not-a-token-secret' });
    } catch (error) {
      thrown = error;
    }
    expect(InvalidArgumentError.isInstance(thrown)).toBe(true);
    expect(JSON.stringify((thrown as InvalidArgumentError).value ?? null)).not.toContain('secret');
    expect((thrown as Error).message).not.toContain('secret');
    expect(() => huggingFace({ author: '../etc' })).toThrow(InvalidArgumentError);
    expect(() => huggingFace({ tags: ['onnx', ' '] })).toThrow(InvalidArgumentError);
  });

  test('parseRetryAfter', () => {
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:30 GMT', 'Wed, 21 Oct 2015 07:28:00 GMT')).toBe(30_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
