import MiniSearch from 'minisearch';
import { describe, expect, test } from 'vitest';
import { compileLicensePolicy, licenseGroup, licenseVerdict } from '../../core/license.js';
import type { LicensePolicy } from '../../core/license-policy.js';
import type { ModelCandidate } from '../../core/model-candidate.js';
import { modalityOf, type Task } from '../../core/task.js';
import { type RandomSource, seededRandom } from '../../random/index.js';
import {
  type CandidateQuery,
  type CandidateSearchResult,
  type CandidateSortKey,
  candidateKey,
  createCandidateIndex,
  type FacetCount,
  SEARCH_DEFAULTS,
  type SearchFacets,
} from './index.js';

// The fast index (bitsets, columns, presorted orders, postings) must return exactly what a
// straightforward reference returns: a filter over every candidate, MiniSearch itself for the
// text, a full sort, and facets counted one candidate at a time.

const ORGANIZATIONS = ['org', 'Xenova', 'openai', 'local'];
const FAMILIES = ['bert', 'distilbert', 'roberta', 'llama', 'whisper', 'clip', 'vit', 't5', 'gpt2', 'qwen'];
const SIZES = ['tiny', 'small', 'base', 'large', 'Base'];
const DATASETS = ['sst2', 'imdb', 'squad', 'coco', 'librispeech'];
const TASKS: readonly Task[] = [
  'text-classification',
  'token-classification',
  'text-generation',
  'automatic-speech-recognition',
  'image-classification',
  'zero-shot-image-classification',
  'feature-extraction',
  'summarization',
];
const LIBRARIES = ['transformers.js', 'onnx', 'transformers', 'gguf'];
const PROVIDERS = ['huggingface', 'ollama', undefined];
const LICENSES = ['apache-2.0', 'mit', 'MIT', 'cc-by-nc-4.0', 'gpl-3.0', 'llama3', 'other', undefined];
const CAPABILITIES = ['transformers.js', 'json-mode', 'tools', 'vision', 'quantized'];
const POLICIES: readonly LicensePolicy[] = [
  { allow: ['permissive'] },
  { allow: ['permissive'], allowUnknown: true },
  { deny: ['non-commercial', 'gpl-3.0'] },
  { allowGated: false, allowUnknown: false },
  { allow: ['mit', 'strong-copyleft'], allowGated: false },
];
const SORT_KEYS: readonly CandidateSortKey[] = [
  'relevance',
  'downloads',
  'likes',
  'lastModified',
  'size',
  'parameters',
];
const WORDS = [
  ...FAMILIES,
  ...SIZES,
  ...DATASETS,
  ...TASKS.flatMap((task) => task.split('-')),
  'transformers',
  'onnx',
  'gguf',
  'apache',
  'json',
  'tools',
  'quantized',
  'xenova',
  'openai',
];

function pick<Value>(random: RandomSource, values: readonly Value[]): Value {
  return values[Math.floor(random.next() * values.length)]!;
}

function maybe<Value>(random: RandomSource, probability: number, value: () => Value): Value | undefined {
  return random.next() < probability ? value() : undefined;
}

