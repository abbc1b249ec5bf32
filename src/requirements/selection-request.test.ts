import { describe, expect, test } from 'vitest';
import type { ModelCandidate } from '../core/model-candidate.js';
import { fakeProvider } from '../discovery/service/fake-provider.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { createScout } from '../scout.js';
import { parseRequirements } from './parse-requirements.js';
import { toSelectionRequest } from './selection-request.js';

const requirements = parseRequirements(`version: 1
tasks:
  triage:
    task: text-classification
    candidates: [small, large]
    fallbacks: [backup, small]
    context: { tier: free }
    ensembleSize: 2
    objective: { quality: 1, latencyMs: 0.001 }
  sentiment:
    task: text-classification
    license: { allow: [permissive] }
    limits: { maxSizeBytes: 200MB }
    candidates:
      discover: { text: sentiment, limit: 10 }
`);

describe('toSelectionRequest', () => {
  test('carries requirements, context, fallbacks and ensemble size; adds explicit fallbacks once', () => {
    const triage = requirements.tasks.triage!;
    expect(toSelectionRequest(triage)).toEqual({
      candidates: ['small', 'large', 'backup'],
      requirements: triage.requirements,
      context: { tier: 'free' },
      fallbacks: 2,
      ensembleSize: 2,
    });
  });

  test('leaves out what the task does not set, and refuses an empty pool', () => {
    const sentiment = requirements.tasks.sentiment!;
    expect(toSelectionRequest(sentiment, ['a'])).toEqual({
      candidates: ['a'],
      requirements: sentiment.requirements,
    });
    expect(() => toSelectionRequest(sentiment)).toThrow(InvalidArgumentError);
  });

  test('a model both listed and discovered is one candidate: the discovered one, which declares its figures', async () => {
    const { overlap } = parseRequirements(`version: 1
tasks:
  overlap:
    task: text-classification
    limits: { maxSizeBytes: 100MB }
    candidates:
      models: [org/listed-big, org/listed-only]
      discover: { text: listed }
    fallbacks: [org/listed-small]
`).tasks;
    const models: ModelCandidate[] = [
      { id: 'org/listed-big', tasks: ['text-classification'], sizeBytes: 2e9 },
      { id: 'org/listed-small', tasks: ['text-classification'], sizeBytes: 5e6 },
    ];
    const scout = createScout({ seed: 3, providers: [fakeProvider({ name: 'fake', models: () => models })] });
    try {
      const found = await scout.discover(overlap!.discover);
      const request = toSelectionRequest(overlap!, [...overlap!.candidates, ...found.candidates]);
      expect(
        request.candidates.map((candidate) => (typeof candidate === 'string' ? candidate : candidate.id)),
      ).toEqual(['org/listed-big', 'org/listed-only', 'org/listed-small']);
      expect(request.candidates[0]).toMatchObject({ id: 'org/listed-big', sizeBytes: 2e9 });
      const selected = await scout.selectOptimal(request);
      // The discovered metadata lets the size limit remove the 2 GB model.
      expect(selected.estimates.map((estimate) => estimate.id).sort()).toEqual([
        'org/listed-only',
        'org/listed-small',
      ]);
    } finally {
      await scout.close();
    }
  });

  test('discovery then selection, with the limits applied by selection', async () => {
    const models: ModelCandidate[] = [
      { id: 'org/sentiment-tiny', tasks: ['text-classification'], license: 'mit', sizeBytes: 50e6 },
      { id: 'org/sentiment-huge', tasks: ['text-classification'], license: 'mit', sizeBytes: 2e9 },
      { id: 'org/sentiment-gpl', tasks: ['text-classification'], license: 'gpl-3.0', sizeBytes: 50e6 },
      { id: 'org/sentiment-nosize', tasks: ['text-classification'], license: 'apache-2.0' },
      { id: 'org/translator', tasks: ['translation'], license: 'mit', sizeBytes: 50e6 },
    ];
    const provider = fakeProvider({ name: 'fake', models: () => models });
    const scout = createScout({ seed: 3, providers: [provider] });
    const sentiment = requirements.tasks.sentiment!;
    const found = await scout.discover(sentiment.discover);
    expect(found.candidates.map((candidate) => candidate.id).sort()).toEqual([
      'org/sentiment-gpl',
      'org/sentiment-huge',
      'org/sentiment-nosize',
      'org/sentiment-tiny',
    ]);
    const selected = await scout.selectOptimal(toSelectionRequest(sentiment, found.candidates));
    expect(['org/sentiment-tiny', 'org/sentiment-nosize']).toContain(selected.primary.id);
    expect(selected.estimates.map((estimate) => estimate.id).sort()).toEqual([
      'org/sentiment-nosize',
      'org/sentiment-tiny',
    ]);
    await scout.close();
  });
});
