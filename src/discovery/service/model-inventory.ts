import type { ModelCandidate } from '../../core/model-candidate.js';
import { candidateFingerprint } from './candidate-fingerprint.js';
import { mergeCandidates, type RepositoryRole } from './merge-candidates.js';

/** A change to the set of known models. */
export type ModelChange =
  | { readonly kind: 'added'; readonly key: string; readonly candidate: ModelCandidate }
  | {
      readonly kind: 'updated';
      readonly key: string;
      readonly candidate: ModelCandidate;
      readonly previous: ModelCandidate;
    }
  | { readonly kind: 'removed'; readonly key: string; readonly candidate: ModelCandidate };

interface Known {
  readonly candidate: ModelCandidate;
  readonly fingerprint: string;
}

/**
 * The models discovery knows, per provider and merged, and what changed with each listing. A
 * listing adds and updates the models it has; only a `complete` one (unfiltered, not truncated,
 * nothing skipped) also removes the provider's models it lacks.
 */
export class ModelInventory {
  readonly #providerNames: readonly string[];
  readonly #roles: Readonly<Record<string, RepositoryRole>>;
  readonly #byProvider = new Map<string, Map<string, Known>>();
  #merged = new Map<string, Known>();

  constructor(providerNames: readonly string[], roles: Readonly<Record<string, RepositoryRole>>) {
    this.#providerNames = providerNames;
    this.#roles = roles;
  }

  /** How many (merged) models are known. */
  get size(): number {
    return this.#merged.size;
  }

  /** The known models, merged across providers. */
  candidates(): ModelCandidate[] {
    return [...this.#merged.values()].map((known) => known.candidate);
  }

  /** Records one provider's listing and returns what changed in the merged view. */
  apply(provider: string, candidates: readonly ModelCandidate[], complete: boolean): ModelChange[] {
    const before = this.#byProvider.get(provider) ?? new Map<string, Known>();
    const after = complete ? new Map<string, Known>() : new Map(before);
    let changed = complete && before.size !== candidates.length;
    for (const candidate of candidates) {
      const fingerprint = candidateFingerprint(candidate);
      const previous = before.get(candidate.id);
      if (previous === undefined || previous.fingerprint !== fingerprint) changed = true;
      after.set(candidate.id, { candidate, fingerprint });
    }
    this.#byProvider.set(provider, after);
    return changed ? this.#remerge() : [];
  }

  #remerge(): ModelChange[] {
    const listings = this.#providerNames.map((provider) => ({
      provider,
      candidates: [...(this.#byProvider.get(provider)?.values() ?? [])].map((known) => known.candidate),
    }));
    const next = new Map<string, Known>();
    for (const { key, candidate } of mergeCandidates(listings, this.#roles)) {
      next.set(key, { candidate, fingerprint: candidateFingerprint(candidate) });
    }
    const changes: ModelChange[] = [];
    for (const [key, known] of next) {
      const previous = this.#merged.get(key);
      if (previous === undefined) changes.push({ kind: 'added', key, candidate: known.candidate });
      else if (previous.fingerprint !== known.fingerprint) {
        changes.push({ kind: 'updated', key, candidate: known.candidate, previous: previous.candidate });
      }
    }
    for (const [key, known] of this.#merged) {
      if (!next.has(key)) changes.push({ kind: 'removed', key, candidate: known.candidate });
    }
    this.#merged = next;
    return changes;
  }
}

/**
 * Folds changes in order into one net change per model: added then updated is added (as last
 * seen), added then removed is nothing, removed then added is updated, updated twice keeps the
 * first `previous`.
 */
export function combineChanges(changes: readonly ModelChange[]): ModelChange[] {
  const net = new Map<string, ModelChange>();
  for (const change of changes) {
    const earlier = net.get(change.key);
    if (earlier === undefined) {
      net.set(change.key, change);
      continue;
    }
    net.delete(change.key);
    const { key, candidate } = change;
    if (earlier.kind === 'added') {
      if (change.kind !== 'removed') net.set(key, { kind: 'added', key, candidate });
    } else if (earlier.kind === 'removed') {
      if (change.kind === 'added' || change.kind === 'updated') {
        net.set(key, { kind: 'updated', key, candidate, previous: earlier.candidate });
      } else net.set(key, change);
    } else if (change.kind === 'removed') {
      net.set(key, { kind: 'removed', key, candidate: earlier.previous });
    } else {
      net.set(key, { kind: 'updated', key, candidate, previous: earlier.previous });
    }
  }
  return [...net.values()];
}
