import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sharedPath } from '../../../test/shared-data.js';
import type { ModelCandidate } from '../../core/model-candidate.js';
import { providerConformance } from '../../testing/provider-conformance.js';
import type { ModelProvider, ProviderQuery } from '../spec.js';
import { fakeModelFiles, writeCachedModel } from './fake-model-files.js';
import { hfCache } from './hf-cache.js';
import { defaultHuggingFaceCacheDirectory } from './hf-cache-layout.js';

const TOKENIZER_DIRECTORY = sharedPath('tokenizers', 'bert-base-uncased');
const COMMIT_A = 'a'.repeat(40);
const COMMIT_B = 'b'.repeat(40);

let temporary: string;
let cacheDirectory: string;

beforeAll(async () => {
  temporary = await mkdtemp(path.join(tmpdir(), 'modelscout-hf-cache-'));
  cacheDirectory = path.join(temporary, 'hub');
  await writeCachedModel(
    cacheDirectory,
    {
      id: 'Xenova/tiny-sentiment',
      task: 'text-classification',
      license: 'Apache 2.0',
      dtypes: ['fp32', 'q8', 'q4f16'],
    },
    TOKENIZER_DIRECTORY,
    COMMIT_A,
  );
  await writeCachedModel(
    cacheDirectory,
    { id: 'acme/tiny-ner', architectures: ['BertForTokenClassification'], license: 'mit', dtypes: ['fp16'] },
    TOKENIZER_DIRECTORY,
    COMMIT_A,
  );
  // A second, older snapshot of tiny-ner that refs/main does not point to (a tag points to it).
  const ner = path.join(cacheDirectory, 'models--acme--tiny-ner');
  await mkdir(path.join(ner, 'snapshots', COMMIT_B), { recursive: true });
  await writeFile(path.join(ner, 'snapshots', COMMIT_B, 'config.json'), '{"model_type":"bert"}');
  await writeFile(path.join(ner, 'refs', 'v1'), COMMIT_B);
  // Not models: a dataset cache entry, a lock folder, and a models-- folder without snapshots.
  await mkdir(path.join(cacheDirectory, 'datasets--acme--data', 'snapshots'), { recursive: true });
  await mkdir(path.join(cacheDirectory, '.locks', 'models--acme--tiny-ner'), { recursive: true });
  await mkdir(path.join(cacheDirectory, 'models--acme--empty', 'blobs'), { recursive: true });
  // A model folder and a snapshot file symlinked to places outside the cache.
  const outside = path.join(temporary, 'outside');
  await writeCachedModel(outside, { id: 'evil/escape' }, TOKENIZER_DIRECTORY, COMMIT_A);
  await symlink(
    path.join(outside, 'models--evil--escape'),
    path.join(cacheDirectory, 'models--evil--escape'),
  );
  await writeFile(path.join(temporary, 'secret.txt'), 'TOP-SECRET');
  await symlink(
    path.join(temporary, 'secret.txt'),
    path.join(cacheDirectory, 'models--Xenova--tiny-sentiment', 'snapshots', COMMIT_A, 'leak.txt'),
  );
});

afterAll(async () => {
  await rm(temporary, { recursive: true, force: true });
});

async function collect(provider: ModelProvider, query: ProviderQuery = {}): Promise<ModelCandidate[]> {
  const result: ModelCandidate[] = [];
  for await (const candidate of provider.listModels(query)) result.push(candidate);
  return result;
}

providerConformance(
  { test },
  {
    name: 'hfCache',
    create: async () => ({
      provider: hfCache({ cacheDir: cacheDirectory }),
      knownModelId: 'Xenova/tiny-sentiment',
    }),
  },
);

