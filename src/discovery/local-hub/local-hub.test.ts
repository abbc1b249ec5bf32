import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  downloadFile,
  fileDownloadInfo,
  HubApiError,
  listFiles,
  listModels,
  modelInfo,
  pathsInfo,
} from '@huggingface/hub';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sharedPath } from '../../../test/shared-data.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import { createLocalHub, type LocalHub } from './index.js';

const TOKENIZER_DIRECTORY = sharedPath('tokenizers', 'bert-base-uncased');
const RECORDED_MODEL_INFO = sharedPath(
  'fixtures',
  'hf-hub',
  'model-info',
  'deepset__roberta-base-squad2.json',
);
const TOKENIZER_FILES = ['special_tokens_map.json', 'tokenizer.json', 'tokenizer_config.json', 'vocab.txt'];
const SECRET = 'TOP-SECRET-OUTSIDE-ROOT';
const BULK_COUNT = 30;
const CACHE_COMMIT = 'c0ffee0000000000000000000000000000000001';

let temporary: string;
let root: string;
let hub: LocalHub;
let pagedHub: LocalHub;
const onnxBytes = deterministicBytes(5000, 7);
const cachedOnnxBytes = deterministicBytes(3000, 11);

function deterministicBytes(length: number, seed: number): Buffer {
  const bytes = Buffer.alloc(length);
  let state = seed;
  for (let index = 0; index < length; index++) {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    bytes[index] = state & 0xff;
  }
  return bytes;
}

const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');
const gitBlobSha1 = (data: Buffer): string =>
  createHash('sha1').update(`blob ${data.length}\0`).update(data).digest('hex');

async function writeModelFolder(
  directory: string,
  { config, readme, onnx }: { config: object; readme?: string; onnx?: Buffer },
): Promise<void> {
  await mkdir(directory, { recursive: true });
  await writeFile(path.join(directory, 'config.json'), JSON.stringify(config));
  if (readme !== undefined) await writeFile(path.join(directory, 'README.md'), readme);
  for (const name of TOKENIZER_FILES)
    await copyFile(path.join(TOKENIZER_DIRECTORY, name), path.join(directory, name));
  if (onnx) {
    await mkdir(path.join(directory, 'onnx'), { recursive: true });
    await writeFile(path.join(directory, 'onnx', 'model.onnx'), onnx);
    await writeFile(path.join(directory, 'onnx', 'model_quantized.onnx'), onnx.subarray(0, 1000));
  }
}

/** A Hugging Face cache entry: files in blobs/ (named by sha256), symlinked from snapshots/{commit}/. */
async function writeCacheEntry(directory: string, files: Record<string, Buffer | string>): Promise<void> {
  await mkdir(path.join(directory, 'blobs'), { recursive: true });
  await mkdir(path.join(directory, 'refs'), { recursive: true });
  await writeFile(path.join(directory, 'refs', 'main'), CACHE_COMMIT);
  for (const [relative, content] of Object.entries(files)) {
    const blob = sha256(content);
    await writeFile(path.join(directory, 'blobs', blob), content);
    const target = path.join(directory, 'snapshots', CACHE_COMMIT, relative);
    await mkdir(path.dirname(target), { recursive: true });
    await symlink(path.relative(path.dirname(target), path.join(directory, 'blobs', blob)), target);
  }
}

/** Sends a raw request line (no client-side normalization) and returns status line and body. */
function rawRequest(url: string, target: string, method = 'GET'): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => {
      socket.write(`${method} ${target} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nConnection: close\r\n\r\n`);
    });
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text });
    });
  });
}

