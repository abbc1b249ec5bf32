// The registry on the project's model zoo (examples/models), read from its folders by
// transformersJsRunner(): real ONNX sessions, real dtype files, real memory measurements.
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { ModelCandidate } from '../../core/model-candidate.js';
import { localDirectory } from '../../discovery/providers/local-directory.js';
import { ModelRegistryError } from '../../errors/registry-error.js';
import { RunnerError } from '../../errors/runner-error.js';
import { estimateMemoryBytes } from '../../evaluation/runners/memory-estimate.js';
import { transformersJsRunner } from '../../evaluation/runners/transformers-js-runner.js';
import { createModelRegistry } from './create-model-registry.js';
import type { ModelRegistry } from './model-registry.js';
import type { ModelUnloadedEvent } from './registry-events.js';
import type { ModelRegistryOptions } from './registry-options.js';

const MODELS_ROOT = path.resolve(import.meta.dirname, '../../../examples/models');
const BOW = 'modelscout/sst2-bow-logreg';
const BIGRAM = 'modelscout/sst2-bigram-hashed';
const MLP = 'modelscout/sst2-embedding-mlp';
const TOPICS = 'modelscout/agnews-bow';
const EMBEDDER = 'modelscout/sentence-embedding-mini';

const provider = localDirectory({ root: MODELS_ROOT });
const candidates: Record<string, ModelCandidate> = {};
const registries: ModelRegistry[] = [];

beforeAll(async () => {
  for (const id of [BOW, BIGRAM, MLP, TOPICS, EMBEDDER]) candidates[id] = (await provider.getModel(id))!;
});

afterEach(async () => {
  await Promise.all(registries.splice(0).map((registry) => registry.close()));
});

function registry(options: Omit<ModelRegistryOptions, 'runners'> = {}): ModelRegistry {
  const created = createModelRegistry({ runners: [transformersJsRunner()], provider, ...options });
  registries.push(created);
  return created;
}

function estimate(id: string, dtype: string): number {
  return estimateMemoryBytes(candidates[id]!, dtype)!;
}