/** Varied candidates with many ties and missing fields; `tag` keeps ids of separate batches apart. */
function generate(random: RandomSource, count: number, tag: string): ModelCandidate[] {
  return Array.from({ length: count }, (_, index) => {
    const family = pick(random, FAMILIES);
    const repeated = random.next() < 0.1 ? `-${family}` : '';
    const id = `${pick(random, ORGANIZATIONS)}/${family}-${pick(random, SIZES)}-${pick(random, DATASETS)}${repeated}-${tag}${index}`;
    const tasks = maybe(random, 0.9, () =>
      [...new Set([pick(random, TASKS), pick(random, TASKS)])].slice(0, 1 + Math.floor(random.next() * 2)),
    );
    const parameters = maybe(random, 0.85, () => pick(random, [1e6, 5e6, 1e7, 1e8, 1e9]));
    return {
      id,
      provider: pick(random, PROVIDERS),
      tasks,
      modalities: maybe(random, 0.05, () => ['multimodal' as const]),
      capabilities: maybe(random, 0.7, () => CAPABILITIES.filter(() => random.next() < 0.3)),
      library: maybe(random, 0.9, () => pick(random, LIBRARIES)),
      family: maybe(random, 0.9, () => family),
      license: pick(random, LICENSES),
      gated: random.next() < 0.1,
      parameters,
      sizeBytes: maybe(random, 0.8, () => (parameters ?? 1e7) * pick(random, [1, 4])),
      memoryBytes: maybe(random, 0.7, () => pick(random, [1e7, 1e8, 1e9, 1e10])),
      metrics: maybe(
        random,
        0.5,
        (): Record<string, number> =>
          random.next() < 0.8
            ? { accuracy: pick(random, [0.5, 0.7, 0.8, 0.9, 0.95]) }
            : { latencyMs: pick(random, [5, 20]) },
      ),
      downloads: maybe(random, 0.85, () => Math.floor(random.next() * 50)),
      likes: maybe(random, 0.7, () => Math.floor(random.next() * 10)),
      lastModified: maybe(random, 0.8, () =>
        pick(random, ['2023-01-01', '2024-01-01', '2024-06-01T12:00:00Z']),
      ),
    };
  });
}

/** Candidates whose id is a plain word, so that exact id and key matches rank first. */
const NAMED: readonly ModelCandidate[] = [
  { id: 'bert', provider: 'huggingface', family: 'bert', downloads: 3 },
  { id: 'BERT', provider: 'ollama', tasks: ['text-generation'], downloads: 3 },
  { id: 'whisper', tasks: ['automatic-speech-recognition'] },
];

function typed(random: RandomSource, word: string): string {
  const draw = random.next();
  if (draw < 0.25 && word.length >= 3)
    return word.slice(0, 2 + Math.floor(random.next() * (word.length - 2)));
  if (draw < 0.5 && word.length >= 5) {
    // A substitution, a deletion or an insertion: fuzzy matches of the same length or one off.
    const at = 1 + Math.floor(random.next() * (word.length - 1));
    const letter = pick(random, ['a', 'e', 'x']);
    return (
      word.slice(0, at) +
      [letter, '', `${letter}${word[at]}`][Math.floor(random.next() * 3)]! +
      word.slice(at + 1)
    );
  }
  return word;
}

function randomText(random: RandomSource, candidates: readonly ModelCandidate[]): string {
  const draw = random.next();
  if (draw < 0.1) return pick(random, candidates).id;
  if (draw < 0.15) return candidateKey(pick(random, candidates)).toUpperCase();
  if (draw < 0.2)
    return pick(random, ['bert', 'BERT', 'huggingface:bert', 'whisper', '--', 'nothing-matches-this']);
  const count = 1 + Math.floor(random.next() * 3);
  return Array.from({ length: count }, () => typed(random, pick(random, WORDS))).join(' ');
}

function randomQuery(random: RandomSource, candidates: readonly ModelCandidate[]): CandidateQuery {
  const query: Record<string, unknown> = {};
  if (random.next() < 0.5) query.text = randomText(random, candidates);
  if (random.next() < 0.25) query.task = pick(random, TASKS);
  else if (random.next() < 0.1) query.modality = pick(random, ['nlp', 'cv', 'audio', 'multimodal'] as const);
  if (random.next() < 0.15) query.library = pick(random, [...LIBRARIES, 'no-such-library']);
  if (random.next() < 0.15) query.provider = pick(random, ['huggingface', 'ollama']);
  if (random.next() < 0.15) {
    query.capabilities = [...new Set([pick(random, CAPABILITIES), pick(random, CAPABILITIES)])];
  }
  if (random.next() < 0.25) query.license = pick(random, POLICIES);
  if (random.next() < 0.1) query.minSizeBytes = pick(random, [1e6, 1e7, 4e7]);
  if (random.next() < 0.1) query.maxSizeBytes = pick(random, [4e7, 1e8, 4e9]);
  if (random.next() < 0.1) query.minParameters = pick(random, [1e6, 1e7]);
  if (random.next() < 0.1) query.maxParameters = pick(random, [1e7, 1e9]);
  if (random.next() < 0.1) query.maxMemoryBytes = pick(random, [1e8, 1e9]);
  if (random.next() < 0.15) {
    query.metrics = random.next() < 0.7 ? { accuracy: { min: pick(random, [0.7, 0.9]) } } : { latencyMs: {} };
  }
  if (random.next() < 0.6) query.sort = pick(random, SORT_KEYS);
  if (random.next() < 0.4) query.order = pick(random, ['ascending', 'descending'] as const);
  if (random.next() < 0.3) query.offset = Math.floor(random.next() * 40);
  if (random.next() < 0.3) query.limit = Math.floor(random.next() * 30);
  return query as CandidateQuery;
}

