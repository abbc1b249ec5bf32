// The evaluator on real data: the zoo's SST-2 classifiers (examples/models, served by the local
// hub) on ../shared/datasets/sst2/dev.tsv. What the evaluator reports must equal an independent
// straight loop over transformers.js pipeline() on the same rows, prediction by prediction.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { env, pipeline } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createEvaluator } from '../src/evaluation/evaluator/index.js';
import { transformersJsRunner } from '../src/evaluation/runners/transformers-js-runner.js';
import type { InferenceRunner, Prediction } from '../src/evaluation/spec.js';
import { createLocalHub, type LocalHub, seededRandom } from '../src/index.js';
import { sharedPath } from './shared-data.js';

const MODELS_ROOT = path.resolve(import.meta.dirname, '../examples/models');
const MODELS = [
  'modelscout/sst2-bow-logreg',
  'modelscout/sst2-bigram-hashed',
  'modelscout/sst2-embedding-mlp',
];
const LABELS = ['NEGATIVE', 'POSITIVE'];

let hub: LocalHub;
let cacheDir: string;
let rows: { input: string; label: string }[];

beforeAll(async () => {
  const text = await readFile(sharedPath('datasets', 'sst2', 'dev.tsv'), 'utf8');
  rows = text
    .split('\n')
    .slice(1)
    .filter((line) => line !== '')
    .map((line) => {
      const tab = line.lastIndexOf('\t');
      return { input: line.slice(0, tab), label: LABELS[Number(line.slice(tab + 1))]! };
    });
  hub = await createLocalHub({ root: MODELS_ROOT, port: 0 });
  cacheDir = await mkdtemp(path.join(tmpdir(), 'modelscout-evaluation-cache-'));
  // The independent loop uses transformers.js directly, configured as test/zoo.test.ts does.
  env.remoteHost = `${hub.url}/`;
  env.remotePathTemplate = '{model}/resolve/{revision}/';
  env.allowRemoteModels = true;
  env.allowLocalModels = false;
  env.useFSCache = true;
  env.cacheDir = cacheDir;
}, 60_000);

afterAll(async () => {
  await hub?.close();
  if (cacheDir) await rm(cacheDir, { recursive: true, force: true });
});

/** Wraps a runner so that every prediction it returns is recorded, per model, in order. */
function recording(runner: InferenceRunner): { runner: InferenceRunner; outputs: Map<string, unknown[]> } {
  const outputs = new Map<string, unknown[]>();
  return {
    outputs,
    runner: {
      ...runner,
      supports: (candidate, task) => runner.supports(candidate, task),
      async load(candidate, task, options) {
        const model = await runner.load(candidate, task, options);
        const seen: unknown[] = [];
        outputs.set(candidate.id, seen);
        return {
          ...model,
          modelId: model.modelId,
          task: model.task,
          async predict(inputs, predictOptions) {
            const predictions: ReadonlyArray<Prediction> = await model.predict(inputs, predictOptions);
            for (const prediction of predictions) seen.push(prediction.output);
            return predictions;
          },
          dispose: () => model.dispose(),
        };
      },
    },
  };
}

/** The straight loop: pipeline() on each row, one at a time, and the top label. */
async function straightLoop(modelId: string): Promise<string[]> {
  const classify = await pipeline('text-classification', modelId, { dtype: 'fp32' });
  try {
    const labels: string[] = [];
    for (const row of rows) {
      const [top] = (await classify(row.input)) as { label: string }[];
      labels.push(top!.label);
    }
    return labels;
  } finally {
    await classify.dispose();
  }
}

describe('evaluating the zoo’s SST-2 classifiers on sst2/dev.tsv', () => {
  test('accuracy equals a straight loop over pipeline(), prediction by prediction', async () => {
    const { runner, outputs } = recording(transformersJsRunner({ hubUrl: hub.url, cacheDir }));
    const evaluator = createEvaluator({ runners: [runner], random: seededRandom(1) });
    const scores = await evaluator.evaluate({
      candidates: MODELS.map((id) => ({ candidate: { id, dtypes: ['fp32', 'fp16', 'q8'] }, dtype: 'fp32' })),
      data: { task: 'text-classification', examples: rows },
      batchSize: 32,
      budgetMs: Number.POSITIVE_INFINITY,
    });
    for (const [index, modelId] of MODELS.entries()) {
      const score = scores[index]!;
      const expected = await straightLoop(modelId);
      expect(outputs.get(modelId)).toEqual(expected);
      const correct = expected.filter((label, row) => label === rows[row]!.label).length;
      expect(score).toMatchObject({
        modelId,
        samples: rows.length,
        partial: false,
        stopReason: 'completed',
        dtype: 'fp32',
        quality: { metric: 'accuracy', value: correct / rows.length },
        failures: { errors: 0, timeouts: 0, malformed: 0 },
      });
      expect(score.quality.lower).toBeLessThan(score.quality.value);
      expect(score.latencyMs.p50).toBeGreaterThan(0);
      expect(score.throughput).toBeGreaterThan(0);
      expect(score.loadMs).toBeGreaterThan(0);
      expect(score.memoryBytes).toBeGreaterThan(0);
    }
    // The card's held-out accuracy (fp32) is what the evaluator measures.
    expect(scores.map((score) => Number(score.quality.value.toFixed(4)))).toEqual([0.9029, 0.9237, 0.9195]);
  }, 180_000);

  test('a race picks the same winner with at most 40 % of the samples', async () => {
    const runner = transformersJsRunner({ hubUrl: hub.url, cacheDir });
    const evaluator = createEvaluator({ runners: [runner], random: seededRandom(2) });
    const candidates = MODELS.map((id) => ({ candidate: { id, dtypes: ['fp32'] }, dtype: 'fp32' }));
    const data = { task: 'text-classification' as const, examples: rows };
    const raced = await evaluator.evaluate({
      candidates,
      data,
      batchSize: 32,
      budgetMs: Number.POSITIVE_INFINITY,
      race: true,
    });
    const winner = raced.find((score) => score.race?.winner)?.modelId;
    expect(winner).toBe('modelscout/sst2-bigram-hashed');
    const used = raced.reduce((sum, score) => sum + score.samples, 0);
    expect(used / (MODELS.length * rows.length)).toBeLessThanOrEqual(0.4);
    expect(raced.find((score) => score.modelId === 'modelscout/sst2-bow-logreg')?.stopReason).toBe(
      'eliminated',
    );
  }, 180_000);
});
