// The transformers.js runner on the project's model zoo (examples/models), served by the local hub
// over real HTTP and read from its folders: real onnxruntime-node inference.
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { env, pipeline } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ModelCandidate } from '../../core/model-candidate.js';
import { createLocalHub, type LocalHub } from '../../discovery/local-hub/create-local-hub.js';
import { huggingFace } from '../../discovery/providers/hugging-face.js';
import { localDirectory } from '../../discovery/providers/local-directory.js';
import { RunnerError } from '../../errors/runner-error.js';
import { runnerConformance } from '../../testing/runner-conformance.js';
import { estimateMemoryBytes, ONNX_MEMORY_FACTOR } from './memory-estimate.js';
import { type TransformersJsLoadedModel, transformersJsRunner } from './transformers-js-runner.js';

const MODELS_ROOT = path.resolve(import.meta.dirname, '../../../examples/models');
const SAMPLE = path.resolve(import.meta.dirname, '../../../examples/data/sst2-sample.tsv');
const CLASSIFIER = 'modelscout/sst2-bow-logreg';
const EMBEDDER = 'modelscout/sentence-embedding-mini';
const TOPICS = 'modelscout/agnews-bow';

let hub: LocalHub;
let cacheDir: string;
let texts: string[];
let hubCandidates: Record<string, ModelCandidate>;
let folderCandidates: Record<string, ModelCandidate>;
const savedEnvironment: Record<string, unknown> = {};
const ENVIRONMENT_KEYS = [
  'remoteHost',
  'remotePathTemplate',
  'allowRemoteModels',
  'allowLocalModels',
  'useFSCache',
  'cacheDir',
] as const;

beforeAll(async () => {
  hub = await createLocalHub({ root: MODELS_ROOT });
  cacheDir = await mkdtemp(path.join(tmpdir(), 'modelscout-runner-cache-'));
  texts = (await readFile(SAMPLE, 'utf8'))
    .split('\n')
    .slice(1, 41)
    .map((line) => line.slice(0, line.lastIndexOf('\t')));
  const hubProvider = huggingFace({ hubUrl: hub.url });
  const folderProvider = localDirectory({ root: MODELS_ROOT });
  hubCandidates = {};
  folderCandidates = {};
  for (const id of [CLASSIFIER, EMBEDDER, TOPICS]) {
    hubCandidates[id] = (await hubProvider.getModel(id))!;
    folderCandidates[id] = (await folderProvider.getModel(id))!;
  }
  // The direct pipeline() calls below read the hub from transformers.js's env, as test/zoo.test.ts does.
  for (const key of ENVIRONMENT_KEYS) savedEnvironment[key] = env[key];
  Object.assign(env, {
    remoteHost: `${hub.url}/`,
    remotePathTemplate: '{model}/resolve/{revision}/',
    allowRemoteModels: true,
    allowLocalModels: false,
    useFSCache: true,
    cacheDir,
  });
}, 60_000);

afterAll(async () => {
  Object.assign(env, savedEnvironment);
  await hub?.close();
  if (cacheDir) await rm(cacheDir, { recursive: true, force: true });
});

runnerConformance(
  { test },
  {
    name: 'transformersJsRunner (text-classification, local hub)',
    create: async () => ({
      runner: transformersJsRunner({ hubUrl: hub.url, cacheDir }),
      candidate: hubCandidates[CLASSIFIER]!,
      task: 'text-classification',
      inputs: texts.slice(0, 5),
      unsupported: { candidate: { id: 'llama3.2:latest', provider: 'ollama' }, task: 'text-generation' },
    }),
  },
);

runnerConformance(
  { test },
  {
    name: 'transformersJsRunner (feature-extraction q8, local hub)',
    create: async () => ({
      runner: transformersJsRunner({ hubUrl: hub.url, cacheDir }),
      candidate: hubCandidates[EMBEDDER]!,
      task: 'feature-extraction',
      loadOptions: { dtype: 'q8' },
      inputs: texts.slice(0, 4),
      unsupported: { candidate: hubCandidates[CLASSIFIER]!, task: 'feature-extraction' },
    }),
  },
);

runnerConformance(
  { test },
  {
    name: 'transformersJsRunner (sentence-similarity, local folder)',
    create: async () => ({
      runner: transformersJsRunner(),
      candidate: folderCandidates[EMBEDDER]!,
      task: 'sentence-similarity',
      inputs: [
        { source: texts[0]!, other: texts[1]! },
        { source: texts[2]!, other: texts[2]! },
        { source: texts[3]!, other: texts[4]! },
      ],
    }),
  },
);