// ——— The reference ———

const TEXT_FIELDS = ['id', 'tasks', 'library', 'family', 'capabilities', 'license'] as const;

interface Document {
  readonly key: string;
  readonly candidate: ModelCandidate;
}

function referenceText(documents: readonly Document[]): MiniSearch<Document> {
  const { prefixMinimumLength, fuzzyMinimumLength, fuzziness, boost } = SEARCH_DEFAULTS;
  const text = new MiniSearch<Document>({
    idField: 'key',
    fields: [...TEXT_FIELDS],
    storeFields: [],
    extractField: (document, field) => {
      const { candidate } = document;
      if (field === 'key') return document.key;
      if (field === 'id') return candidate.id;
      const value = candidate[field as 'tasks' | 'library' | 'family' | 'capabilities' | 'license'];
      if (Array.isArray(value)) return value.join(' ');
      return typeof value === 'string' ? value : '';
    },
    searchOptions: {
      combineWith: 'AND',
      prefix: (term) => term.length >= prefixMinimumLength,
      fuzzy: (term) => (term.length >= fuzzyMinimumLength ? fuzziness : false),
      boost: { ...boost },
    },
  });
  text.addAll(documents);
  return text;
}

function within(value: number | undefined, min = Number.NEGATIVE_INFINITY, max = Number.POSITIVE_INFINITY) {
  return typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max;
}

function modalitiesOf(candidate: ModelCandidate): string[] {
  if (Array.isArray(candidate.modalities)) return candidate.modalities;
  return (candidate.tasks ?? []).map(modalityOf);
}

function passes(candidate: ModelCandidate, query: CandidateQuery): boolean {
  if (query.task !== undefined && !(candidate.tasks ?? []).includes(query.task)) return false;
  if (query.modality !== undefined && !modalitiesOf(candidate).includes(query.modality)) return false;
  if (query.library !== undefined && candidate.library !== query.library) return false;
  if (query.provider !== undefined && candidate.provider !== query.provider) return false;
  for (const capability of query.capabilities ?? []) {
    if (!(candidate.capabilities ?? []).includes(capability)) return false;
  }
  if (
    query.license !== undefined &&
    licenseVerdict(compileLicensePolicy(query.license), candidate.license, candidate.gated === true) !==
      undefined
  ) {
    return false;
  }
  if (
    (query.minSizeBytes !== undefined || query.maxSizeBytes !== undefined) &&
    !within(candidate.sizeBytes, query.minSizeBytes, query.maxSizeBytes)
  ) {
    return false;
  }
  if (
    (query.minParameters !== undefined || query.maxParameters !== undefined) &&
    !within(candidate.parameters, query.minParameters, query.maxParameters)
  ) {
    return false;
  }
  if (query.maxMemoryBytes !== undefined && !within(candidate.memoryBytes, undefined, query.maxMemoryBytes)) {
    return false;
  }
  for (const [name, { min, max }] of Object.entries(query.metrics ?? {})) {
    if (!within(candidate.metrics?.[name], min, max)) return false;
  }
  return true;
}

