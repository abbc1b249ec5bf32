import { describe, expect, test } from 'vitest';
import type { ModelCandidate } from '../../core/model-candidate.js';
import { ContradictoryConstraintsError } from '../../errors/contradictory-constraints-error.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import { type CandidateQuery, candidateKey, createCandidateIndex } from './index.js';

const FIXTURE: readonly ModelCandidate[] = [
  {
    id: 'Xenova/distilbert-sst2',
    provider: 'huggingface',
    tasks: ['text-classification'],
    library: 'transformers.js',
    family: 'bert',
    license: 'apache-2.0',
    capabilities: ['transformers.js', 'quantized'],
    sizeBytes: 67_000_000,
    parameters: 66_000_000,
    memoryBytes: 300_000_000,
    metrics: { accuracy: 0.91 },
    downloads: 5000,
    likes: 40,
    lastModified: '2024-01-01T00:00:00Z',
  },
  {
    id: 'org/bert-large-sentiment',
    provider: 'huggingface',
    tasks: ['text-classification'],
    library: 'transformers',
    family: 'bert',
    license: 'cc-by-nc-4.0',
    sizeBytes: 1_300_000_000,
    parameters: 340_000_000,
    metrics: { accuracy: 0.95 },
    downloads: 900,
    likes: 100,
    lastModified: '2024-06-01T00:00:00Z',
  },
  {
    id: 'llama3:8b',
    provider: 'ollama',
    tasks: ['text-generation'],
    library: 'gguf',
    family: 'llama',
    license: 'llama3',
    capabilities: ['tools', 'json-mode'],
    sizeBytes: 4_700_000_000,
    parameters: 8_000_000_000,
    downloads: 100_000,
    gated: true,
  },
  {
    id: 'openai/whisper-tiny',
    provider: 'huggingface',
    tasks: ['automatic-speech-recognition'],
    library: 'transformers.js',
    family: 'whisper',
    license: 'mit',
    capabilities: ['transformers.js'],
    sizeBytes: 150_000_000,
    parameters: 39_000_000,
    downloads: 20_000,
    likes: 300,
    lastModified: '2023-05-01T00:00:00Z',
  },
  {
    id: 'local/clip-vit',
    tasks: ['zero-shot-image-classification', 'feature-extraction'],
    modalities: ['multimodal'],
    library: 'onnx',
    family: 'clip',
    license: 'gpl-3.0',
    parameters: 150_000_000,
    metrics: { accuracy: 0.7, latencyMs: 30 },
  },
];

function ids(query: CandidateQuery): string[] {
  return createCandidateIndex(FIXTURE)
    .search({ limit: 100, ...query })
    .candidates.map((candidate) => candidate.id)
    .sort();
}

