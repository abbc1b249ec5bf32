import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLocalHub, type LocalHub } from '../../../discovery/local-hub/create-local-hub.js';
import { commitOf, seededBytes, writeHubCommit } from './hub-repository.js';

/** The id of the synthetic repository of the download tests. */
export const TEST_MODEL_ID = 'acme/tiny-classifier';

/**
 * The files of the synthetic repository at `version`: config and tokenizer files (small, Git
 * blob sha1 etags), ONNX weights in three dtypes with q8 external data (sha256 etags), a pickle
 * file and a safetensors file. The tokenizer files do not change between versions (their blobs
 * are shared by the commits); the rest does.
 */
export function testModelFiles(version: string): Record<string, string | Uint8Array> {
  return {
    'config.json': JSON.stringify({
      model_type: 'bert',
      architectures: ['BertForSequenceClassification'],
      version,
    }),
    'tokenizer.json': JSON.stringify({ version: '1.0', model: { type: 'WordLevel', vocab: { a: 0 } } }),
    'tokenizer_config.json': JSON.stringify({ model_max_length: 128 }),
    'README.md': `---\nlicense: mit\npipeline_tag: text-classification\n---\n# tiny ${version}\n`,
    'onnx/model.onnx': seededBytes(300_000, `fp32-${version}`),
    'onnx/model_quantized.onnx': seededBytes(120_000, `q8-${version}`),
    'onnx/model_quantized.onnx_data': seededBytes(60_000, `q8-data-${version}`),
    'onnx/model_fp16.onnx': seededBytes(150_000, `fp16-${version}`),
    'pytorch_model.bin': seededBytes(10_000, 'pickle'),
    'model.safetensors': seededBytes(20_000, `safetensors-${version}`),
  };
}

/** A local hub over a temporary root, and a temporary cache folder: what each download test starts from. */
export interface TestBed {
  /** The hub's root: add commits with `writeHubCommit`. */
  readonly root: string;
  readonly hub: LocalHub;
  /** An empty Hugging Face cache folder. */
  readonly cacheDirectory: string;
  /** Closes the hub and removes both folders. */
  close(): Promise<void>;
}

/**
 * Starts a {@link TestBed} whose hub serves {@link TEST_MODEL_ID} at `commitOf('v1')` (as `main`
 * and tag `v1`).
 */
export async function startTestBed(): Promise<TestBed> {
  const root = await mkdtemp(path.join(tmpdir(), 'modelscout-hub-'));
  const cacheDirectory = await mkdtemp(path.join(tmpdir(), 'modelscout-cache-'));
  await writeHubCommit(root, TEST_MODEL_ID, {
    commit: commitOf('v1'),
    refs: ['main', 'v1'],
    files: testModelFiles('v1'),
  });
  const hub = await createLocalHub({ root });
  return {
    root,
    hub,
    cacheDirectory,
    async close() {
      await hub.close();
      await rm(root, { recursive: true, force: true });
      await rm(cacheDirectory, { recursive: true, force: true });
    },
  };
}
