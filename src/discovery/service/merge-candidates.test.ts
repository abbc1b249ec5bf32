import { describe, expect, test } from 'vitest';
import type { ModelCandidate } from '../../core/model-candidate.js';
import { candidateFingerprint } from './candidate-fingerprint.js';
import { candidateProblem } from './candidate-problem.js';
import { DISCOVERY_DEFAULTS } from './discovery-options.js';
import { mergeCandidates } from './merge-candidates.js';
import { combineChanges } from './model-inventory.js';

const ROLES = DISCOVERY_DEFAULTS.repositoryProviders;

const hub: ModelCandidate = {
  id: 'Acme/Tiny-Sentiment',
  provider: 'huggingface',
  tasks: ['text-classification'],
  license: 'apache-2.0',
  dtypes: ['fp32', 'fp16', 'q8'],
  revision: 'b'.repeat(40),
  downloads: 1234,
  likes: 56,
  lastModified: '2025-03-01T00:00:00.000Z',
  raw: { source: 'hub' },
};

const cached: ModelCandidate = {
  id: 'acme/tiny-sentiment',
  provider: 'hf-cache',
  tasks: ['text-classification'],
  family: 'bert',
  dtypes: ['q8'],
  files: [{ path: 'onnx/model_quantized.onnx', sizeBytes: 1024 }],
  sizeBytes: 1024,
  revision: 'a'.repeat(40),
  localPath: '/cache/models--acme--tiny-sentiment/snapshots/aaaa',
  raw: { source: 'cache' },
};

describe('mergeCandidates', () => {
  test('the Hub record and a cached copy of the same repository (ids compared ignoring case) become one', () => {
    const merged = mergeCandidates(
      [
        { provider: 'hf-cache', candidates: [cached] },
        { provider: 'huggingface', candidates: [hub] },
      ],
      ROLES,
    );
    expect(merged).toHaveLength(1);
    const [{ key, candidate }] = merged as [(typeof merged)[number]];
    expect(key).toBe('hf:acme/tiny-sentiment');
    expect(candidate).toMatchObject({
      id: 'Acme/Tiny-Sentiment',
      provider: 'huggingface',
      providers: ['huggingface', 'hf-cache'],
      // Hub metadata wins: popularity, the newest revision, every dtype available.
      downloads: 1234,
      likes: 56,
      revision: 'b'.repeat(40),
      dtypes: ['fp32', 'fp16', 'q8'],
      // What the Hub did not say is filled in from the copy.
      family: 'bert',
      localPath: cached.localPath,
      raw: { source: 'hub' },
      aliases: ['acme/tiny-sentiment'],
    });
    expect(candidate.localCopies).toEqual([
      {
        provider: 'hf-cache',
        path: cached.localPath,
        revision: 'a'.repeat(40),
        files: cached.files,
        dtypes: ['q8'],
        sizeBytes: 1024,
      },
    ]);
  });

  test('a renamed repository: the copy under the old id joins the Hub record that names it as an alias', () => {
    const renamed = { ...hub, id: 'acme/new-name', aliases: ['acme/old-name'] };
    const oldCopy = { ...cached, id: 'acme/old-name' };
    const merged = mergeCandidates(
      [
        { provider: 'local-directory', candidates: [oldCopy] },
        { provider: 'huggingface', candidates: [renamed] },
      ],
      ROLES,
    );
    expect(merged.map((entry) => [entry.key, entry.candidate.providers, entry.candidate.aliases])).toEqual([
      ['hf:acme/new-name', ['huggingface', 'local-directory'], ['acme/old-name']],
    ]);
  });

  test('local copies only: the first is the base; other providers are never merged', () => {
    const merged = mergeCandidates(
      [
        { provider: 'hf-cache', candidates: [cached] },
        {
          provider: 'local-directory',
          candidates: [{ ...cached, provider: 'local-directory', localPath: '/m' }],
        },
        { provider: 'ollama', candidates: [{ id: 'acme/tiny-sentiment', provider: 'ollama' }] },
        { provider: 'catalog', candidates: [{ id: 'acme/tiny-sentiment', provider: 'catalog' }] },
      ],
      ROLES,
    );
    expect(merged.map((entry) => entry.key)).toEqual([
      'hf:acme/tiny-sentiment',
      'ollama:acme/tiny-sentiment',
      'catalog:acme/tiny-sentiment',
    ]);
    expect(merged[0]?.candidate).toMatchObject({
      provider: 'hf-cache',
      providers: ['hf-cache', 'local-directory'],
      localPath: cached.localPath,
    });
    expect(merged[0]?.candidate.localCopies?.map((copy) => copy.path)).toEqual([cached.localPath, '/m']);
    expect(merged[1]?.candidate.providers).toEqual(['ollama']);
    expect(merged[1]?.candidate.localCopies).toBeUndefined();
  });

  test('repository roles are configurable', () => {
    const merged = mergeCandidates(
      [
        { provider: 'mirror', candidates: [{ id: 'a/b', provider: 'mirror', downloads: 3 }] },
        { provider: 'disk', candidates: [{ id: 'a/b', provider: 'disk', localPath: '/a/b' }] },
      ],
      { mirror: 'hub', disk: 'local' },
    );
    expect(merged).toHaveLength(1);
    expect(merged[0]?.candidate).toMatchObject({
      providers: ['mirror', 'disk'],
      downloads: 3,
      localPath: '/a/b',
    });
  });
});

