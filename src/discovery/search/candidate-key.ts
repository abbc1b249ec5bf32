import type { ModelCandidate } from '../../core/model-candidate.js';

/**
 * The key of a candidate in a {@link CandidateIndex}: `provider:id`, or the bare `id` when the
 * candidate names no provider. The same model found by two providers is two entries; adding a
 * candidate with an existing key replaces that entry.
 */
export function candidateKey(candidate: Pick<ModelCandidate, 'id' | 'provider'>): string {
  return candidate.provider === undefined ? candidate.id : `${candidate.provider}:${candidate.id}`;
}
