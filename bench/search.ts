import v8 from 'node:v8';
import vm from 'node:vm';
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

/** Phrases a user might type, some matching many candidates, one ('sentiment') matching none. */
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

/** Words that occur in the generated candidates' text fields (ids, tasks, libraries, licenses, …). */
const WORDS = [
  ...new Set([
    ...FAMILIES,
    ...SIZES,
    ...DATASETS,
    ...TASKS.flatMap((task) => task.split('-')),
    ...LIBRARIES.flatMap((library) => library.split(/[-.]/)),
    ...LICENSES.flatMap((license) => license?.split(/[-.]/) ?? []),
    ...CAPABILITIES.flatMap((capability) => capability.split(/[-.]/)),
    'org',
  ]),
].filter((word) => word.length >= 2);

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** `word` as typed: whole, cut short (a prefix), or with one typo (fuzzy), as a user would. */
function typedWord(random: RandomSource, word: string): string {
  const draw = random.next();
  if (draw < 0.25 && word.length >= 3)
    return word.slice(0, 2 + Math.floor(random.next() * (word.length - 2)));
  if (draw < 0.5 && word.length >= 5) {
    const at = 1 + Math.floor(random.next() * (word.length - 1));
    const letter = pick(random, [...LETTERS]);
    const edit = Math.floor(random.next() * 3);
    if (edit === 0) return word.slice(0, at) + letter + word.slice(at + 1); // substitution
    if (edit === 1) return word.slice(0, at) + word.slice(at + 1); // deletion
    return word.slice(0, at) + letter + word.slice(at); // insertion
  }
  return word;
}

function textQuery(random: RandomSource, candidates: readonly ModelCandidate[]): CandidateQuery {
  const draw = random.next();
  // One query in ten is an exact id, as when a user pastes one; two in ten are common phrases.
  if (draw < 0.1) return { text: pick(random, candidates).id };
  if (draw < 0.3) return { text: pick(random, TEXTS) };
  const count = random.next() < 0.5 ? 1 : random.next() < 0.7 ? 2 : 3;
  const words = Array.from({ length: count }, () => typedWord(random, pick(random, WORDS)));
  return { text: words.join(' ') };
}

function filterQuery(random: RandomSource): CandidateQuery {
  const query: Record<string, unknown> = { task: pick(random, TASKS) };
  if (random.next() < 0.5) {
    query.license =
      random.next() < 0.8
        ? { allow: ['permissive'] }
        : { deny: ['non-commercial'], allowUnknown: false, allowGated: false };
  }
  if (random.next() < 0.5) query.maxSizeBytes = 10 ** (7 + random.next() * 3);
  if (random.next() < 0.1) query.minParameters = 10 ** (6 + random.next() * 2);
  if (random.next() < 0.3) query.library = pick(random, LIBRARIES);
  if (random.next() < 0.2) query.provider = pick(random, PROVIDERS);
  if (random.next() < 0.3) query.capabilities = [pick(random, CAPABILITIES)];
  if (random.next() < 0.2) query.metrics = { accuracy: { min: 0.8 } };
  if (random.next() < 0.5) {
    query.sort = pick(random, ['downloads', 'likes', 'lastModified', 'size', 'parameters'] as const);
  }
  if (random.next() < 0.2) query.order = pick(random, ['ascending', 'descending'] as const);
  return query as CandidateQuery;
}

/** Without the task filter: broad filters that match a large share of the candidates. */
function broadFilterQuery(random: RandomSource): CandidateQuery {
  const { task: _task, ...query } = filterQuery(random);
  if (random.next() < 0.5) return { ...query, modality: pick(random, ['nlp', 'cv', 'audio'] as const) };
  return query;
}

/** Most users read the first page; some page on, a few far. */
function pagination(random: RandomSource): Pick<CandidateQuery, 'offset' | 'limit'> {
  const draw = random.next();
  if (draw < 0.7) return {};
  if (draw < 0.9) return { offset: 20 * (1 + Math.floor(random.next() * 5)) };
  return { offset: Math.floor(random.next() * 1000), limit: 100 };
}

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

