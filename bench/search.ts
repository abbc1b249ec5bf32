import {
  type CandidateQuery,
  createCandidateIndex,
  type ModelCandidate,
  type RandomSource,
  seededRandom,
  type Task,
} from 'modelscout';
import { information, verdict } from './measure.js';

const TASKS: readonly Task[] = [
  'text-classification',
  'token-classification',
  'question-answering',
  'zero-shot-classification',
  'translation',
  'summarization',
  'feature-extraction',
  'text-generation',
  'fill-mask',
  'sentence-similarity',
  'text-to-speech',
  'automatic-speech-recognition',
  'audio-classification',
  'image-classification',
  'object-detection',
  'image-segmentation',
  'depth-estimation',
  'image-to-text',
  'zero-shot-image-classification',
  'tabular-classification',
  'visual-question-answering',
];
const FAMILIES = [
  'bert',
  'distilbert',
  'roberta',
  'deberta',
  'electra',
  'albert',
  'gpt2',
  'llama',
  'mistral',
  'qwen',
  'phi',
  't5',
  'bart',
  'whisper',
  'wav2vec2',
  'vit',
  'clip',
  'resnet',
  'detr',
  'minilm',
];
const SIZES = ['tiny', 'mini', 'small', 'base', 'medium', 'large'];
const DATASETS = [
  'sst2',
  'imdb',
  'squad',
  'ag-news',
  'conll03',
  'mnli',
  'xsum',
  'librispeech',
  'imagenet',
  'coco',
];
const LICENSES = ['apache-2.0', 'mit', 'cc-by-4.0', 'cc-by-nc-4.0', 'gpl-3.0', 'llama3', 'other', undefined];
const LIBRARIES = ['transformers.js', 'onnx', 'transformers', 'gguf', 'sentence-transformers'];
const PROVIDERS = ['huggingface', 'hf-cache', 'ollama'];
const CAPABILITIES = ['transformers.js', 'json-mode', 'tools', 'vision', 'quantized'];

function pick<Value>(random: RandomSource, values: readonly Value[]): Value {
  return values[Math.floor(random.next() * values.length)]!;
}

/** `count` realistic candidates (ids like `org-123/bert-tiny-sst2-456`), reproducible from `seed`. */
export function generateCandidates(count: number, seed = 1): ModelCandidate[] {
  const random = seededRandom(seed);
  const candidates: ModelCandidate[] = [];
  for (let index = 0; index < count; index++) {
    const family = pick(random, FAMILIES);
    const size = pick(random, SIZES);
    const task = pick(random, TASKS);
    const tasks = random.next() < 0.1 ? [task, pick(random, TASKS)] : [task];
    const parameters = Math.round(10 ** (6 + random.next() * 4));
    const capabilities = CAPABILITIES.filter(() => random.next() < 0.2);
    candidates.push({
      id: `org-${Math.floor(random.next() * 2000)}/${family}-${size}-${pick(random, DATASETS)}-${index}`,
      provider: pick(random, PROVIDERS),
      tasks: [...new Set(tasks)],
      capabilities,
      library: pick(random, LIBRARIES),
      family,
      license: pick(random, LICENSES),
      gated: random.next() < 0.05,
      parameters,
      sizeBytes: parameters * (random.next() < 0.5 ? 4 : 1),
      memoryBytes: parameters * 5,
      metrics: random.next() < 0.3 ? { accuracy: 0.5 + random.next() * 0.5 } : undefined,
      downloads: Math.floor(10 ** (random.next() * 6)),
      likes: Math.floor(10 ** (random.next() * 3)),
      lastModified: new Date(1_600_000_000_000 + Math.floor(random.next() * 150_000_000_000)).toISOString(),
    });
  }
  return candidates;
}

const TEXTS = [
  'bert',
  'distilbert sst2',
  'llama',
  'whisper small',
  'roberta base imdb',
  'clip vision',
  'sentiment',
  'classification',
  'distilbrt',
  'qwen gguf',
  'mini squad',
  'vit imagenet',
  'apache',
  'detr coco',
  'text generation',
];

function textQuery(random: RandomSource, candidates: readonly ModelCandidate[]): CandidateQuery {
  // One query in ten is an exact id, as when a user pastes one.
  if (random.next() < 0.1) return { text: pick(random, candidates).id };
  return { text: pick(random, TEXTS) };
}

function filterQuery(random: RandomSource): CandidateQuery {
  const query: Record<string, unknown> = { task: pick(random, TASKS) };
  if (random.next() < 0.5) query.license = { allow: ['permissive'] };
  if (random.next() < 0.5) query.maxSizeBytes = 10 ** (7 + random.next() * 3);
  if (random.next() < 0.3) query.library = pick(random, LIBRARIES);
  if (random.next() < 0.3) query.capabilities = [pick(random, CAPABILITIES)];
  if (random.next() < 0.2) query.metrics = { accuracy: { min: 0.8 } };
  if (random.next() < 0.5) query.sort = pick(random, ['downloads', 'likes', 'lastModified', 'size'] as const);
  return query as CandidateQuery;
}

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

/**
 * In-memory search over `count` generated candidates (issue 3: p95 ≤ 10 ms with filters + free
 * text over 100,000). Each query type runs `queries` seeded queries after a warmup; each query is
 * timed on its own.
 */
export function runSearchBenchmark({
  count = 100_000,
  queries = 300,
  targetMs = 10,
}: {
  count?: number;
  queries?: number;
  targetMs?: number;
} = {}): { lines: string[]; failures: number } {
  const candidates = generateCandidates(count);
  const buildStart = performance.now();
  const index = createCandidateIndex(candidates);
  const buildMs = performance.now() - buildStart;
  const lines = [
    information(`Build the index of ${count.toLocaleString('en')} candidates (ms)`, buildMs, 'ms'),
  ];
  const kinds: readonly [string, (random: RandomSource) => CandidateQuery][] = [
    ['free text only', (random) => textQuery(random, candidates)],
    ['filters only', (random) => filterQuery(random)],
    ['free text + filters', (random) => ({ ...filterQuery(random), ...textQuery(random, candidates) })],
  ];
  let failures = 0;
  for (const [label, makeQuery] of kinds) {
    const warmup = seededRandom(`warmup-${label}`);
    for (let query = 0; query < 100; query++) index.search(makeQuery(warmup));
    const random = seededRandom(`measure-${label}`);
    const times: number[] = [];
    let matches = 0;
    for (let query = 0; query < queries; query++) {
      const candidateQuery = makeQuery(random);
      const start = performance.now();
      matches += index.search(candidateQuery).total;
      times.push(performance.now() - start);
    }
    times.sort((left, right) => left - right);
    const p95 = percentile(times, 0.95);
    const prefix = `Search ${count.toLocaleString('en')} candidates, ${label}`;
    lines.push(information(`${prefix}: p50 (ms)`, percentile(times, 0.5), 'ms'));
    lines.push(verdict(`${prefix}: p95 (ms)`, p95, targetMs, 'ms'));
    lines.push(information(`${prefix}: mean matches per query`, matches / queries, ''));
    if (p95 > targetMs) failures++;
  }
  return { lines, failures };
}