function counted(values: Iterable<string>): FacetCount[] {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts]
    .map(([value, count]) => ({ value, count }))
    .sort((left, right) => right.count - left.count || (left.value < right.value ? -1 : 1));
}

function referenceFacets(matches: readonly ModelCandidate[]): SearchFacets {
  const unique = (values: readonly string[] | undefined) => [...new Set(values ?? [])];
  return {
    tasks: counted(matches.flatMap((candidate) => unique(candidate.tasks))),
    modalities: counted(matches.flatMap((candidate) => unique(modalitiesOf(candidate)))),
    libraries: counted(matches.flatMap((candidate) => (candidate.library ? [candidate.library] : []))),
    licenseGroups: counted(matches.map((candidate) => licenseGroup(candidate.license))),
    providers: counted(matches.flatMap((candidate) => (candidate.provider ? [candidate.provider] : []))),
    capabilities: counted(matches.flatMap((candidate) => unique(candidate.capabilities))),
  } as SearchFacets;
}

const NUMBERS: Record<
  Exclude<CandidateSortKey, 'relevance'>,
  (candidate: ModelCandidate) => number | undefined
> = {
  downloads: (candidate) => candidate.downloads,
  likes: (candidate) => candidate.likes,
  lastModified: (candidate) =>
    candidate.lastModified === undefined ? undefined : Date.parse(candidate.lastModified),
  size: (candidate) => candidate.sizeBytes,
  parameters: (candidate) => candidate.parameters,
};

function byKey(left: Document, right: Document): number {
  return left.key < right.key ? -1 : left.key > right.key ? 1 : 0;
}

interface Reference {
  /** Every match, ordered. */
  readonly ordered: readonly Document[];
  readonly facets: SearchFacets;
  /** MiniSearch scores by key (relevance only). */
  readonly scores: ReadonlyMap<string, number>;
  /** Keys of exact id or key matches (relevance only). */
  readonly exact: ReadonlySet<string>;
  readonly relevance: boolean;
  readonly descending: boolean;
}

function referenceSearch(
  documents: readonly Document[],
  text: MiniSearch<Document>,
  query: CandidateQuery,
): Reference {
  const words = query.text?.trim() ?? '';
  const scores = new Map<string, number>();
  const exact = new Set<string>();
  let matches = documents.filter((document) => passes(document.candidate, query));
  if (words.length > 0) {
    for (const hit of text.search(words)) scores.set(hit.id as string, hit.score);
    const lower = words.toLowerCase();
    for (const { key, candidate } of documents) {
      if (candidate.id.toLowerCase() === lower || key.toLowerCase() === lower) exact.add(key);
    }
    matches = matches.filter((document) => scores.has(document.key) || exact.has(document.key));
  }
  const requested = query.sort ?? (words.length > 0 ? 'relevance' : 'downloads');
  const sort = requested === 'relevance' && words.length === 0 ? 'downloads' : requested;
  const descending =
    (query.order ?? (['size', 'parameters'].includes(requested) ? 'ascending' : 'descending')) ===
    'descending';
  const facets = referenceFacets(matches.map((document) => document.candidate));
  if (sort === 'relevance') return { ordered: matches, facets, scores, exact, relevance: true, descending };
  const value = NUMBERS[sort];
  const known = matches.filter((document) => Number.isFinite(value(document.candidate) ?? Number.NaN));
  const unknown = matches.filter((document) => !Number.isFinite(value(document.candidate) ?? Number.NaN));
  known.sort(
    (left, right) =>
      (descending ? -1 : 1) * (value(left.candidate)! - value(right.candidate)!) || byKey(left, right),
  );
  unknown.sort(byKey);
  return { ordered: [...known, ...unknown], facets, scores, exact, relevance: false, descending };
}

// ——— The comparison ———

function keysOf(result: CandidateSearchResult): string[] {
  return result.candidates.map(candidateKey);
}