describe('createCandidateIndex: keys, add, remove', () => {
  test('keys are provider:id, or id without a provider; add replaces; remove counts', () => {
    const index = createCandidateIndex(FIXTURE);
    expect(index.size).toBe(5);
    expect(candidateKey({ id: 'a', provider: 'p' })).toBe('p:a');
    expect(candidateKey({ id: 'a' })).toBe('a');
    expect(index.get('ollama:llama3:8b')?.family).toBe('llama');
    expect(index.get('local/clip-vit')?.family).toBe('clip');
    index.add([{ ...FIXTURE[2]!, family: 'llama-3', downloads: 1 }]);
    expect(index.size).toBe(5);
    expect(index.get('ollama:llama3:8b')?.family).toBe('llama-3');
    expect(index.search({ text: 'llama-3' }).candidates.map((candidate) => candidate.downloads)).toEqual([1]);
    expect(index.remove(['ollama:llama3:8b', 'missing', 'huggingface:openai/whisper-tiny'])).toBe(2);
    expect(index.size).toBe(3);
    expect(index.search({ text: 'whisper' }).total).toBe(0);
    expect(index.search({ task: 'text-generation' }).total).toBe(0);
    expect(index.search({}).total).toBe(3);
    expect(index.remove(['huggingface:Xenova/distilbert-sst2'])).toBe(1);
    // The entry moved into the freed slot is still found and sorted.
    expect(index.search({ sort: 'parameters' }).candidates.map((candidate) => candidate.id)).toEqual([
      'local/clip-vit',
      'org/bert-large-sentiment',
    ]);
  });

  test('adding, replacing and removing after searches keeps sorts, text and facets in step', () => {
    const index = createCandidateIndex(FIXTURE);
    const order = (query: CandidateQuery) => index.search(query).candidates.map((candidate) => candidate.id);
    const before = order({ sort: 'downloads' });
    expect(order({ text: 'bert' })).toHaveLength(2);
    index.add([{ id: 'new/bert-mini', provider: 'huggingface', family: 'bert', downloads: 10_000 }]);
    expect(order({ sort: 'downloads' })).toEqual([
      ...before.slice(0, 2),
      'new/bert-mini',
      ...before.slice(2),
    ]);
    expect(order({ sort: 'downloads', order: 'ascending' })[0]).toBe('org/bert-large-sentiment');
    expect(order({ text: 'bert', sort: 'downloads' })).toEqual([
      'new/bert-mini',
      'Xenova/distilbert-sst2',
      'org/bert-large-sentiment',
    ]);
    // Replacing a key moves the candidate in every order and updates its text and facets.
    index.add([{ ...FIXTURE[0]!, family: 'distil', downloads: 1_000_000 }]);
    expect(order({ sort: 'downloads' })[0]).toBe('Xenova/distilbert-sst2');
    expect(order({ text: 'bert', sort: 'downloads' })).toEqual(['new/bert-mini', 'org/bert-large-sentiment']);
    expect(index.search({ text: 'distil' }).total).toBe(1);
    index.remove(['huggingface:new/bert-mini']);
    expect(order({ sort: 'downloads' })).toEqual([
      'Xenova/distilbert-sst2',
      ...before.filter((id) => id !== 'Xenova/distilbert-sst2'),
    ]);
    expect(index.search({ text: 'mini' }).total).toBe(0);
    // Many removals compact the index; what remains is found as before.
    const fillers = Array.from({ length: 300 }, (_, at) => ({
      id: `filler-${at}`,
      family: 'bert',
      downloads: at,
    }));
    index.add(fillers);
    expect(index.search({ text: 'bert' }).total).toBe(301);
    expect(index.remove(fillers.map((filler) => filler.id))).toBe(300);
    expect(index.size).toBe(5);
    expect(order({ text: 'bert', sort: 'downloads' })).toEqual(['org/bert-large-sentiment']);
    expect(order({ sort: 'likes', order: 'ascending' })).toEqual([
      'Xenova/distilbert-sst2',
      'org/bert-large-sentiment',
      'openai/whisper-tiny',
      'local/clip-vit',
      'llama3:8b',
    ]);
    expect(index.search({ limit: 0 }).facets.providers).toEqual([
      { value: 'huggingface', count: 3 },
      { value: 'ollama', count: 1 },
    ]);
  });

  test('an invalid candidate leaves the index unchanged', () => {
    const index = createCandidateIndex(FIXTURE.slice(0, 1));
    expect(() => index.add([{ id: 'fine' }, { id: '' }])).toThrow(InvalidArgumentError);
    expect(index.size).toBe(1);
    expect(() => index.add([{ provider: 'x' } as unknown as ModelCandidate])).toThrow(InvalidArgumentError);
  });
});

