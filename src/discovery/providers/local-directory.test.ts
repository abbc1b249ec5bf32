import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sharedPath } from '../../../test/shared-data.js';
import type { ModelCandidate } from '../../core/model-candidate.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import { providerConformance } from '../../testing/provider-conformance.js';
import { createLocalHub } from '../local-hub/index.js';
import type { ModelProvider, ProviderQuery } from '../spec.js';
import { writePlainModel } from './fake-model-files.js';
import { huggingFace } from './hugging-face.js';
import { localDirectory } from './local-directory.js';

const TOKENIZER_DIRECTORY = sharedPath('tokenizers', 'bert-base-uncased');

let temporary: string;
let root: string;

beforeAll(async () => {
  temporary = await mkdtemp(path.join(tmpdir(), 'modelscout-local-directory-'));
  root = path.join(temporary, 'models');
  await writePlainModel(
    root,
    { id: 'acme/tiny-sentiment', task: 'text-classification', license: 'Apache 2.0', dtypes: ['fp32', 'q8'] },
    TOKENIZER_DIRECTORY,
  );
  await writePlainModel(
    root,
    {
      id: 'solo-embedder',
      architectures: ['BertModel'],
      license: 'cc-by-nc-4.0',
      dtypes: ['fp32', 'fp16', 'int8'],
    },
    TOKENIZER_DIRECTORY,
  );
  await writePlainModel(
    root,
    { id: 'zoo/tiny-masked', architectures: ['BertForMaskedLM'], tags: ['demo'], dtypes: ['uint8', 'bnb4'] },
    TOKENIZER_DIRECTORY,
  );
  // Not models: a folder without config.json, a hidden folder, a cache-style folder.
  await mkdir(path.join(root, 'acme', 'notes'), { recursive: true });
  await writeFile(path.join(root, 'acme', 'notes', 'README.md'), '# notes');
  await writePlainModel(root, { id: '.hidden/model' }, TOKENIZER_DIRECTORY);
  // Model folders symlinked to outside the root, and a file symlinked out of a model.
  await writePlainModel(path.join(temporary, 'outside'), { id: 'evil/escape' }, TOKENIZER_DIRECTORY);
  await symlink(path.join(temporary, 'outside', 'evil'), path.join(root, 'evil'));
  await symlink(path.join(temporary, 'outside', 'evil', 'escape'), path.join(root, 'acme', 'escape'));
  await writeFile(path.join(temporary, 'secret.txt'), 'TOP-SECRET');
  await symlink(path.join(temporary, 'secret.txt'), path.join(root, 'acme', 'tiny-sentiment', 'leak.txt'));
  // A symlink inside the root is fine.
  await symlink(path.join(root, 'zoo', 'tiny-masked'), path.join(root, 'zoo', 'alias'));
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
    name: 'localDirectory',
    create: async () => ({
      provider: localDirectory({ root }),
      knownModelId: 'acme/tiny-sentiment',
      minimumModels: 3,
    }),
  },
);

describe('localDirectory', () => {
  test('lists model folders at one and two levels; skips folders resolving outside the root', async () => {
    const ids = (await collect(localDirectory({ root }))).map((candidate) => candidate.id);
    expect(ids).toEqual(['acme/tiny-sentiment', 'solo-embedder', 'zoo/alias', 'zoo/tiny-masked']);
    const provider = localDirectory({ root });
    expect(await provider.getModel('evil/escape')).toBeUndefined();
    expect(await provider.getModel('acme/escape')).toBeUndefined();
    expect(await provider.getModel('acme/notes')).toBeUndefined();
    expect(await provider.getModel('../outside/evil/escape')).toBeUndefined();
    expect(await provider.getModel('.hidden/model')).toBeUndefined();
  });

  test('normalizes metadata; files linked out of the root are left out', async () => {
    const provider = localDirectory({ root });
    const sentiment = await provider.getModel('acme/tiny-sentiment');
    expect(sentiment).toMatchObject({
      provider: 'local-directory',
      tasks: ['text-classification'],
      license: 'apache-2.0',
      capabilities: ['transformers.js'],
      dtypes: ['fp32', 'q8'],
    });
    expect(sentiment?.files?.some((file) => file.path === 'leak.txt')).toBe(false);
    expect(sentiment?.files?.find((file) => file.path === 'onnx/model_quantized.onnx')?.sizeBytes).toBe(1024);
    expect(sentiment?.downloads).toBeUndefined();
    expect(await provider.getModel('solo-embedder')).toMatchObject({
      license: 'cc-by-nc-4.0',
      dtypes: ['fp32', 'fp16', 'int8'],
    });
    expect(await provider.getModel('zoo/tiny-masked')).toMatchObject({
      tasks: ['fill-mask'],
      dtypes: ['uint8', 'bnb4'],
    });
  });

  test('the revision is the one the local hub reports for the same folder', async () => {
    const provider = localDirectory({ root });
    const local = await provider.getModel('acme/tiny-sentiment');
    const hub = await createLocalHub({ root });
    try {
      const remote = await huggingFace({ hubUrl: hub.url }).getModel('acme/tiny-sentiment');
      expect(local?.revision).toBe(remote?.revision);
      expect(local?.dtypes).toEqual(remote?.dtypes);
      expect(local?.license).toEqual(remote?.license);
    } finally {
      await hub.close();
    }
    expect((await provider.getModel('acme/tiny-sentiment', { revision: local?.revision ?? '' }))?.id).toBe(
      'acme/tiny-sentiment',
    );
    expect(await provider.getModel('acme/tiny-sentiment', { revision: '0'.repeat(40) })).toBeUndefined();
  });

  test('filters by task, text (id or tag), library, modality and limit', async () => {
    const provider = localDirectory({ root });
    const ids = async (query: ProviderQuery) =>
      (await collect(provider, query)).map((candidate) => candidate.id);
    expect(await ids({ task: 'fill-mask' })).toEqual(['zoo/alias', 'zoo/tiny-masked']);
    expect(await ids({ text: 'SOLO' })).toEqual(['solo-embedder']);
    expect(await ids({ text: 'demo' })).toEqual(['zoo/alias', 'zoo/tiny-masked']);
    expect(await ids({ library: 'transformers.js', limit: 2 })).toEqual([
      'acme/tiny-sentiment',
      'solo-embedder',
    ]);
    expect(await ids({ modality: 'nlp' })).toEqual(['acme/tiny-sentiment', 'zoo/alias', 'zoo/tiny-masked']);
    await expect(ids({ limit: -1 })).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  test('a missing root lists nothing; an empty root option is invalid', async () => {
    expect(await collect(localDirectory({ root: path.join(temporary, 'nope') }))).toEqual([]);
    expect(() => localDirectory({ root: '' })).toThrow(InvalidArgumentError);
  });
});