function expectSame(
  index: ReturnType<typeof createCandidateIndex>,
  documents: readonly Document[],
  text: MiniSearch<Document>,
  query: CandidateQuery,
): void {
  const reference = referenceSearch(documents, text, query);
  const actual = index.search(query);
  const context = JSON.stringify(query);
  expect(actual.total, context).toBe(reference.ordered.length);
  expect(actual.facets, context).toEqual(reference.facets);
  const everything = keysOf(index.search({ ...query, offset: 0, limit: 1_000_000 }));
  const offset = query.offset ?? 0;
  const limit = query.limit ?? 20;
  expect(keysOf(actual), context).toEqual(everything.slice(offset, offset + limit));
  if (!reference.relevance) {
    expect(everything, context).toEqual(reference.ordered.map((document) => document.key));
    return;
  }
  // Relevance: the same matches, exact matches first (last when ascending), then by MiniSearch's
  // score (equal up to rounding), ties by key.
  expect([...everything].sort(), context).toEqual(reference.ordered.map((document) => document.key).sort());
  const tier = (key: string) => (reference.exact.has(key) ? 1 : 0);
  for (let index = 0; index + 1 < everything.length; index++) {
    const left = everything[index]!;
    const right = everything[index + 1]!;
    const tiers = reference.descending ? tier(left) - tier(right) : tier(right) - tier(left);
    expect(tiers, context).toBeGreaterThanOrEqual(0);
    if (tiers !== 0) continue;
    const leftScore = reference.scores.get(left) ?? 0;
    const rightScore = reference.scores.get(right) ?? 0;
    const tolerance = 1e-9 * Math.max(1, Math.abs(leftScore));
    const difference = reference.descending ? leftScore - rightScore : rightScore - leftScore;
    expect(difference, `${context}: ${left} before ${right}`).toBeGreaterThanOrEqual(-tolerance);
    if (Math.abs(difference) <= tolerance)
      expect(left < right, `${context}: tie ${left}, ${right}`).toBe(true);
  }
}

describe('createCandidateIndex equals a straightforward reference', () => {
  test('random queries, through additions, replacements, removals and compactions', () => {
    const random = seededRandom('candidate-index-equivalence');
    const live = new Map<string, ModelCandidate>();
    const index = createCandidateIndex();
    const add = (candidates: readonly ModelCandidate[]) => {
      index.add(candidates);
      for (const candidate of candidates) {
        live.delete(candidateKey(candidate));
        live.set(candidateKey(candidate), candidate);
      }
    };
    const remove = (keys: readonly string[]) => {
      expect(index.remove(keys)).toBe(keys.filter((key) => live.has(key)).length);
      for (const key of keys) live.delete(key);
    };
    const check = (queries: number) => {
      const documents = [...live].map(([key, candidate]) => ({ key, candidate }));
      const text = referenceText(documents);
      const candidates = [...live.values()];
      expect(index.size).toBe(live.size);
      for (let query = 0; query < queries; query++)
        expectSame(index, documents, text, randomQuery(random, candidates));
    };

    add([...NAMED, ...generate(random, 2_000, 'a')]);
    check(120);
    // Removing 40% compacts the slots.
    remove([...live.keys()].filter(() => random.next() < 0.4));
    check(60);
    // New candidates, and replacements that change text, numbers and codes.
    const replacements = [...live.values()]
      .filter(() => random.next() < 0.1)
      .map((candidate, at) => ({
        ...candidate,
        family: pick(random, FAMILIES),
        downloads: at % 7,
        tasks: [pick(random, TASKS)],
        license: pick(random, LICENSES),
      }));
    add([...generate(random, 500, 'b'), ...replacements]);
    check(60);
    // A few removals leave tombstones (no compaction); a small addition merges into sorted orders.
    remove([...live.keys()].filter(() => random.next() < 0.02));
    add(generate(random, 30, 'c'));
    check(60);
    remove([...live.keys()]);
    expect(index.search({ text: 'bert' }).total).toBe(0);
    add(generate(random, 50, 'd'));
    check(30);
  });
});