beforeAll(async () => {
  temporary = await mkdtemp(path.join(tmpdir(), 'modelscout-local-hub-'));
  root = path.join(temporary, 'root');
  const outside = path.join(temporary, 'outside');
  await mkdir(outside, { recursive: true });
  await writeFile(path.join(outside, 'secret.txt'), SECRET);
  await writeFile(path.join(outside, 'config.json'), JSON.stringify({ secret: SECRET }));

  await writeModelFolder(path.join(root, 'acme', 'sentiment-tiny'), {
    config: { model_type: 'bert', architectures: ['BertForSequenceClassification'] },
    readme:
      '---\nlicense: apache-2.0\npipeline_tag: text-classification\ntags:\n  - sentiment\n---\n# Sentiment\n',
    onnx: onnxBytes,
  });
  await writeModelFolder(path.join(root, 'acme', 'news-tiny'), {
    config: { model_type: 'bert', pipeline_tag: 'zero-shot-classification' },
    readme: '---\nlicense: mit\n---\n# News\n',
  });
  await writeModelFolder(path.join(root, 'solo-model'), { config: { model_type: 'bert' } });
  await writeCacheEntry(path.join(root, 'models--cached-org--embedder'), {
    'config.json': JSON.stringify({ model_type: 'bert' }),
    'README.md': '---\nlicense: cc-by-4.0\npipeline_tag: feature-extraction\n---\n',
    'onnx/model.onnx': cachedOnnxBytes,
  });
  for (let index = 0; index < BULK_COUNT; index++) {
    const directory = path.join(root, 'bulk', `m${String(index).padStart(2, '0')}`);
    await mkdir(directory, { recursive: true });
    const file = path.join(directory, 'config.json');
    await writeFile(file, JSON.stringify({ model_type: 'bert', pipeline_tag: 'fill-mask' }));
    const time = new Date(Date.UTC(2024, 0, 1) + index * 86_400_000);
    await utimes(file, time, time);
  }
  // Escapes that must never be served: a file symlink, a folder symlink, and a model folder symlink.
  await symlink(path.join(outside, 'secret.txt'), path.join(root, 'acme', 'sentiment-tiny', 'leak.txt'));
  await symlink(outside, path.join(root, 'acme', 'sentiment-tiny', 'escape'));
  await symlink(outside, path.join(root, 'evil'));

  hub = await createLocalHub({ root, port: 0 });
  pagedHub = await createLocalHub({ root, maxPageSize: 10 });
});

afterAll(async () => {
  await hub?.close();
  await pagedHub?.close();
  if (temporary) await rm(temporary, { recursive: true, force: true });
});