describe('the registry on the model zoo', () => {
  test('loads a classifier from its folder (fp32 first) and accounts its measured memory', async () => {
    const models = registry();
    const model = await models.getOrLoad(BOW, { task: 'text-classification' });
    expect(model.dtype).toBe('fp32');
    const [prediction] = await model.predict(['a gorgeous, moving film']);
    expect(Object.keys(prediction!.scores!).sort()).toEqual(['NEGATIVE', 'POSITIVE']);
    expect(prediction!.output).toBe('POSITIVE');
    // transformers.js reports the larger of the RSS growth and the estimate from the ONNX file.
    expect(model.memoryBytes).toBeGreaterThanOrEqual(estimate(BOW, 'fp32'));
    expect(models.list()).toEqual([
      expect.objectContaining({
        id: BOW,
        dtype: 'fp32',
        memoryBytes: model.memoryBytes,
        estimatedMemoryBytes: estimate(BOW, 'fp32'),
        measured: true,
        inUse: false,
      }),
    ]);
    expect(models.statistics()).toMatchObject({ loads: 1, memoryBytes: model.memoryBytes });
    expect(await models.getOrLoad(BOW, { task: 'text-classification' })).toBe(model);
    expect(models.statistics()).toMatchObject({ hits: 1, misses: 1 });
  });

  test('picks the first dtype of the preference whose estimate fits the budget', async () => {
    const q8 = estimate(EMBEDDER, 'q8');
    const fp16 = estimate(EMBEDDER, 'fp16');
    const fp32 = estimate(EMBEDDER, 'fp32');
    expect(q8 < fp16 && fp16 < fp32).toBe(true);

    const tight = registry({ maxMemoryBytes: Math.round((q8 + fp16) / 2) });
    const quantized = await tight.getOrLoad(EMBEDDER, { task: 'feature-extraction' });
    expect(quantized.dtype).toBe('q8');
    const [embedding] = await quantized.predict(['a sentence to embed']);
    expect((embedding!.output as number[]).length).toBeGreaterThan(8);

    const roomier = registry({ maxMemoryBytes: Math.round((fp16 + fp32) / 2) });
    expect((await roomier.getOrLoad(EMBEDDER, { task: 'feature-extraction' })).dtype).toBe('fp16');

    const tooSmall = registry({ maxMemoryBytes: q8 - 1 });
    const error = await tooSmall
      .getOrLoad(EMBEDDER, { task: 'feature-extraction' })
      .catch((failure) => failure);
    expect(ModelRegistryError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ reason: 'too-large', modelId: EMBEDDER });
    expect(tooSmall.statistics()).toMatchObject({ loads: 0, loading: 0 });
  });

  test('unloads the least recently used model and disposes its ONNX sessions', async () => {
    const models = registry({ maxModels: 2 });
    const unloaded: ModelUnloadedEvent[] = [];
    models.events.on('model_unloaded', (event) => unloaded.push(event));
    const bow = await models.getOrLoad(BOW, { task: 'text-classification' });
    const bigram = await models.getOrLoad(BIGRAM, { task: 'text-classification' });
    await models.getOrLoad(BOW, { task: 'text-classification' });
    const mlp = await models.getOrLoad(MLP, { task: 'text-classification' });
    expect(unloaded).toMatchObject([{ modelId: BIGRAM, reason: 'count', dtype: 'fp32' }]);
    await expect(bigram.predict(['fine'])).rejects.toSatisfy(
      (error) => RunnerError.isInstance(error) && error.reason === 'disposed',
    );
    expect((await bow.predict(['fine'])).length).toBe(1);
    expect((await mlp.predict(['fine'])).length).toBe(1);
    const listed = models.list();
    expect(listed.map((model) => model.id)).toEqual([MLP, BOW]);
    expect(models.statistics().memoryBytes).toBe(listed[0]!.memoryBytes + listed[1]!.memoryBytes);
  });

  test('makes room by the memory the runner measured, not by the estimate', async () => {
    // Two registries on one runner share the ONNX session, so both see the same measured figure.
    const runner = transformersJsRunner();
    const first = createModelRegistry({ runners: [runner], provider });
    registries.push(first);
    const measured = (await first.getOrLoad(TOPICS, { task: 'text-classification' })).memoryBytes!;
    const budget = measured + estimate(BOW, 'fp32') - 1;
    const second = createModelRegistry({ runners: [runner], provider, maxMemoryBytes: budget });
    registries.push(second);
    const unloaded: ModelUnloadedEvent[] = [];
    second.events.on('model_unloaded', (event) => unloaded.push(event));
    const topics = await second.getOrLoad(TOPICS, { task: 'text-classification' });
    expect(topics.memoryBytes).toBe(measured);
    expect(second.list()[0]).toMatchObject({ memoryBytes: measured, measured: true });
    // The classifier's estimate does not fit beside the measured topics model: the idle one goes.
    await second.getOrLoad(BOW, { task: 'text-classification', dtype: 'fp32' });
    expect(unloaded).toMatchObject([{ modelId: TOPICS, reason: 'memory', memoryBytes: measured }]);
    await expect(topics.predict(['x'])).rejects.toThrow(RunnerError);
    // The first registry's copy is untouched: the runner keeps the shared session for it.
    expect(await first.peek(TOPICS)!.predict(['Stocks rallied'])).toHaveLength(1);
  });

  test('use() pins a model: it is not unloaded for another while its function runs', async () => {
    const models = registry({ maxModels: 1 });
    const topics = await models.use(TOPICS, { task: 'text-classification' }, async (model) => {
      await expect(models.getOrLoad(BOW, { task: 'text-classification' })).rejects.toMatchObject({
        reason: 'no-room',
      });
      const [prediction] = await model.predict(['Stocks rallied as the central bank held rates']);
      return prediction!.output;
    });
    expect(typeof topics).toBe('string');
    await models.getOrLoad(BOW, { task: 'text-classification' });
    expect(models.list().map((model) => model.id)).toEqual([BOW]);
  });

  test('close() disposes every model, including one in use', async () => {
    const models = registry();
    const lease = await models.acquire(BOW, { task: 'text-classification' });
    const idle = await models.getOrLoad(EMBEDDER, { task: 'feature-extraction', dtype: 'q8' });
    await models.close();
    for (const model of [lease.model, idle]) {
      await expect(model.predict(['x'])).rejects.toSatisfy(
        (error) => RunnerError.isInstance(error) && error.reason === 'disposed',
      );
    }
    lease.release();
    expect(models.statistics()).toMatchObject({ models: 0, memoryBytes: 0, explicitUnloads: 2 });
  });
});