describe('filters', () => {
  test('each structured filter', () => {
    expect(ids({ task: 'text-classification' })).toEqual([
      'Xenova/distilbert-sst2',
      'org/bert-large-sentiment',
    ]);
    expect(ids({ modality: 'audio' })).toEqual(['openai/whisper-tiny']);
    // Declared modalities win over those derived from tasks.
    expect(ids({ modality: 'multimodal' })).toEqual(['local/clip-vit']);
    expect(ids({ modality: 'cv' })).toEqual([]);
    expect(ids({ library: 'transformers.js' })).toEqual(['Xenova/distilbert-sst2', 'openai/whisper-tiny']);
    expect(ids({ capabilities: ['transformers.js', 'quantized'] })).toEqual(['Xenova/distilbert-sst2']);
    expect(ids({ capabilities: ['no-such-capability'] })).toEqual([]);
    expect(ids({ provider: 'ollama' })).toEqual(['llama3:8b']);
    expect(ids({ minSizeBytes: 1_000_000_000 })).toEqual(['llama3:8b', 'org/bert-large-sentiment']);
    // No declared size: excluded from size filters.
    expect(ids({ maxSizeBytes: 200_000_000 })).toEqual(['Xenova/distilbert-sst2', 'openai/whisper-tiny']);
    expect(ids({ minParameters: 100_000_000, maxParameters: 400_000_000 })).toEqual([
      'local/clip-vit',
      'org/bert-large-sentiment',
    ]);
    expect(ids({ maxMemoryBytes: 300_000_000 })).toEqual(['Xenova/distilbert-sst2']);
    expect(ids({ metrics: { accuracy: { min: 0.9 } } })).toEqual([
      'Xenova/distilbert-sst2',
      'org/bert-large-sentiment',
    ]);
    expect(ids({ metrics: { accuracy: { max: 0.91 } } })).toEqual([
      'Xenova/distilbert-sst2',
      'local/clip-vit',
    ]);
    expect(ids({ metrics: { latencyMs: {} } })).toEqual(['local/clip-vit']);
  });

  test('license policies: groups, ids, deny, unknown, gated', () => {
    expect(ids({ license: { allow: ['permissive'] } })).toEqual([
      'Xenova/distilbert-sst2',
      'openai/whisper-tiny',
    ]);
    expect(ids({ license: { allow: ['permissive'], allowUnknown: true } })).toEqual([
      'Xenova/distilbert-sst2',
      'llama3:8b',
      'openai/whisper-tiny',
    ]);
    expect(ids({ license: { deny: ['non-commercial', 'gpl-3.0'] } })).toEqual([
      'Xenova/distilbert-sst2',
      'llama3:8b',
      'openai/whisper-tiny',
    ]);
    expect(ids({ license: { allowGated: false, allowUnknown: false } })).toEqual([
      'Xenova/distilbert-sst2',
      'local/clip-vit',
      'openai/whisper-tiny',
      'org/bert-large-sentiment',
    ]);
  });

  test('filters combine with AND', () => {
    expect(ids({ task: 'text-classification', license: { allow: ['permissive'] } })).toEqual([
      'Xenova/distilbert-sst2',
    ]);
    expect(ids({ library: 'transformers.js', maxSizeBytes: 100_000_000, text: 'whisper' })).toEqual([]);
    expect(ids({ library: 'transformers.js', text: 'whisper' })).toEqual(['openai/whisper-tiny']);
  });
});

describe('free text', () => {
  test('prefix, fuzzy, all words required, fields beyond the id', () => {
    expect(ids({ text: 'distil' })).toEqual(['Xenova/distilbert-sst2']);
    expect(ids({ text: 'whispr' })).toEqual(['openai/whisper-tiny']);
    expect(ids({ text: 'bert sentiment' })).toEqual(['org/bert-large-sentiment']);
    expect(ids({ text: 'speech' })).toEqual(['openai/whisper-tiny']);
    expect(ids({ text: 'json' })).toEqual(['llama3:8b']);
    expect(ids({ text: 'gguf' })).toEqual(['llama3:8b']);
    expect(ids({ text: '   ' })).toHaveLength(5);
  });

  test('an exact id or key ranks first; others follow by relevance', () => {
    const index = createCandidateIndex([
      ...FIXTURE,
      { id: 'bert', family: 'other', downloads: 0 },
      { id: 'bert-bert-bert', family: 'bert' },
    ]);
    const byRelevance = index.search({ text: 'bert' }).candidates.map((candidate) => candidate.id);
    expect(byRelevance[0]).toBe('bert');
    expect(byRelevance).toContain('org/bert-large-sentiment');
    expect(index.search({ text: 'HUGGINGFACE:openai/whisper-tiny' }).candidates[0]?.id).toBe(
      'openai/whisper-tiny',
    );
    const ascending = index
      .search({ text: 'bert', order: 'ascending' })
      .candidates.map((candidate) => candidate.id);
    expect(ascending).toEqual([...byRelevance].reverse());
  });
});