describe('candidateFingerprint', () => {
  test('revision, else lastModified, else metadata; never popularity', () => {
    expect(candidateFingerprint({ ...hub, downloads: 1 })).toBe(
      candidateFingerprint({ ...hub, downloads: 2 }),
    );
    expect(candidateFingerprint(hub)).not.toBe(candidateFingerprint({ ...hub, revision: 'c'.repeat(40) }));
    const plain: ModelCandidate = { id: 'x', license: 'mit', likes: 1 };
    expect(candidateFingerprint(plain)).toBe(candidateFingerprint({ likes: 9, license: 'mit', id: 'x' }));
    expect(candidateFingerprint(plain)).not.toBe(candidateFingerprint({ ...plain, license: 'apache-2.0' }));
    const copy = {
      ...hub,
      providers: ['huggingface', 'hf-cache'],
      localCopies: [{ provider: 'hf-cache', dtypes: ['q8'] }],
    };
    expect(candidateFingerprint(copy)).not.toBe(
      candidateFingerprint({ ...copy, localCopies: [{ provider: 'hf-cache', dtypes: ['q8', 'fp16'] }] }),
    );
  });
});

describe('candidateProblem', () => {
  test('names what breaks the ModelCandidate contract', () => {
    expect(candidateProblem(hub)).toBeUndefined();
    expect(candidateProblem({ id: 'x', tasks: ['not-a-task'] })).toBeUndefined();
    expect(candidateProblem('x')).toMatch(/not an object/);
    expect(candidateProblem({ id: '  ' })).toMatch(/no id/);
    expect(candidateProblem({ id: 'x', provider: 3 })).toMatch(/provider/);
    expect(candidateProblem({ id: 'x', capabilities: [1] })).toMatch(/capabilities/);
    expect(candidateProblem({ id: 'x', parameters: Number.POSITIVE_INFINITY })).toMatch(/parameters/);
    expect(candidateProblem({ id: 'x', gated: 'yes' })).toMatch(/gated/);
    expect(candidateProblem({ id: 'x', metrics: { accuracy: Number.NaN } })).toMatch(/accuracy/);
    expect(candidateProblem({ id: 'x', files: [{}] })).toMatch(/path/);
    expect(candidateProblem({ id: 'x', pricing: 1 })).toMatch(/pricing/);
  });
});

describe('combineChanges', () => {
  const a1: ModelCandidate = { id: 'a', revision: '1' };
  const a2: ModelCandidate = { id: 'a', revision: '2' };
  const a3: ModelCandidate = { id: 'a', revision: '3' };
  test('folds a sequence into one net change per model', () => {
    expect(
      combineChanges([
        { kind: 'added', key: 'a', candidate: a1 },
        { kind: 'updated', key: 'a', candidate: a2, previous: a1 },
      ]),
    ).toEqual([{ kind: 'added', key: 'a', candidate: a2 }]);
    expect(
      combineChanges([
        { kind: 'added', key: 'a', candidate: a1 },
        { kind: 'removed', key: 'a', candidate: a1 },
      ]),
    ).toEqual([]);
    expect(
      combineChanges([
        { kind: 'removed', key: 'a', candidate: a1 },
        { kind: 'added', key: 'a', candidate: a2 },
      ]),
    ).toEqual([{ kind: 'updated', key: 'a', candidate: a2, previous: a1 }]);
    expect(
      combineChanges([
        { kind: 'updated', key: 'a', candidate: a2, previous: a1 },
        { kind: 'updated', key: 'a', candidate: a3, previous: a2 },
      ]),
    ).toEqual([{ kind: 'updated', key: 'a', candidate: a3, previous: a1 }]);
    expect(
      combineChanges([
        { kind: 'updated', key: 'a', candidate: a2, previous: a1 },
        { kind: 'removed', key: 'a', candidate: a2 },
      ]),
    ).toEqual([{ kind: 'removed', key: 'a', candidate: a1 }]);
  });
});
