import type { ModelCandidate } from '../../core/model-candidate.js';
import type { ProviderError } from '../../errors/provider-error.js';
import type { CandidateQuery, CandidateSearchResult } from '../search/candidate-query.js';

/**
 * A discovery query: the structured filters, free text, sort and pagination of a candidate search.
 * `text`, `task`, `modality` and `library` are passed down to the providers (so the Hub searches
 * for you); every filter is then applied to the merged candidates. `provider` restricts which
 * providers are asked.
 */
export type DiscoveryQuery = CandidateQuery;

/** Options of one `discover` call. */
export interface DiscoverOptions {
  /** Aborts the call: it rejects with the signal's reason, and provider calls no one else waits for stop. */
  readonly signal?: AbortSignal;
  /** Lists every provider again instead of using cached listings. @default false */
  readonly bypassCache?: boolean;
}

/** Where one provider's candidates in a result came from. */
export interface ProviderListingSummary {
  /** The provider's name. */
  readonly provider: string;
  /**
   * `'listed'`: listed by this call (or by a concurrent one it joined); `'cached'`: a listing
   * younger than `ttlMs`; `'stale'`: the provider failed and its last listing was used instead;
   * `'failed'`: it failed and nothing was cached (its error is in `errors`).
   */
  readonly status: 'listed' | 'cached' | 'stale' | 'failed';
  /** Valid candidates it contributed, before merging and filtering. */
  readonly count: number;
  /** Whether its listing stopped at `maxCandidatesPerProvider`. */
  readonly truncated: boolean;
  /** Clock time of the listing used; `undefined` when it failed. */
  readonly listedAt: number | undefined;
}

/** The answer to a discovery query. */
export interface DiscoveryResult extends CandidateSearchResult {
  /** One page of the matching candidates, merged across providers, ordered. */
  readonly candidates: readonly ModelCandidate[];
  /**
   * Providers that failed, timed out or returned malformed candidates. The result holds what the
   * others (and any cached or stale listing) found.
   */
  readonly errors: readonly ProviderError[];
  /** One entry per provider asked, in the order of the service's providers. */
  readonly providers: readonly ProviderListingSummary[];
}

/** Options of `getModel`. */
export interface DiscoveryGetModelOptions {
  /** The revision (commit, branch or tag) wanted. @default the latest */
  readonly revision?: string;
  /** Ask only this provider. @default every provider */
  readonly provider?: string;
  /** Aborts the call. */
  readonly signal?: AbortSignal;
}

/** The answer to `getModel`. */
export interface ModelLookup {
  /**
   * The model as the providers that have it describe it, merged (a Hub record and a cached copy
   * of the same repository become one). More than one when unrelated providers use the same id
   * (e.g. an Ollama tag and a Hub repository); ordered by the service's provider order.
   */
  readonly candidates: readonly ModelCandidate[];
  /** Providers that failed, timed out or answered something malformed. */
  readonly errors: readonly ProviderError[];
}

/** A model that changed, with how it was known before. */
export interface UpdatedModel {
  readonly candidate: ModelCandidate;
  readonly previous: ModelCandidate;
}

/** What `refresh` found changed since the models were last listed. */
export interface DiscoveryChanges {
  readonly added: readonly ModelCandidate[];
  readonly updated: readonly UpdatedModel[];
  readonly removed: readonly ModelCandidate[];
  /** Providers that failed: their models are kept as they were. */
  readonly errors: readonly ProviderError[];
}