describe('sort and pagination', () => {
  test('sort keys, default orders, missing values last, offset and limit', () => {
    const index = createCandidateIndex(FIXTURE);
    const order = (query: CandidateQuery) => index.search(query).candidates.map((candidate) => candidate.id);
    expect(order({})).toEqual([
      'llama3:8b',
      'openai/whisper-tiny',
      'Xenova/distilbert-sst2',
      'org/bert-large-sentiment',
      'local/clip-vit',
    ]);
    expect(order({ sort: 'relevance' })).toEqual(order({ sort: 'downloads' }));
    expect(order({ sort: 'size' })).toEqual([
      'Xenova/distilbert-sst2',
      'openai/whisper-tiny',
      'org/bert-large-sentiment',
      'llama3:8b',
      'local/clip-vit',
    ]);
    // Missing values come last, by key: 'local/clip-vit' < 'ollama:llama3:8b'.
    expect(order({ sort: 'likes', order: 'ascending' })).toEqual([
      'Xenova/distilbert-sst2',
      'org/bert-large-sentiment',
      'openai/whisper-tiny',
      'local/clip-vit',
      'llama3:8b',
    ]);
    expect(order({ sort: 'lastModified' })).toEqual([
      'org/bert-large-sentiment',
      'Xenova/distilbert-sst2',
      'openai/whisper-tiny',
      'local/clip-vit',
      'llama3:8b',
    ]);
    expect(order({ sort: 'parameters', order: 'descending', offset: 1, limit: 2 })).toEqual([
      'org/bert-large-sentiment',
      'local/clip-vit',
    ]);
    const page = index.search({ sort: 'downloads', offset: 4, limit: 10 });
    expect(page.candidates.map((candidate) => candidate.id)).toEqual(['local/clip-vit']);
    expect(page.total).toBe(5);
    const none = index.search({ limit: 0 });
    expect(none.candidates).toEqual([]);
    expect(none.total).toBe(5);
    expect(order({ text: 'bert', sort: 'downloads' })).toEqual([
      'Xenova/distilbert-sst2',
      'org/bert-large-sentiment',
    ]);
    // whisper (300 likes), bert-large (100), distilbert (40) match 'transformers'.
    expect(order({ text: 'transformers', sort: 'likes', limit: 1, offset: 1 })).toEqual([
      'org/bert-large-sentiment',
    ]);
  });

  test('the default limit is 20', () => {
    const many = Array.from({ length: 30 }, (_, index) => ({ id: `m-${index}`, downloads: index }));
    const result = createCandidateIndex(many).search({});
    expect(result.candidates).toHaveLength(20);
    expect(result.candidates[0]?.id).toBe('m-29');
    expect(result.total).toBe(30);
  });
});

