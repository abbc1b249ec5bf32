import type { LicenseGroup, LicensePolicy } from '../../core/license-policy.js';
import type { ModelCandidate } from '../../core/model-candidate.js';
import type { Modality, Task } from '../../core/task.js';

/** What search results can be ordered by. */
export type CandidateSortKey = 'relevance' | 'downloads' | 'likes' | 'lastModified' | 'size' | 'parameters';

/** Every {@link CandidateSortKey}. @internal */
export const CANDIDATE_SORT_KEYS: readonly CandidateSortKey[] = Object.freeze([
  'relevance',
  'downloads',
  'likes',
  'lastModified',
  'size',
  'parameters',
]);

/** The direction of an ordering. */
export type CandidateSortOrder = 'ascending' | 'descending';

/** Bounds on one measured metric; both ends are inclusive. */
export interface MetricRange {
  /** Smallest acceptable value. @default no lower bound */
  readonly min?: number;
  /** Largest acceptable value. @default no upper bound */
  readonly max?: number;
}

/**
 * A search over a {@link CandidateIndex}. Every filter given must hold (they combine with AND).
 *
 * Filters match what a candidate declares: a candidate that does not declare a field (no tasks,
 * no size, no such metric, …) does not match a filter on that field. The license policy is the
 * exception: its `allowUnknown` decides whether a missing license passes. (Selection constraints
 * are lenient instead and let unknown values pass; a search lists what is known to fit.)
 */
export interface CandidateQuery {
  /**
   * Free text over the id, tasks, library, family, capabilities and license, ranked by relevance
   * (MiniSearch, BM25). Every word must match a word of the candidate, as a prefix (words of two
   * or more characters) or within a small edit distance (words of five or more characters). A
   * candidate whose id (or `provider:id` key) equals the text, ignoring case, ranks first. Blank
   * text is ignored.
   * @default no text filter
   */
  readonly text?: string;
  /** A task the candidate performs (`@huggingface/tasks` pipeline name). @default any task */
  readonly task?: Task;
  /** A modality of the candidate (declared, or derived from its tasks). @default any modality */
  readonly modality?: Modality;
  /** The library it runs with, compared exactly, e.g. `'transformers.js'`. @default any library */
  readonly library?: string;
  /** Capability tags the candidate must all have, compared exactly. @default none required */
  readonly capabilities?: readonly string[];
  /** Which licenses (and whether gated models) are acceptable. @default every license */
  readonly license?: LicensePolicy;
  /** The provider that found the candidate, e.g. `'huggingface'`. @default any provider */
  readonly provider?: string;
  /** Smallest size of the weights, in bytes (inclusive). @default no lower bound */
  readonly minSizeBytes?: number;
  /** Largest size of the weights, in bytes (inclusive). @default no upper bound */
  readonly maxSizeBytes?: number;
  /** Smallest parameter count (inclusive). @default no lower bound */
  readonly minParameters?: number;
  /** Largest parameter count (inclusive). @default no upper bound */
  readonly maxParameters?: number;
  /** Largest memory need, in bytes (inclusive). @default no upper bound */
  readonly maxMemoryBytes?: number;
  /**
   * Bounds on measured metrics, by name, e.g. `{ accuracy: { min: 0.9 }, latencyMs: { max: 20 } }`.
   * A candidate without the metric does not match, so `{ accuracy: {} }` asks for candidates that
   * report an accuracy.
   * @default no metric bounds
   */
  readonly metrics?: Readonly<Record<string, MetricRange>>;
  /**
   * The ordering. `'relevance'` is the text's ranking (exact id or key matches first, then by
   * score; `'ascending'` reverses that, so exact matches come last); without text it falls back to
   * `'downloads'`. Candidates that lack the sort field come last in either order; ties (also of
   * relevance scores) are broken by key, ascending.
   * @default 'relevance' when `text` is given, otherwise 'downloads'
   */
  readonly sort?: CandidateSortKey;
  /** The direction of `sort`. @default 'descending' ('ascending' for 'size' and 'parameters') */
  readonly order?: CandidateSortOrder;
  /** The most candidates to return (0 returns only `total` and `facets`). @default 20 */
  readonly limit?: number;
  /** How many of the ordered matches to skip. @default 0 */
  readonly offset?: number;
}

/** How many matching candidates have one value of a facet. */
export interface FacetCount<Value extends string = string> {
  readonly value: Value;
  readonly count: number;
}

/**
 * Counts over every candidate that matches the query (before `offset` and `limit`), each sorted
 * by count (descending), then value. A candidate with several tasks, modalities or capabilities
 * counts once for each; candidates without a library or provider are not counted there.
 */
export interface SearchFacets {
  readonly tasks: readonly FacetCount<Task>[];
  readonly modalities: readonly FacetCount<Modality>[];
  readonly libraries: readonly FacetCount[];
  /** Every candidate counts here (`'unknown'` when it has no recognized license). */
  readonly licenseGroups: readonly FacetCount<LicenseGroup>[];
  readonly providers: readonly FacetCount[];
  readonly capabilities: readonly FacetCount[];
}

/** The answer to a {@link CandidateQuery}. */
export interface CandidateSearchResult {
  /** One page of the ordered matches. */
  readonly candidates: readonly ModelCandidate[];
  /** How many candidates match, across all pages. */
  readonly total: number;
  /** Facet counts over all matches. */
  readonly facets: SearchFacets;
}

/** Defaults of {@link CandidateQuery} and of the text search. */
export const SEARCH_DEFAULTS = Object.freeze({
  limit: 20,
  offset: 0,
  /** Sort when `text` is given. */
  sortWithText: 'relevance' as CandidateSortKey,
  /** Sort when no `text` is given. */
  sortWithoutText: 'downloads' as CandidateSortKey,
  /** Order for every sort key but those in `ascendingSorts`. */
  order: 'descending' as CandidateSortOrder,
  /** Sort keys whose default order is ascending (smallest first). */
  ascendingSorts: Object.freeze(['size', 'parameters'] as const),
  /** Query words at least this long match as prefixes. */
  prefixMinimumLength: 2,
  /** Query words at least this long match within an edit distance of `fuzziness` × length. */
  fuzzyMinimumLength: 5,
  fuzziness: 0.2,
  /** Relevance weight of a match per field (others weigh 1). */
  boost: Object.freeze({ id: 3, family: 2, tasks: 1.5 }),
});
