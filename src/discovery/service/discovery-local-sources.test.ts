// The discovery service over real sources: a local hub on 127.0.0.1 (as the Hub), a Hugging Face
// cache folder and a folder of models, holding overlapping repositories.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sharedPath } from '../../../test/shared-data.js';
import { createLocalHub, type LocalHub } from '../local-hub/index.js';
import { writeCachedModel, writePlainModel } from '../providers/fake-model-files.js';
import { hfCache } from '../providers/hf-cache.js';
import { huggingFace } from '../providers/hugging-face.js';
import { localDirectory } from '../providers/local-directory.js';
import { createDiscoveryService } from './discovery-service.js';

const TOKENIZER_DIRECTORY = sharedPath('tokenizers', 'bert-base-uncased');
const CACHED_COMMIT = 'c'.repeat(40);

let temporary: string;
let hub: LocalHub;

beforeAll(async () => {
  temporary = await mkdtemp(path.join(tmpdir(), 'modelscout-discovery-'));
  const hubRoot = path.join(temporary, 'hub');
  await writePlainModel(
    hubRoot,
    {
      id: 'acme/tiny-sentiment',
      task: 'text-classification',
      license: 'mit',
      dtypes: ['fp32', 'fp16', 'q8'],
    },
    TOKENIZER_DIRECTORY,
  );
  await writePlainModel(
    hubRoot,
    { id: 'acme/tiny-speech', task: 'automatic-speech-recognition', license: 'apache-2.0', dtypes: ['q4'] },
    TOKENIZER_DIRECTORY,
  );
  // The cache holds only the quantized weights of tiny-sentiment, and a model the hub lacks.
  const cacheRoot = path.join(temporary, 'cache');
  await writeCachedModel(
    cacheRoot,
    { id: 'acme/tiny-sentiment', task: 'text-classification', license: 'mit', dtypes: ['q8'] },
    TOKENIZER_DIRECTORY,
    CACHED_COMMIT,
  );
  await writeCachedModel(
    cacheRoot,
    { id: 'private/only-cached', task: 'text-classification', dtypes: ['fp32'] },
    TOKENIZER_DIRECTORY,
    CACHED_COMMIT,
  );
  await writePlainModel(
    path.join(temporary, 'folders'),
    { id: 'acme/tiny-sentiment', task: 'text-classification', dtypes: ['fp16'] },
    TOKENIZER_DIRECTORY,
  );
  hub = await createLocalHub({ root: hubRoot });
});

afterAll(async () => {
  await hub?.close();
  await rm(temporary, { recursive: true, force: true });
});

function sources() {
  return [
    huggingFace({ hubUrl: hub.url }),
    hfCache({ cacheDir: path.join(temporary, 'cache') }),
    localDirectory({ root: path.join(temporary, 'folders') }),
  ];
}

describe('discovery over a local hub, the HF cache and a model folder', () => {
  test('the same repository from the hub, the cache and a folder is one candidate', async () => {
    const discovery = createDiscoveryService({ providers: sources() });
    const result = await discovery.discover({ task: 'text-classification', sort: 'size' });
    expect(result.errors).toEqual([]);
    expect(result.providers.map((summary) => [summary.provider, summary.status, summary.count])).toEqual([
      ['huggingface', 'listed', 1],
      ['hf-cache', 'listed', 2],
      ['local-directory', 'listed', 1],
    ]);
    expect(result.total).toBe(2);
    const sentiment = result.candidates.find((candidate) => candidate.id === 'acme/tiny-sentiment');
    expect(sentiment).toMatchObject({
      provider: 'huggingface',
      providers: ['huggingface', 'hf-cache', 'local-directory'],
      // From the hub: every dtype it offers, its popularity counts and its revision.
      dtypes: ['fp32', 'fp16', 'q8'],
      downloads: 0,
      likes: 0,
      license: 'mit',
    });
    expect(sentiment?.revision).toMatch(/^[0-9a-f]{40}$/);
    // From disk: which copies exist, at which revision, with which weights.
    expect(sentiment?.localCopies?.map((copy) => [copy.provider, copy.dtypes])).toEqual([
      ['hf-cache', ['q8']],
      ['local-directory', ['fp16']],
    ]);
    expect(sentiment?.localCopies?.[0]?.revision).toBe(CACHED_COMMIT);
    expect(sentiment?.localCopies?.[0]?.files?.map((file) => file.path)).toContain(
      'onnx/model_quantized.onnx',
    );
    const cachedOnly = result.candidates.find((candidate) => candidate.id === 'private/only-cached');
    expect(cachedOnly).toMatchObject({ provider: 'hf-cache', providers: ['hf-cache'] });
    expect(cachedOnly?.downloads).toBeUndefined();
  });

  test('text search and facets across sources; refresh sees a new model', async () => {
    const discovery = createDiscoveryService({ providers: sources() });
    const speech = await discovery.discover({ text: 'speech' });
    expect(speech.candidates.map((candidate) => candidate.id)).toEqual(['acme/tiny-speech']);
    const all = await discovery.discover({ limit: 0 });
    expect(all.total).toBe(3);
    expect(all.candidates).toEqual([]);
    expect(all.facets.providers).toEqual([
      { value: 'huggingface', count: 2 },
      { value: 'hf-cache', count: 1 },
    ]);
    expect((await discovery.refresh()).added).toEqual([]);
    await writePlainModel(
      path.join(temporary, 'folders'),
      { id: 'fresh/new-model', task: 'fill-mask', dtypes: ['q8'] },
      TOKENIZER_DIRECTORY,
    );
    const changes = await discovery.refresh();
    expect(changes.added.map((candidate) => [candidate.id, candidate.providers])).toEqual([
      ['fresh/new-model', ['local-directory']],
    ]);
    expect(changes.removed).toEqual([]);
  });

  test('getModel merges the hub record with the local copies', async () => {
    const discovery = createDiscoveryService({ providers: sources() });
    const { candidates, errors } = await discovery.getModel('acme/tiny-sentiment');
    expect(errors).toEqual([]);
    expect(candidates).toHaveLength(1);
    expect(candidates[0]?.providers).toEqual(['huggingface', 'hf-cache', 'local-directory']);
    expect(candidates[0]?.files?.find((file) => file.path === 'onnx/model.onnx')?.sizeBytes).toBe(2048);
  });

  test('a hub that is down: local sources still answer, the error names the hub', async () => {
    const closed = await createLocalHub({ root: temporary });
    await closed.close();
    const discovery = createDiscoveryService({
      providers: [
        huggingFace({ hubUrl: closed.url, maxAttempts: 2, sleep: async () => {} }),
        hfCache({ cacheDir: path.join(temporary, 'cache') }),
      ],
    });
    const result = await discovery.discover();
    expect(result.candidates.map((candidate) => candidate.id).sort()).toEqual([
      'acme/tiny-sentiment',
      'private/only-cached',
    ]);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ provider: 'huggingface', reason: 'failed', isRetryable: true });
  });
});