/** Forces a full garbage collection (only to measure the heap that the index holds). */
function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  gc();
  gc();
}

/**
 * In-memory search over `count` generated candidates (issue 3: p95 ≤ 10 ms with filters + free
 * text over 100,000). Each kind of query runs `queries` seeded queries after a warmup, each timed
 * on its own. Free text mixes pasted ids, common phrases and one to three words typed whole, cut
 * short (prefix matches) or with a typo (fuzzy matches); filters combine a task or a broad filter
 * with license, size, library, provider, capability and metric bounds; sorts, orders and pages
 * vary. Also reports the build time and heap of the index, the first queries after the build
 * (which build lazy structures), and incremental additions and removals.
 */
export function runSearchBenchmark({
  count = 100_000,
  queries = 500,
  targetMs = 10,
}: {
  count?: number;
  queries?: number;
  targetMs?: number;
} = {}): { lines: string[]; failures: number } {
  const candidates = generateCandidates(count);
  const spare = generateCandidates(2_000, 2).map((candidate, index) => ({
    ...candidate,
    id: `spare-${index}/${candidate.id}`,
  }));
  collectGarbage();
  const heapBefore = process.memoryUsage().heapUsed;
  const buildStart = performance.now();
  const index = createCandidateIndex(candidates);
  const buildMs = performance.now() - buildStart;
  collectGarbage();
  const heapMegabytes = (process.memoryUsage().heapUsed - heapBefore) / 1e6;
  const size = count.toLocaleString('en');
  const lines = [
    information(`Build the index of ${size} candidates (ms)`, buildMs, 'ms'),
    information(`Heap used by the index of ${size} candidates (MB)`, heapMegabytes, 'MB'),
  ];
  const time = (run: () => unknown) => {
    const start = performance.now();
    run();
    return performance.now() - start;
  };
  lines.push(
    information(
      'First query after the build, sorted by downloads (ms)',
      time(() => index.search({})),
      'ms',
    ),
    information(
      'First free-text query after the build (ms)',
      time(() => index.search({ text: 'bert' })),
      'ms',
    ),
  );

  const kinds: readonly [string, (random: RandomSource) => CandidateQuery][] = [
    ['free text only', (random) => ({ ...textQuery(random, candidates), ...pagination(random) })],
    [
      'filters only',
      (random) => ({
        ...(random.next() < 0.8 ? filterQuery(random) : broadFilterQuery(random)),
        ...pagination(random),
      }),
    ],
    [
      'free text + filters',
      (random) => ({
        ...(random.next() < 0.8 ? filterQuery(random) : broadFilterQuery(random)),
        ...textQuery(random, candidates),
        ...pagination(random),
      }),
    ],
  ];
  let failures = 0;
  for (const [label, makeQuery] of kinds) {
    const warmup = seededRandom(`warmup-${label}`);
    for (let query = 0; query < 200; query++) index.search(makeQuery(warmup));
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
    const prefix = `Search ${size} candidates, ${label}`;
    lines.push(information(`${prefix}: p50 (ms)`, percentile(times, 0.5), 'ms'));
    lines.push(verdict(`${prefix}: p95 (ms)`, p95, targetMs, 'ms'));
    lines.push(information(`${prefix}: max (ms)`, times.at(-1)!, 'ms'));
    lines.push(information(`${prefix}: mean matches per query`, matches / queries, ''));
    if (p95 > targetMs) failures++;
  }

  // Incremental changes: add new candidates and replace existing ones, remove some, query again.
  const replaced = candidates.slice(0, 1_000).map((candidate) => ({ ...candidate, downloads: 0 }));
  lines.push(
    information(
      'Add 2,000 new and replace 1,000 candidates (ms)',
      time(() => index.add([...spare, ...replaced])),
      'ms',
    ),
    information(
      'Remove 1,000 candidates (ms)',
      time(() =>
        index.remove(
          candidates.slice(1_000, 2_000).map((candidate) => `${candidate.provider}:${candidate.id}`),
        ),
      ),
      'ms',
    ),
    information(
      'First query after the changes, sorted by downloads (ms)',
      time(() => index.search({})),
      'ms',
    ),
  );
  return { lines, failures };
}