describe('transformersJsRunner on the model zoo', () => {
  test('classifies 40 rows in one batch exactly as a direct pipeline() call does, with every label', async () => {
    const runner = transformersJsRunner({ hubUrl: hub.url, cacheDir, maxBatchSize: 64 });
    const model = (await runner.load(
      hubCandidates[CLASSIFIER]!,
      'text-classification',
    )) as TransformersJsLoadedModel;
    const direct = await pipeline('text-classification', CLASSIFIER, { dtype: 'fp32' });
    try {
      const predictions = await model.predict(texts);
      const expected = (await direct(texts, { top_k: null })) as { label: string; score: number }[][];
      expect(predictions).toHaveLength(texts.length);
      predictions.forEach((prediction, index) => {
        const scores = Object.fromEntries(expected[index]!.map(({ label, score }) => [label, score]));
        expect(prediction.scores).toEqual(scores);
        expect(prediction.output).toBe(expected[index]![0]!.label);
        expect(Object.keys(prediction.scores!).sort()).toEqual(['NEGATIVE', 'POSITIVE']);
      });
      expect(model.dtype).toBe('fp32');
      expect(model.loadMs).toBeGreaterThan(0);
      expect(model.estimatedMemoryBytes).toBe(Math.round(245_124 * ONNX_MEMORY_FACTOR));
      expect(model.memoryBytes).toBeGreaterThanOrEqual(model.estimatedMemoryBytes!);
    } finally {
      await model.dispose();
      await direct.dispose();
    }
  });

  // The runner reads every label's probability from the logits itself (no TopK session run): the
  // labels, the scores to the last bit and the top label must still be the pipeline's own.
  test('four labels, each dtype, one row at a time and in a batch: exactly the pipeline with top_k: null', async () => {
    const runner = transformersJsRunner({ hubUrl: hub.url, cacheDir, maxBatchSize: 8 });
    const news = (await readFile(path.join(path.dirname(SAMPLE), 'agnews-sample.tsv'), 'utf8'))
      .split('\n')
      .slice(1, 25)
      .map((line) => line.slice(0, line.lastIndexOf('\t')));
    for (const dtype of ['fp32', 'fp16', 'q8']) {
      const model = await runner.load(hubCandidates[TOPICS]!, 'text-classification', { dtype });
      const direct = await pipeline('text-classification', TOPICS, { dtype: dtype as 'fp32' });
      try {
        const batched = await model.predict(news);
        const single = [];
        for (const text of news.slice(0, 10)) single.push(...(await model.predict([text])));
        const expected = (await direct(news, { top_k: null })) as { label: string; score: number }[][];
        batched.forEach((prediction, index) => {
          expect(prediction.output, `${dtype} row ${index}`).toBe(expected[index]![0]!.label);
          expect(prediction.scores).toEqual(
            Object.fromEntries(expected[index]!.map(({ label, score }) => [label, score])),
          );
        });
        for (const [index, prediction] of single.entries()) {
          const alone = (await direct(news[index]!, { top_k: null })) as { label: string; score: number }[];
          expect(prediction.output).toBe(alone[0]!.label);
          expect(prediction.scores).toEqual(
            Object.fromEntries(alone.map(({ label, score }) => [label, score])),
          );
        }
        expect(new Set(batched.map((prediction) => prediction.output)).size).toBeGreaterThan(1);
        expect(Object.keys(batched[0]!.scores!).sort()).toEqual(['Business', 'Sci/Tech', 'Sports', 'World']);
      } finally {
        await model.dispose();
        await direct.dispose();
      }
    }
  });

  test('embeds rows from the local folder exactly as a direct pipeline() call does, for each dtype', async () => {
    const runner = transformersJsRunner({ maxBatchSize: 16 });
    for (const dtype of ['fp32', 'fp16', 'q8'] as const) {
      const model = await runner.load(folderCandidates[EMBEDDER]!, 'feature-extraction', { dtype });
      const direct = await pipeline('feature-extraction', EMBEDDER, { dtype });
      try {
        expect(model.dtype).toBe(dtype);
        const predictions = await model.predict(texts);
        // Batches of 16 pad differently from one batch of 40; masked mean pooling makes that moot up to float error.
        const expected = (await direct(texts, { pooling: 'mean', normalize: true })).tolist() as number[][];
        predictions.forEach((prediction, index) => {
          const vector = prediction.output as number[];
          expect(vector).toHaveLength(32);
          for (const [dimension, value] of vector.entries()) {
            expect(value).toBeCloseTo(expected[index]![dimension]!, 5);
          }
        });
      } finally {
        await model.dispose();
        await direct.dispose();
      }
    }
  });

  test('loads of the same model share one pipeline until the last is disposed', async () => {
    const runner = transformersJsRunner({ hubUrl: hub.url, cacheDir });
    const [first, second] = (await Promise.all([
      runner.load(hubCandidates[CLASSIFIER]!, 'text-classification'),
      runner.load(hubCandidates[CLASSIFIER]!, 'text-classification'),
    ])) as TransformersJsLoadedModel[];
    expect([first!.sharedSession, second!.sharedSession].sort()).toEqual([false, true]);
    const other = (await runner.load(hubCandidates[CLASSIFIER]!, 'text-classification', {
      dtype: 'q8',
    })) as TransformersJsLoadedModel;
    expect(other.sharedSession).toBe(false);
    await first!.dispose();
    expect((await second!.predict([texts[0]!]))[0]!.output).toMatch(/^(POSITIVE|NEGATIVE)$/);
    await second!.dispose();
    await other.dispose();
    const unshared = transformersJsRunner({ hubUrl: hub.url, cacheDir, shareSessions: false });
    const a = (await unshared.load(
      hubCandidates[CLASSIFIER]!,
      'text-classification',
    )) as TransformersJsLoadedModel;
    const b = (await unshared.load(
      hubCandidates[CLASSIFIER]!,
      'text-classification',
    )) as TransformersJsLoadedModel;
    expect([a.sharedSession, b.sharedSession]).toEqual([false, false]);
    await a.dispose();
    await b.dispose();
  });

  test("restores transformers.js's env after each load", async () => {
    const before = Object.fromEntries(ENVIRONMENT_KEYS.map((key) => [key, env[key]]));
    const runner = transformersJsRunner({
      hubUrl: 'http://127.0.0.1:1',
      localModelPath: MODELS_ROOT,
      cacheDir,
    });
    // Found under localModelPath first: the unreachable hub is never called.
    const model = await runner.load(
      { id: CLASSIFIER, tasks: ['text-classification'] },
      'text-classification',
    );
    expect(Object.fromEntries(ENVIRONMENT_KEYS.map((key) => [key, env[key]]))).toEqual(before);
    expect(env.localModelPath).not.toBe(`${MODELS_ROOT}${path.sep}`);
    await model.dispose();
  });

  test('chooses a dtype the candidate has, and rejects one it lacks or a missing model', async () => {
    const runner = transformersJsRunner({ hubUrl: hub.url, cacheDir });
    const onlyQuantized = { ...hubCandidates[CLASSIFIER]!, dtypes: ['fp16', 'q8'] };
    const model = await runner.load(onlyQuantized, 'text-classification');
    expect(model.dtype).toBe('q8');
    await model.dispose();
    await expect(
      runner.load(hubCandidates[CLASSIFIER]!, 'text-classification', { dtype: 'q4' }),
    ).rejects.toMatchObject({
      name: 'RunnerError',
      reason: 'unsupported',
    });
    const missing = await runner
      .load({ id: 'modelscout/no-such-model', library: 'transformers.js' }, 'text-classification')
      .catch((error: unknown) => error);
    expect(RunnerError.isInstance(missing) && missing.reason).toBe('load-failed');
    await expect(runner.load({ id: 'x', library: 'gguf' }, 'text-classification')).rejects.toMatchObject({
      reason: 'unsupported',
    });
  });

  test('estimateMemoryBytes: the chosen ONNX file × the factor, undefined when unknown', () => {
    const candidate = folderCandidates[EMBEDDER]!;
    expect(estimateMemoryBytes(candidate, 'fp32')).toBe(Math.round(2_169_164 * ONNX_MEMORY_FACTOR));
    expect(estimateMemoryBytes(candidate, 'q8')).toBe(Math.round(634_886 * ONNX_MEMORY_FACTOR));
    expect(estimateMemoryBytes(candidate, 'q4')).toBeUndefined();
    expect(estimateMemoryBytes({ id: 'bare' }, 'fp32')).toBeUndefined();
    const seq2seq: ModelCandidate = {
      id: 's',
      files: [
        { path: 'onnx/encoder_model.onnx', sizeBytes: 100 },
        { path: 'onnx/decoder_model.onnx', sizeBytes: 1000 },
        { path: 'onnx/decoder_model_merged.onnx', sizeBytes: 200 },
        { path: 'onnx/decoder_model_merged.onnx_data', sizeBytes: 300 },
        { path: 'onnx/decoder_model_merged_quantized.onnx', sizeBytes: 50 },
      ],
    };
    expect(estimateMemoryBytes(seq2seq, 'fp32')).toBe(Math.round(600 * ONNX_MEMORY_FACTOR));
  });
});

