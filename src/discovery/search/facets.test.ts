import { describe, expect, test } from 'vitest';
import type { ModelCandidate } from '../../core/model-candidate.js';
import type { Task } from '../../core/task.js';
import { seededRandom } from '../../random/index.js';
import { Bitset } from './bitset.js';
import { CandidateColumns } from './candidate-columns.js';
import { createEntry, createVocabularies } from './candidate-entry.js';
import { countFacets } from './facets.js';

const TASKS: readonly Task[] = [
  'text-classification',
  'text-generation',
  'image-classification',
  'text-to-speech',
];

describe('countFacets', () => {
  test('popcounts of bitsets and counts slot by slot agree, at every density', () => {
    const random = seededRandom('facets');
    const pick = <Value>(values: readonly Value[]) => values[Math.floor(random.next() * values.length)]!;
    const vocabularies = createVocabularies();
    const columns = new CandidateColumns();
    const candidates: ModelCandidate[] = Array.from({ length: 700 }, (_, index) => ({
      id: `model-${index}`,
      provider: random.next() < 0.8 ? pick(['huggingface', 'ollama']) : undefined,
      tasks: random.next() < 0.9 ? [...new Set([pick(TASKS), pick(TASKS)])] : undefined,
      library: random.next() < 0.8 ? pick(['onnx', 'gguf', 'transformers.js']) : undefined,
      capabilities:
        random.next() < 0.7 ? ['tools', 'vision', 'quantized'].filter(() => random.next() < 0.4) : undefined,
      license: pick(['mit', 'gpl-3.0', 'cc-by-nc-4.0', undefined]),
    }));
    const entries = candidates.map((candidate) => createEntry(candidate, vocabularies));
    for (const entry of entries) columns.append(entry);
    // Dead slots are never in a match bitset, but their codes must not leak into counts.
    for (const entry of entries.filter(() => random.next() < 0.2)) columns.delete(entry);
    for (const density of [0, 0.003, 0.05, 0.5, 1]) {
      const matches = new Bitset();
      matches.copy(columns.live);
      for (let slot = 0; slot < columns.slotCount; slot++) if (random.next() >= density) matches.delete(slot);
      const total = matches.count();
      const bySlots = countFacets(columns, vocabularies, matches, total, 'slots');
      expect(countFacets(columns, vocabularies, matches, total, 'bitsets')).toEqual(bySlots);
      expect(countFacets(columns, vocabularies, matches, total, 'cheapest')).toEqual(bySlots);
      const matched = entries.filter(
        (entry) => columns.entries[entry.position] === entry && matches.has(entry.position),
      );
      const tasks = new Map<string, number>();
      for (const entry of matched)
        for (const task of new Set(entry.candidate.tasks)) tasks.set(task, (tasks.get(task) ?? 0) + 1);
      expect(Object.fromEntries(bySlots.tasks.map(({ value, count }) => [value, count]))).toEqual(
        Object.fromEntries(tasks),
      );
      const providers = bySlots.providers.reduce((sum, { count }) => sum + count, 0);
      expect(providers).toBe(matched.filter((entry) => entry.candidate.provider !== undefined).length);
      expect(bySlots.licenseGroups.reduce((sum, { count }) => sum + count, 0)).toBe(total);
    }
  });
});