describe('createLocalHub', () => {
  test('listens on 127.0.0.1 with a free port and rejects invalid options', async () => {
    expect(hub.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(hub.url).not.toBe(pagedHub.url);
    await expect(createLocalHub({ root: path.join(temporary, 'missing') })).rejects.toSatisfy(
      InvalidArgumentError.isInstance,
    );
    await expect(createLocalHub({ root, port: -1 })).rejects.toSatisfy(InvalidArgumentError.isInstance);
  });
});

describe('@huggingface/hub against the local hub', () => {
  test('listModels finds plain and cached models, with metadata from config.json and README front matter', async () => {
    const models = [];
    for await (const model of listModels({
      hubUrl: hub.url,
      search: { query: 'tiny' },
      additionalFields: ['library_name', 'tags', 'cardData', 'sha', 'author'],
    })) {
      models.push(model);
    }
    expect(models.map((model) => model.name)).toEqual(['acme/news-tiny', 'acme/sentiment-tiny']);
    const sentiment = models[1]!;
    expect(sentiment).toMatchObject({
      task: 'text-classification',
      library_name: 'transformers.js',
      author: 'acme',
      private: false,
      gated: false,
      cardData: { license: 'apache-2.0', pipeline_tag: 'text-classification', tags: ['sentiment'] },
    });
    expect(sentiment.tags).toEqual(
      expect.arrayContaining(['transformers.js', 'onnx', 'bert', 'license:apache-2.0']),
    );
    expect(sentiment.sha).toMatch(/^[0-9a-f]{40}$/);
    expect(sentiment.updatedAt).toBeInstanceOf(Date);
    expect(models[0]).toMatchObject({ task: 'zero-shot-classification', library_name: 'transformers' });

    const all = [];
    for await (const model of listModels({ hubUrl: hub.url })) all.push(model.name);
    expect(all).toContain('cached-org/embedder');
    expect(all).toContain('solo-model');
    expect(all).not.toContain('evil');
    expect(all).toHaveLength(4 + BULK_COUNT);
  });

  test('listModels filters by owner, task and tags', async () => {
    const names = async (search: Parameters<typeof listModels>[0]): Promise<string[]> => {
      const result: string[] = [];
      for await (const model of listModels({ hubUrl: hub.url, ...search })) result.push(model.name);
      return result;
    };
    expect(await names({ search: { owner: 'acme' } })).toEqual(['acme/news-tiny', 'acme/sentiment-tiny']);
    expect(await names({ search: { task: 'feature-extraction' } })).toEqual(['cached-org/embedder']);
    expect(await names({ search: { tags: ['transformers.js'] } })).toEqual([
      'acme/sentiment-tiny',
      'cached-org/embedder',
    ]);
    expect(await names({ search: { tags: ['transformers.js', 'license:cc-by-4.0'] } })).toEqual([
      'cached-org/embedder',
    ]);
    expect(await names({ search: { owner: 'nobody' } })).toEqual([]);
  });

  test('listModels follows Link pagination and sorts', async () => {
    const requested: string[] = [];
    const countingFetch: typeof fetch = (input, init) => {
      requested.push(String(input));
      return fetch(input, init);
    };
    const models = [];
    for await (const model of listModels({
      hubUrl: pagedHub.url,
      search: { owner: 'bulk' },
      sort: 'lastModified',
      fetch: countingFetch,
    })) {
      models.push(model);
    }
    expect(requested).toHaveLength(3);
    expect(requested[1]).toContain('cursor=');
    const expected = Array.from(
      { length: BULK_COUNT },
      (_, index) => `bulk/m${String(index).padStart(2, '0')}`,
    );
    expect(models.map((model) => model.name)).toEqual(expected.reverse());
    expect(new Set(models.map((model) => model.id)).size).toBe(BULK_COUNT);

    const limited = [];
    for await (const model of listModels({ hubUrl: pagedHub.url, search: { owner: 'bulk' }, limit: 15 })) {
      limited.push(model.name);
    }
    expect(limited).toHaveLength(15);
    expect(limited[14]).toBe('bulk/m14');
  });

  test('modelInfo returns the record, at HEAD, at a commit sha, and 404 for unknown repos and revisions', async () => {
    const info = await modelInfo({
      hubUrl: hub.url,
      name: 'acme/sentiment-tiny',
      additionalFields: ['sha', 'config', 'cardData', 'library_name', 'tags', 'filePaths'],
    });
    expect(info).toMatchObject({
      name: 'acme/sentiment-tiny',
      task: 'text-classification',
      library_name: 'transformers.js',
      config: { model_type: 'bert', architectures: ['BertForSequenceClassification'] },
      cardData: { license: 'apache-2.0' },
    });
    expect(info.filePaths).toEqual(
      expect.arrayContaining(['README.md', 'config.json', 'onnx/model.onnx', 'tokenizer.json', 'vocab.txt']),
    );
    expect(info.filePaths).not.toContain('leak.txt');
    expect(info.filePaths!.some((file) => file.startsWith('escape/'))).toBe(false);

    const atCommit = await modelInfo({ hubUrl: hub.url, name: 'acme/sentiment-tiny', revision: info.sha });
    expect(atCommit.name).toBe('acme/sentiment-tiny');
    const cached = await modelInfo({
      hubUrl: hub.url,
      name: 'cached-org/embedder',
      additionalFields: ['sha'],
    });
    expect(cached).toMatchObject({ sha: CACHE_COMMIT, task: 'feature-extraction' });

    const missing = await modelInfo({ hubUrl: hub.url, name: 'acme/absent' }).catch(
      (error: unknown) => error,
    );
    expect(missing).toBeInstanceOf(HubApiError);
    expect((missing as HubApiError).statusCode).toBe(404);
    const badRevision = await modelInfo({
      hubUrl: hub.url,
      name: 'acme/sentiment-tiny',
      revision: 'v9',
    }).catch((error: unknown) => error);
    expect((badRevision as HubApiError).statusCode).toBe(404);
  });

  test('listFiles lists the tree (recursive, a sub-folder) with Git and LFS oids', async () => {
    const recursive = [];
    for await (const entry of listFiles({ hubUrl: hub.url, repo: 'acme/sentiment-tiny', recursive: true })) {
      recursive.push(entry);
    }
    const model = recursive.find((entry) => entry.path === 'onnx/model.onnx');
    expect(model).toMatchObject({
      type: 'file',
      size: onnxBytes.length,
      oid: gitBlobSha1(onnxBytes),
      lfs: { oid: sha256(onnxBytes), size: onnxBytes.length },
    });
    const config = recursive.find((entry) => entry.path === 'config.json');
    expect(config?.lfs).toBeUndefined();
    expect(recursive.map((entry) => entry.path)).not.toContain('leak.txt');

    const top = [];
    for await (const entry of listFiles({ hubUrl: hub.url, repo: 'acme/sentiment-tiny' })) top.push(entry);
    expect(top.find((entry) => entry.path === 'onnx')?.type).toBe('directory');
    expect(top.some((entry) => entry.path.startsWith('onnx/'))).toBe(false);

    const onnx = [];
    for await (const entry of listFiles({ hubUrl: hub.url, repo: 'cached-org/embedder', path: 'onnx' })) {
      onnx.push(entry);
    }
    expect(onnx).toMatchObject([{ type: 'file', path: 'onnx/model.onnx', size: cachedOnnxBytes.length }]);
  });

  test('pathsInfo answers for files and folders, leaving out missing paths', async () => {
    const entries = await pathsInfo({
      hubUrl: hub.url,
      repo: 'acme/sentiment-tiny',
      paths: ['config.json', 'onnx', 'missing.bin', '../outside/secret.txt'],
      expand: true,
    });
    expect(entries.map((entry) => [entry.path, entry.type])).toEqual([
      ['config.json', 'file'],
      ['onnx', 'directory'],
    ]);
    expect(entries[0]?.lastCommit?.id).toMatch(/^[0-9a-f]{40}$/);
  });

  test('fileDownloadInfo and downloadFile fetch files of both layouts; missing files are null', async () => {
    const info = await fileDownloadInfo({
      hubUrl: hub.url,
      repo: 'acme/sentiment-tiny',
      path: 'onnx/model.onnx',
    });
    expect(info).toMatchObject({ size: onnxBytes.length, etag: `"${sha256(onnxBytes)}"` });
    const blob = await downloadFile({
      hubUrl: hub.url,
      repo: 'acme/sentiment-tiny',
      path: 'onnx/model.onnx',
    });
    expect(Buffer.from(await blob!.arrayBuffer()).equals(onnxBytes)).toBe(true);
    const slice = await blob!.slice(100, 200).arrayBuffer();
    expect(Buffer.from(slice).equals(onnxBytes.subarray(100, 200))).toBe(true);

    const cached = await downloadFile({
      hubUrl: hub.url,
      repo: 'cached-org/embedder',
      path: 'onnx/model.onnx',
    });
    expect(Buffer.from(await cached!.arrayBuffer()).equals(cachedOnnxBytes)).toBe(true);
    const vocabulary = await downloadFile({ hubUrl: hub.url, repo: 'solo-model', path: 'vocab.txt' });
    expect(await vocabulary!.text()).toBe(
      await readFile(path.join(TOKENIZER_DIRECTORY, 'vocab.txt'), 'utf8'),
    );

    expect(
      await fileDownloadInfo({ hubUrl: hub.url, repo: 'acme/sentiment-tiny', path: 'nope.bin' }),
    ).toBeNull();
  });
});

describe('raw HTTP', () => {
  const resolveUrl = (id: string, file: string, revision = 'main'): string =>
    `${hub.url}/${id}/resolve/${revision}/${file}`;

  test('the model record has the fields of a recorded Hub response', async () => {
    const recorded = JSON.parse(await readFile(RECORDED_MODEL_INFO, 'utf8')) as {
      body: Record<string, unknown>;
    };
    const response = await fetch(`${hub.url}/api/models/acme/sentiment-tiny`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    for (const key of Object.keys(body)) expect(Object.keys(recorded.body)).toContain(key);
    for (const key of [
      '_id',
      'id',
      'modelId',
      'author',
      'sha',
      'siblings',
      'usedStorage',
      'tags',
      'cardData',
    ]) {
      expect(body).toHaveProperty(key);
    }
    expect(typeof body.usedStorage).toBe('number');
    expect(body.usedStorage as number).toBeGreaterThan(onnxBytes.length);
    const expanded = (await (
      await fetch(`${hub.url}/api/models/acme/sentiment-tiny?expand=sha&expand=library_name`)
    ).json()) as Record<string, unknown>;
    expect(Object.keys(expanded).sort()).toEqual(['_id', 'id', 'library_name', 'sha']);
  });

  test('GET /api/models pages with limit and an absolute Link header', async () => {
    const first = await fetch(`${hub.url}/api/models?author=bulk&limit=12&sort=id&expand=sha`);
    expect(first.headers.get('x-total-count')).toBe(String(BULK_COUNT));
    const link = first.headers.get('link');
    expect(link).toMatch(/^<http:\/\/127\.0\.0\.1:\d+\/api\/models\?.*cursor=.*>; rel="next"$/);
    const page = (await first.json()) as { id: string; sha: string }[];
    expect(page.map((model) => model.id)).toEqual(
      Array.from({ length: 12 }, (_, index) => `bulk/m${String(index).padStart(2, '0')}`),
    );
    const next = await fetch(/<([^>]+)>/.exec(link!)![1]!);
    expect(((await next.json()) as { id: string }[])[0]?.id).toBe('bulk/m12');
    expect((await fetch(`${hub.url}/api/models?sort=popularity`)).status).toBe(400);
    expect((await fetch(`${hub.url}/api/models?cursor=garbage`)).status).toBe(400);
  });

  test('resolve: headers, HEAD, Range, 416 and If-None-Match', async () => {
    const url = resolveUrl('acme/sentiment-tiny', 'onnx/model.onnx');
    const full = await fetch(url);
    expect(full.status).toBe(200);
    expect(full.headers.get('etag')).toBe(`"${sha256(onnxBytes)}"`);
    expect(full.headers.get('x-linked-etag')).toBe(`"${sha256(onnxBytes)}"`);
    expect(full.headers.get('x-linked-size')).toBe(String(onnxBytes.length));
    expect(full.headers.get('content-length')).toBe(String(onnxBytes.length));
    expect(full.headers.get('accept-ranges')).toBe('bytes');
    const commit = full.headers.get('x-repo-commit');
    expect(commit).toMatch(/^[0-9a-f]{40}$/);
    expect(Buffer.from(await full.arrayBuffer()).equals(onnxBytes)).toBe(true);

    const head = await fetch(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(onnxBytes.length));
    expect(head.headers.get('x-repo-commit')).toBe(commit);
    expect((await head.arrayBuffer()).byteLength).toBe(0);

    const partial = await fetch(url, { headers: { Range: 'bytes=10-19' } });
    expect(partial.status).toBe(206);
    expect(partial.headers.get('content-range')).toBe(`bytes 10-19/${onnxBytes.length}`);
    expect(Buffer.from(await partial.arrayBuffer()).equals(onnxBytes.subarray(10, 20))).toBe(true);
    const suffix = await fetch(url, { headers: { Range: 'bytes=-5' } });
    expect(Buffer.from(await suffix.arrayBuffer()).equals(onnxBytes.subarray(-5))).toBe(true);
    const open = await fetch(url, { headers: { Range: `bytes=${onnxBytes.length - 3}-` } });
    expect(open.headers.get('content-length')).toBe('3');
    await open.arrayBuffer();

    for (const range of [`bytes=${onnxBytes.length}-`, 'bytes=9-3', 'items=0-1']) {
      const unsatisfiable = await fetch(url, { headers: { Range: range } });
      expect(unsatisfiable.status).toBe(416);
      expect(unsatisfiable.headers.get('content-range')).toBe(`bytes */${onnxBytes.length}`);
      await unsatisfiable.arrayBuffer();
    }
    const notModified = await fetch(url, { headers: { 'If-None-Match': `"${sha256(onnxBytes)}"` } });
    expect(notModified.status).toBe(304);

    const cached = await fetch(resolveUrl('cached-org/embedder', 'config.json'), { method: 'HEAD' });
    expect(cached.headers.get('x-repo-commit')).toBe(CACHE_COMMIT);
    const byCommit = await fetch(resolveUrl('cached-org/embedder', 'config.json', CACHE_COMMIT));
    expect(await byCommit.json()).toEqual({ model_type: 'bert' });
  });

  test('X-Repo-Commit of a plain folder is stable and changes when a file changes', async () => {
    const directory = path.join(root, 'acme', 'news-tiny');
    const commitOf = async (): Promise<string | null> =>
      (await fetch(resolveUrl('acme/news-tiny', 'config.json'), { method: 'HEAD' })).headers.get(
        'x-repo-commit',
      );
    const before = await commitOf();
    expect(await commitOf()).toBe(before);
    await writeFile(path.join(directory, 'extra.txt'), 'added');
    const after = await commitOf();
    expect(after).not.toBe(before);
    await rm(path.join(directory, 'extra.txt'));
    expect(await commitOf()).toBe(before);
  });

  test('404 with X-Error-Code for missing repos, revisions and files', async () => {
    const cases: [string, string][] = [
      [resolveUrl('acme/absent', 'config.json'), 'RepoNotFound'],
      [resolveUrl('acme/sentiment-tiny', 'absent.json'), 'EntryNotFound'],
      [resolveUrl('acme/sentiment-tiny', 'config.json', 'v9'), 'RevisionNotFound'],
      [`${hub.url}/api/models/acme/absent`, 'RepoNotFound'],
      [`${hub.url}/api/models/acme/sentiment-tiny/tree/main/absent`, 'EntryNotFound'],
    ];
    for (const [url, code] of cases) {
      const response = await fetch(url);
      expect(response.status, url).toBe(404);
      expect(response.headers.get('x-error-code'), url).toBe(code);
      expect(((await response.json()) as { error: string }).error).toEqual(expect.any(String));
    }
  });
});

describe('security: nothing outside root is served', () => {
  test('a control request through the raw client succeeds', async () => {
    const response = await rawRequest(hub.url, '/acme/sentiment-tiny/resolve/main/config.json');
    expect(response.status).toBe(200);
    expect(response.text).toContain('BertForSequenceClassification');
  });

  test.each([
    '/acme/sentiment-tiny/resolve/main/../../../outside/secret.txt',
    '/acme/sentiment-tiny/resolve/main/%2e%2e/%2e%2e/%2e%2e/outside/secret.txt',
    '/acme/sentiment-tiny/resolve/main/%2E%2E%2F%2E%2E%2F%2E%2E%2Foutside%2Fsecret.txt',
    '/acme/sentiment-tiny/resolve/main/onnx%2f..%2f..%2f..%2foutside%2fsecret.txt',
    '/acme/sentiment-tiny/resolve/main/..\\..\\..\\outside\\secret.txt',
    '/acme/sentiment-tiny/resolve/main/%5c..%5c..%5coutside%5csecret.txt',
    '/acme/sentiment-tiny/resolve/main/%2Fetc%2Fpasswd',
    '/acme/sentiment-tiny/resolve/main//etc/passwd',
    '/acme/sentiment-tiny/resolve/main/config.json%00.txt',
    '/acme/sentiment-tiny/resolve/main/leak.txt',
    '/acme/sentiment-tiny/resolve/main/escape/secret.txt',
    '/acme/sentiment-tiny/resolve/%2e%2e/secret.txt',
    '/evil/resolve/main/config.json',
    '/evil/resolve/main/secret.txt',
    '/../outside/resolve/main/secret.txt',
    '/%2e%2e/outside/resolve/main/secret.txt',
    '/api/models/%2e%2e/outside/tree/main',
    '/api/models/evil/tree/main?recursive=true',
    '/api/models/acme/sentiment-tiny/tree/main/escape',
    'http://127.0.0.1/../outside/secret.txt',
  ])('%s → 400 or 404', async (target) => {
    const response = await rawRequest(hub.url, target);
    expect([400, 404]).toContain(response.status);
    expect(response.text).not.toContain(SECRET);
  });

  test('an absolute path to the secret, percent-encoded, is refused', async () => {
    const target = `/acme/sentiment-tiny/resolve/main/${encodeURIComponent(path.join(temporary, 'outside', 'secret.txt'))}`;
    const response = await rawRequest(hub.url, target);
    expect(response.status).toBe(400);
    expect(response.text).not.toContain(SECRET);
  });

  test('symlinked files and folders leaving root are absent from listings', async () => {
    const response = await fetch(`${hub.url}/api/models/acme/sentiment-tiny/tree/main?recursive=true`);
    const paths = ((await response.json()) as { path: string }[]).map((entry) => entry.path);
    expect(paths).toContain('onnx/model.onnx');
    expect(paths.filter((entry) => entry.includes('leak') || entry.startsWith('escape'))).toEqual([]);
  });
});