test('a model read from a local copy that holds only q8 weights loads q8, whatever dtypes the Hub lists', async () => {
  const folder = await mkdtemp(path.join(tmpdir(), 'modelscout-q8-only-'));
  try {
    const source = path.join(MODELS_ROOT, CLASSIFIER);
    for (const file of [
      'config.json',
      'tokenizer.json',
      'tokenizer_config.json',
      'special_tokens_map.json',
    ]) {
      await cp(path.join(source, file), path.join(folder, file));
    }
    await cp(
      path.join(source, 'onnx', 'model_quantized.onnx'),
      path.join(folder, 'onnx', 'model_quantized.onnx'),
      {
        recursive: true,
      },
    );
    const candidate: ModelCandidate = {
      ...hubCandidates[CLASSIFIER]!,
      localPath: folder,
      localCopies: [{ provider: 'hf-cache', path: folder, dtypes: ['q8'] }],
    };
    expect(candidate.dtypes).toContain('fp32'); // the Hub's list, which the folder does not hold
    const model = (await transformersJsRunner().load(
      candidate,
      'text-classification',
    )) as TransformersJsLoadedModel;
    try {
      expect(model.dtype).toBe('q8');
      const [prediction] = await model.predict(['a gorgeous, witty, seductive movie']);
      expect(prediction?.output).toBe('POSITIVE');
    } finally {
      await model.dispose();
    }
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
});