describe('facets', () => {
  test('counted by hand over the filtered set, before pagination', () => {
    const { facets, total } = createCandidateIndex(FIXTURE).search({ limit: 1 });
    expect(total).toBe(5);
    expect(facets.tasks).toEqual([
      { value: 'text-classification', count: 2 },
      { value: 'automatic-speech-recognition', count: 1 },
      { value: 'feature-extraction', count: 1 },
      { value: 'text-generation', count: 1 },
      { value: 'zero-shot-image-classification', count: 1 },
    ]);
    expect(facets.modalities).toEqual([
      { value: 'nlp', count: 3 },
      { value: 'audio', count: 1 },
      { value: 'multimodal', count: 1 },
    ]);
    expect(facets.libraries).toEqual([
      { value: 'transformers.js', count: 2 },
      { value: 'gguf', count: 1 },
      { value: 'onnx', count: 1 },
      { value: 'transformers', count: 1 },
    ]);
    expect(facets.licenseGroups).toEqual([
      { value: 'permissive', count: 2 },
      { value: 'non-commercial', count: 1 },
      { value: 'strong-copyleft', count: 1 },
      { value: 'unknown', count: 1 },
    ]);
    expect(facets.providers).toEqual([
      { value: 'huggingface', count: 3 },
      { value: 'ollama', count: 1 },
    ]);
    expect(facets.capabilities).toEqual([
      { value: 'transformers.js', count: 2 },
      { value: 'json-mode', count: 1 },
      { value: 'quantized', count: 1 },
      { value: 'tools', count: 1 },
    ]);
    const filtered = createCandidateIndex(FIXTURE).search({ text: 'bert', limit: 0 }).facets;
    expect(filtered.licenseGroups).toEqual([
      { value: 'non-commercial', count: 1 },
      { value: 'permissive', count: 1 },
    ]);
    expect(filtered.providers).toEqual([{ value: 'huggingface', count: 2 }]);
    expect(createCandidateIndex(FIXTURE).search({ library: 'none' }).facets.tasks).toEqual([]);
  });
});

describe('invalid queries', () => {
  const index = createCandidateIndex(FIXTURE);
  test.each([
    [{ unknownKey: 1 }, 'query.unknownKey'],
    [{ text: 3 }, 'query.text'],
    [{ task: 'not-a-task' }, 'query.task'],
    [{ modality: 'smell' }, 'query.modality'],
    [{ capabilities: 'tools' }, 'query.capabilities'],
    [{ license: { allow: 'mit' } }, 'query.license.allow'],
    [{ license: { allowGated: 'no' } }, 'query.license.allowGated'],
    [{ license: { permit: [] } }, 'query.license.permit'],
    [{ maxSizeBytes: -1 }, 'query.maxSizeBytes'],
    [{ minParameters: Number.NaN }, 'query.minParameters'],
    [{ metrics: { accuracy: { min: '0.5' } } }, 'query.metrics.accuracy.min'],
    [{ metrics: { accuracy: { least: 0.5 } } }, 'query.metrics.accuracy.least'],
    [{ sort: 'stars' }, 'query.sort'],
    [{ order: 'up' }, 'query.order'],
    [{ limit: 1.5 }, 'query.limit'],
    [{ offset: -1 }, 'query.offset'],
  ])('%j → InvalidArgumentError on %s', (query, argument) => {
    const error = (() => {
      try {
        index.search(query as CandidateQuery);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect((error as InvalidArgumentError).argument).toBe(argument);
  });

  test.each([
    [{ minSizeBytes: 10, maxSizeBytes: 5 }, ['minSizeBytes', 'maxSizeBytes']],
    [{ minParameters: 10, maxParameters: 5 }, ['minParameters', 'maxParameters']],
    [{ metrics: { accuracy: { min: 0.9, max: 0.8 } } }, ['metrics.accuracy.min', 'metrics.accuracy.max']],
    [{ task: 'text-classification', modality: 'cv' }, ['task', 'modality']],
    [{ license: { allow: ['mit'], deny: ['permissive'] } }, ['license.allow', 'license.deny']],
  ])('%j → ContradictoryConstraintsError', (query, constraints) => {
    expect(() => index.search(query as CandidateQuery)).toThrow(ContradictoryConstraintsError);
    try {
      index.search(query as CandidateQuery);
    } catch (error) {
      expect((error as ContradictoryConstraintsError).constraints).toEqual(constraints);
    }
  });

  test('a non-object query', () => {
    expect(() => index.search(null as unknown as CandidateQuery)).toThrow(InvalidArgumentError);
  });
});
