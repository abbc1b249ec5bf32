// The model zoo (examples/models, built by scripts/zoo/build.ts): every model loads with
// pipeline(task, id, { dtype }) of transformers.js from the local hub, computes what the plain-JS
// reference forward pass computes, and reproduces the metrics its card reports.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { env, pipeline } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  argmax,
  DTYPE_FILES,
  DTYPES,
  type Dtype,
  type Network,
  readOnnx,
  referenceLogits,
  referenceSentenceEmbedding,
  softmax,
} from '../scripts/zoo/architectures.js';
import {
  type Corpus,
  type Example,
  encodeCorpus,
  loadAgNews,
  loadEncoder,
  loadSst2,
  type TextEncoder,
} from '../scripts/zoo/data.js';
import { classificationMetrics, nearestNeighbourAccuracy, roundMetric } from '../scripts/zoo/evaluation.js';
import { sst2RetrievalSubset } from '../scripts/zoo/zoo.js';
import { parseFrontMatter } from '../src/discovery/local-hub/front-matter.js';
import { createLocalHub, type LocalHub, localDirectory } from '../src/index.js';
import { sharedPath } from './shared-data.js';

const REPOSITORY = path.resolve(import.meta.dirname, '..');
const MODELS_ROOT = path.join(REPOSITORY, 'examples/models');
const SAMPLES_ROOT = path.join(REPOSITORY, 'examples/data');

interface ZooEntry {
  readonly name: string;
  readonly task: 'text-classification' | 'feature-extraction';
  readonly corpus: 'sst2' | 'agnews' | 'both';
}

const ZOO: readonly ZooEntry[] = [
  { name: 'sst2-bow-logreg', task: 'text-classification', corpus: 'sst2' },
  { name: 'sst2-bigram-hashed', task: 'text-classification', corpus: 'sst2' },
  { name: 'sst2-embedding-mlp', task: 'text-classification', corpus: 'sst2' },
  { name: 'agnews-bow', task: 'text-classification', corpus: 'agnews' },
  { name: 'sentence-embedding-mini', task: 'feature-extraction', corpus: 'both' },
];

/** Probabilities of the pipeline and of the reference on the same file agree this closely. */
const SAME_FILE_TOLERANCE = 1e-4;
/** How far a dtype's outputs may drift from the fp32 reference (measured on all of SST-2 dev: fp16 ≤ 1.1e-3, q8 ≤ 4.3e-2). */
const DRIFT_FROM_FP32: Readonly<Record<Dtype, number>> = { fp32: SAME_FILE_TOLERANCE, fp16: 5e-3, q8: 0.08 };
/** Reference margins below this are near-ties whose predicted label may legitimately flip. */
const NEAR_TIE = 1e-4;

let hub: LocalHub;
let cacheDirectory: string;
let encoder: TextEncoder;
let sst2: Corpus<Example>;
let agnews: Corpus<Example>;
const samples: Record<'sst2' | 'agnews', { text: string; label: number; line: string }[]> = {
  sst2: [],
  agnews: [],
};

beforeAll(async () => {
  // The full held-out sets come from ../shared; fail with the helper's clear message when it is missing.
  sharedPath('datasets', 'sst2', 'dev.tsv');
  sharedPath('datasets', 'agnews', 'train.tsv');
  sharedPath('tokenizers', 'bert-base-uncased', 'tokenizer.json');

  encoder = await loadEncoder();
  sst2 = encodeCorpus(await loadSst2(), encoder);
  agnews = encodeCorpus(await loadAgNews(), encoder);
  samples.sst2 = await readSample('sst2-sample.tsv', ['0', '1']);
  samples.agnews = await readSample('agnews-sample.tsv', ['World', 'Sports', 'Business', 'Sci/Tech']);

  hub = await createLocalHub({ root: MODELS_ROOT, port: 0 });
  cacheDirectory = await mkdtemp(path.join(tmpdir(), 'modelscout-zoo-cache-'));
  env.remoteHost = `${hub.url}/`;
  env.remotePathTemplate = '{model}/resolve/{revision}/';
  env.allowRemoteModels = true;
  env.allowLocalModels = false;
  // transformers.js hands onnxruntime-node a file path, so the file cache must be on; a fresh folder.
  env.useFSCache = true;
  env.cacheDir = cacheDirectory;
}, 60_000);

afterAll(async () => {
  await hub?.close();
  if (cacheDirectory) await rm(cacheDirectory, { recursive: true, force: true });
});