describe('hfCache', () => {
  test('lists the cached models, not datasets, locks, empty entries or folders outside the cache', async () => {
    const ids = (await collect(hfCache({ cacheDir: cacheDirectory }))).map((candidate) => candidate.id);
    expect(ids).toEqual(['Xenova/tiny-sentiment', 'acme/tiny-ner']);
    expect(await hfCache({ cacheDir: cacheDirectory }).getModel('evil/escape')).toBeUndefined();
  });

  test('includes files in sub-folders, sized from blobs, with sha256 of LFS-style blobs; skips links out of the cache', async () => {
    const candidate = await hfCache({ cacheDir: cacheDirectory }).getModel('Xenova/tiny-sentiment');
    expect(candidate).toMatchObject({
      provider: 'hf-cache',
      revision: COMMIT_A,
      tasks: ['text-classification'],
      license: 'apache-2.0',
      capabilities: ['transformers.js'],
      dtypes: ['fp32', 'q8', 'q4f16'],
      library: 'transformers.js',
    });
    const files = new Map(candidate?.files?.map((file) => [file.path, file]));
    expect(files.get('onnx/model.onnx')?.sizeBytes).toBe(2048);
    expect(files.get('onnx/model_quantized.onnx')?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(files.get('config.json')?.sha256).toBeUndefined();
    expect(files.has('leak.txt')).toBe(false);
    const expected = await fakeModelFiles(
      {
        id: 'Xenova/tiny-sentiment',
        task: 'text-classification',
        license: 'Apache 2.0',
        dtypes: ['fp32', 'q8', 'q4f16'],
      },
      TOKENIZER_DIRECTORY,
    );
    expect([...files.keys()].sort()).toEqual([...expected.keys()].sort());
    expect(candidate?.sizeBytes).toBe(
      [...expected.values()].reduce((total, bytes) => total + bytes.length, 0),
    );
    expect(candidate?.downloads).toBeUndefined();
  });

  test('revisions: refs/main by default, other refs and commits on request, unknown ones undefined', async () => {
    const provider = hfCache({ cacheDir: cacheDirectory });
    const main = await provider.getModel('acme/tiny-ner');
    expect(main).toMatchObject({ revision: COMMIT_A, tasks: ['token-classification'], dtypes: ['fp16'] });
    expect(main?.localPath).toBe(
      path.join(await realpath(cacheDirectory), 'models--acme--tiny-ner', 'snapshots', COMMIT_A),
    );
    const pinned = await provider.getModel('acme/tiny-ner', { revision: 'v1' });
    expect(pinned?.revision).toBe(COMMIT_B);
    expect(pinned?.localPath).toBe(
      path.join(await realpath(cacheDirectory), 'models--acme--tiny-ner', 'snapshots', COMMIT_B),
    );
    expect((await provider.getModel('acme/tiny-ner', { revision: COMMIT_B }))?.files).toEqual([
      { path: 'config.json', sizeBytes: 21 },
    ]);
    expect(await provider.getModel('acme/tiny-ner', { revision: 'c'.repeat(40) })).toBeUndefined();
    expect(await provider.getModel('acme/tiny-ner', { revision: '../v1' })).toBeUndefined();
    expect(await provider.getModel('../acme')).toBeUndefined();
  });

  test('filters by task, text and modality', async () => {
    const provider = hfCache({ cacheDir: cacheDirectory });
    const ids = async (query: ProviderQuery) =>
      (await collect(provider, query)).map((candidate) => candidate.id);
    expect(await ids({ task: 'token-classification' })).toEqual(['acme/tiny-ner']);
    expect(await ids({ text: 'xenova' })).toEqual(['Xenova/tiny-sentiment']);
    expect(await ids({ modality: 'cv' })).toEqual([]);
    expect(await ids({ limit: 0 })).toEqual([]);
  });

  test('a missing cache folder lists nothing', async () => {
    const provider = hfCache({ cacheDir: path.join(temporary, 'nope') });
    expect(await collect(provider)).toEqual([]);
    expect(await provider.getModel('acme/tiny-ner')).toBeUndefined();
  });

  test('default cache folder follows HF_HUB_CACHE, HF_HOME, XDG_CACHE_HOME, then ~/.cache', () => {
    expect(defaultHuggingFaceCacheDirectory({ HF_HUB_CACHE: '/a/hub', HF_HOME: '/b' }, '/home/u')).toBe(
      '/a/hub',
    );
    expect(defaultHuggingFaceCacheDirectory({ HF_HOME: '/b' }, '/home/u')).toBe('/b/hub');
    expect(defaultHuggingFaceCacheDirectory({ XDG_CACHE_HOME: '/x' }, '/home/u')).toBe('/x/huggingface/hub');
    expect(defaultHuggingFaceCacheDirectory({}, '/home/u')).toBe('/home/u/.cache/huggingface/hub');
  });
});