async function readSample(file: string, labels: readonly string[]) {
  const lines = (await readFile(path.join(SAMPLES_ROOT, file), 'utf8')).split('\n');
  return lines
    .slice(1)
    .filter((line) => line !== '')
    .map((line) => {
      const tab = line.lastIndexOf('\t');
      const label = labels.indexOf(line.slice(tab + 1));
      if (label < 0) throw new Error(`${file}: bad label in ${line}`);
      return { text: line.slice(0, tab), label, line };
    });
}

async function networkOf(name: string, dtype: Dtype): Promise<Network> {
  return readOnnx(
    new Uint8Array(await readFile(path.join(MODELS_ROOT, 'modelscout', name, DTYPE_FILES[dtype]))),
  );
}

async function cardOf(
  name: string,
): Promise<{ frontMatter: Record<string, unknown>; table: Map<string, number[]> }> {
  const readme = await readFile(path.join(MODELS_ROOT, 'modelscout', name, 'README.md'), 'utf8');
  const frontMatter = parseFrontMatter(readme);
  if (!frontMatter) throw new Error(`${name}: README.md has no front matter`);
  const table = new Map<string, number[]>();
  for (const line of readme.split('\n')) {
    const match = /^\| (fp32|fp16|q8) \| `onnx\/[^`]+` \| [^|]+ \|(.*)\|$/.exec(line);
    if (match)
      table.set(
        match[1]!,
        match[2]!.split('|').map((cell) => Number(cell.trim())),
      );
  }
  return { frontMatter, table };
}

/** The first metric value of each model-index result, in order. */
function modelIndexValues(frontMatter: Record<string, unknown>): number[] {
  const modelIndex = frontMatter['model-index'] as { results: { metrics: { value: number }[] }[] }[];
  return modelIndex[0]!.results.flatMap((result) => result.metrics.map((metric) => metric.value));
}

type Classifier = (texts: string[], options?: { top_k?: number | null }) => Promise<unknown>;

async function classify(
  name: string,
  dtype: Dtype,
): Promise<{ run: Classifier; dispose: () => Promise<unknown> }> {
  const loaded = await pipeline('text-classification', `modelscout/${name}`, { dtype });
  return { run: loaded as unknown as Classifier, dispose: () => loaded.dispose() };
}

/** Every class probability per text, in label-index order. */
async function pipelineProbabilities(run: Classifier, texts: string[], labels: readonly string[]) {
  const output = (await run(texts, { top_k: null })) as { label: string; score: number }[][];
  return output.map((scores) => {
    const probabilities = new Array<number>(labels.length).fill(Number.NaN);
    for (const { label, score } of scores) probabilities[labels.indexOf(label)] = score;
    return probabilities;
  });
}

/** Top labels (as indices) for many texts, in batches. */
async function pipelinePredictions(run: Classifier, texts: readonly string[], labels: readonly string[]) {
  const predictions: number[] = [];
  for (let start = 0; start < texts.length; start += 512) {
    const output = (await run(texts.slice(start, start + 512))) as { label: string }[];
    for (const { label } of output) predictions.push(labels.indexOf(label));
  }
  return predictions;
}

async function pipelineEmbeddings(name: string, dtype: Dtype, texts: readonly string[]): Promise<number[][]> {
  const extractor = await pipeline('feature-extraction', `modelscout/${name}`, { dtype });
  try {
    const vectors: number[][] = [];
    for (let start = 0; start < texts.length; start += 512) {
      const tensor = await extractor(texts.slice(start, start + 512), { pooling: 'mean', normalize: true });
      vectors.push(...(tensor.tolist() as number[][]));
    }
    return vectors;
  } finally {
    await extractor.dispose();
  }
}

function maximumDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let maximum = 0;
  for (let index = 0; index < a.length; index++) maximum = Math.max(maximum, Math.abs(a[index]! - b[index]!));
  return maximum;
}

/** Agreement of predicted labels, ignoring texts the reference calls a near-tie. */
function expectSamePredictions(predictions: readonly number[], probabilities: readonly Float64Array[]): void {
  let compared = 0;
  probabilities.forEach((reference, index) => {
    const sorted = [...reference].sort((a, b) => b - a);
    if (sorted[0]! - sorted[1]! < NEAR_TIE) return;
    compared++;
    expect(predictions[index], `prediction ${index}`).toBe(argmax(reference));
  });
  expect(compared).toBeGreaterThan(probabilities.length * 0.99);
}

describe('the model zoo on the local hub', () => {
  test('lists every model with task, library, license, dtypes and metrics from its card', async () => {
    const listing = (await (await fetch(`${hub.url}/api/models?author=modelscout`)).json()) as {
      id: string;
    }[];
    expect(listing.map((model) => model.id).sort()).toEqual(
      ZOO.map((entry) => `modelscout/${entry.name}`).sort(),
    );
    const classifiers = (await (
      await fetch(`${hub.url}/api/models?author=modelscout&pipeline_tag=text-classification`)
    ).json()) as { id: string }[];
    expect(classifiers).toHaveLength(4);

    const provider = localDirectory({ root: MODELS_ROOT });
    for (const entry of ZOO) {
      const id = `modelscout/${entry.name}`;
      const { frontMatter, table } = await cardOf(entry.name);
      const record = (await (await fetch(`${hub.url}/api/models/${id}`)).json()) as Record<string, unknown>;
      expect(record.pipeline_tag).toBe(entry.task);
      expect(record.library_name).toBe('transformers.js');
      expect(record.tags).toEqual(
        expect.arrayContaining(['onnx', 'transformers.js', 'license:apache-2.0', 'en']),
      );
      expect((record.cardData as Record<string, unknown>).license).toBe('apache-2.0');
      expect(record.siblings).toEqual(
        expect.arrayContaining(DTYPES.map((dtype) => ({ rfilename: DTYPE_FILES[dtype] }))),
      );
      // The card's headline metric is the fp32 column of its table.
      const headline = modelIndexValues(frontMatter)[0]!;
      expect(headline).toBe(table.get('fp32')![0]);

      const candidate = await provider.getModel(id);
      expect(candidate).toMatchObject({
        id,
        tasks: [entry.task],
        library: 'transformers.js',
        license: 'apache-2.0',
        dtypes: ['fp32', 'fp16', 'q8'],
      });
      const metricType = entry.task === 'text-classification' ? 'accuracy' : 'nearest_neighbor_accuracy';
      expect(candidate?.metrics?.[metricType]).toBe(headline);
    }
  });

  test('the bundled samples are rows of the held-out splits', () => {
    const sst2Lines = new Set(sst2.heldOut.map((example) => example.line));
    const agnewsLines = new Set(agnews.heldOut.map((example) => example.line));
    expect(samples.sst2).toHaveLength(500);
    expect(samples.agnews).toHaveLength(500);
    for (const row of samples.sst2) expect(sst2Lines.has(row.line)).toBe(true);
    for (const row of samples.agnews) expect(agnewsLines.has(row.line)).toBe(true);
  });

  test('the served tokenizer gives the ids the models were trained on', async () => {
    const { run, dispose } = await classify('sst2-bow-logreg', 'fp32');
    try {
      const tokenizer = (
        run as unknown as { tokenizer: (text: string) => { input_ids: { data: BigInt64Array } } }
      ).tokenizer;
      for (const row of [...samples.sst2.slice(0, 100), ...samples.agnews.slice(0, 100)]) {
        const served = Array.from(tokenizer(row.text).input_ids.data, Number);
        expect(served).toEqual(Array.from(encoder.encode(row.text)));
      }
    } finally {
      await dispose();
    }
  });
});

for (const entry of ZOO.filter((model) => model.task === 'text-classification')) {
  describe(`modelscout/${entry.name}`, () => {
    const corpus = (): Corpus<Example> => (entry.corpus === 'agnews' ? agnews : sst2);
    const sample = () => (entry.corpus === 'agnews' ? samples.agnews : samples.sst2);

    for (const dtype of DTYPES) {
      test(`${dtype}: the pipeline computes the reference forward pass of its file`, async () => {
        const network = await networkOf(entry.name, dtype);
        if (network.architecture === 'token-embedding') throw new Error('expected a classifier');
        const fullPrecision = await networkOf(entry.name, 'fp32');
        if (fullPrecision.architecture === 'token-embedding') throw new Error('expected a classifier');
        const { labels } = corpus();
        const rows = sample();
        const { run, dispose } = await classify(entry.name, dtype);
        try {
          const probabilities = await pipelineProbabilities(
            run,
            rows.map((row) => row.text),
            labels,
          );
          const reference = rows.map((row) => softmax(referenceLogits(network, encoder.encode(row.text))));
          let sameFile = 0;
          let againstFp32 = 0;
          rows.forEach((row, index) => {
            sameFile = Math.max(sameFile, maximumDifference(probabilities[index]!, reference[index]!));
            const exact = softmax(referenceLogits(fullPrecision, encoder.encode(row.text)));
            againstFp32 = Math.max(againstFp32, maximumDifference(probabilities[index]!, exact));
          });
          expect(sameFile).toBeLessThan(SAME_FILE_TOLERANCE);
          expect(againstFp32).toBeLessThan(DRIFT_FROM_FP32[dtype]);
          // The pipeline's accuracy on the sample is the reference's.
          const predictions = probabilities.map((scores) => argmax(scores));
          expectSamePredictions(predictions, reference);
          const labelsOfRows = rows.map((row) => row.label);
          const pipelineAccuracy = classificationMetrics(predictions, labelsOfRows, labels.length).accuracy;
          const referenceAccuracy = classificationMetrics(
            reference.map((scores) => argmax(scores)),
            labelsOfRows,
            labels.length,
          ).accuracy;
          expect(Math.abs(pipelineAccuracy - referenceAccuracy)).toBeLessThanOrEqual(1 / rows.length);
        } finally {
          await dispose();
        }
      });
    }

    test('reproduces its card: fp32 through the pipeline on the full held-out set, every dtype through the reference', async () => {
      const { table, frontMatter } = await cardOf(entry.name);
      const { heldOut, labels } = corpus();
      const truth = heldOut.map((example) => example.label);
      for (const dtype of DTYPES) {
        const network = await networkOf(entry.name, dtype);
        if (network.architecture === 'token-embedding') throw new Error('expected a classifier');
        const predictions = heldOut.map((example) => argmax(referenceLogits(network, example.ids)));
        const { accuracy, macroF1 } = classificationMetrics(predictions, truth, labels.length);
        expect([roundMetric(accuracy), roundMetric(macroF1)], dtype).toEqual(table.get(dtype));
      }
      expect(modelIndexValues(frontMatter)).toEqual(table.get('fp32'));

      const { run, dispose } = await classify(entry.name, 'fp32');
      try {
        const predictions = await pipelinePredictions(
          run,
          heldOut.map((example) => example.text),
          labels,
        );
        const { accuracy } = classificationMetrics(predictions, truth, labels.length);
        // One near-tie flipping between float32 (onnxruntime) and float64 (reference) is tolerated.
        expect(Math.abs(accuracy - table.get('fp32')![0]!)).toBeLessThanOrEqual(1.5 / heldOut.length);
      } finally {
        await dispose();
      }
    });
  });
}

describe('modelscout/sentence-embedding-mini', () => {
  const name = 'sentence-embedding-mini';

  for (const dtype of DTYPES) {
    test(`${dtype}: mean-pooled, normalized pipeline embeddings equal the reference`, async () => {
      const network = await networkOf(name, dtype);
      const fullPrecision = await networkOf(name, 'fp32');
      if (network.architecture !== 'token-embedding' || fullPrecision.architecture !== 'token-embedding') {
        throw new Error('expected a token-embedding network');
      }
      const texts = [...samples.sst2, ...samples.agnews].map((row) => row.text);
      const vectors = await pipelineEmbeddings(name, dtype, texts);
      expect(vectors).toHaveLength(texts.length);
      let sameFile = 0;
      let againstFp32 = 0;
      texts.forEach((text, index) => {
        const ids = encoder.encode(text);
        sameFile = Math.max(
          sameFile,
          maximumDifference(vectors[index]!, referenceSentenceEmbedding(network, ids)),
        );
        againstFp32 = Math.max(
          againstFp32,
          maximumDifference(vectors[index]!, referenceSentenceEmbedding(fullPrecision, ids)),
        );
      });
      expect(vectors[0]).toHaveLength(32);
      expect(sameFile).toBeLessThan(SAME_FILE_TOLERANCE);
      expect(againstFp32).toBeLessThan(DRIFT_FROM_FP32[dtype]);
    });
  }

  test('reproduces its card: fp32 through the pipeline, every dtype through the reference', async () => {
    const { table, frontMatter } = await cardOf(name);
    expect(modelIndexValues(frontMatter)).toEqual(table.get('fp32'));
    const sets = [agnews.heldOut, sst2RetrievalSubset(sst2.heldOut)];
    for (const dtype of DTYPES) {
      const network = await networkOf(name, dtype);
      if (network.architecture !== 'token-embedding') throw new Error('expected a token-embedding network');
      const measured = sets.map((examples) =>
        roundMetric(
          nearestNeighbourAccuracy(
            examples.map((example) => referenceSentenceEmbedding(network, example.ids)),
            examples.map((example) => example.label),
          ),
        ),
      );
      expect(measured, dtype).toEqual(table.get(dtype));
    }
    const fp32 = table.get('fp32')!;
    for (const [index, examples] of sets.entries()) {
      const vectors = await pipelineEmbeddings(
        name,
        'fp32',
        examples.map((example) => example.text),
      );
      const measured = nearestNeighbourAccuracy(
        vectors,
        examples.map((example) => example.label),
      );
      // Float32 similarities may break a near-tie differently from the float64 reference: allow a few texts.
      expect(Math.abs(measured - fp32[index]!)).toBeLessThanOrEqual(3 / examples.length);
    }
  });
});
