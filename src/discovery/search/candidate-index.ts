import type { ModelCandidate } from '../../core/model-candidate.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import { Bitset } from './bitset.js';
import { CandidateColumns } from './candidate-columns.js';
import { type CandidateEntry, createEntry, createVocabularies } from './candidate-entry.js';
import {
  type CandidateQuery,
  type CandidateSearchResult,
  type CandidateSortOrder,
  SEARCH_DEFAULTS,
} from './candidate-query.js';
import { countFacets, EMPTY_FACETS } from './facets.js';
import { CandidateFilter } from './filters.js';
import { KeyRanks } from './key-ranks.js';
import { selectBest } from './select-best.js';
import { type FieldSortKey, pageInOrder, SortOrders } from './sort-orders.js';
import { TextIndex } from './text-index.js';
import { assertCandidateQuery } from './validate-query.js';

/**
 * An in-memory, searchable set of candidates, keyed by {@link candidateKey} (`provider:id`, or
 * `id` when there is no provider).
 *
 * Candidates are stored by slot, column by column, with one bitset of slots per value of every
 * filtered field: filters are word-wise ANDs of bitsets (then slot checks for licenses, numbers
 * and metrics), facets are popcounts, and field sorts walk presorted permutations of the slots.
 * Free text is matched and ranked as MiniSearch does (its tokenizer, its radix tree for prefix
 * and fuzzy terms, its BM25 weights), over postings that combine as bitsets. Removing a candidate
 * leaves a dead slot behind; slots are renumbered once more than a quarter of them are dead.
 */
export interface CandidateIndex {
  /** Adds candidates; one whose key is already present replaces the old entry. */
  add(candidates: Iterable<ModelCandidate>): void;
  /** Removes the candidates with these keys; returns how many were present. */
  remove(keys: Iterable<string>): number;
  /** The candidate with this key, if present. */
  get(key: string): ModelCandidate | undefined;
  /** How many candidates the index holds. */
  readonly size: number;
  /**
   * The candidates matching `query`, ordered and paginated, with their total and facet counts.
   * Throws an `InvalidArgumentError` for a malformed query and a `ContradictoryConstraintsError`
   * for one that nothing could match.
   */
  search(query?: CandidateQuery): CandidateSearchResult;
}

function defaultOrder(sort: FieldSortKey | 'relevance'): CandidateSortOrder {
  return (SEARCH_DEFAULTS.ascendingSorts as readonly string[]).includes(sort)
    ? 'ascending'
    : SEARCH_DEFAULTS.order;
}

/** Removed slots tolerated before the index is compacted: more than this many, and over a quarter. */
const COMPACTION_MINIMUM = 64;

/** Creates a {@link CandidateIndex}, optionally filled with `candidates`. */
export function createCandidateIndex(candidates: Iterable<ModelCandidate> = []): CandidateIndex {
  const vocabularies = createVocabularies();
  const columns = new CandidateColumns();
  const text = new TextIndex();
  const sortOrders = new SortOrders();
  const keyRanks = new KeyRanks();
  const byKey = new Map<string, CandidateEntry>();
  /** Lower-case id and lower-case key → the entry, or entries when several share it (exact text matches). */
  const byLowerName = new Map<string, CandidateEntry | CandidateEntry[]>();
  /** Scratch space of `search`, grown with the slots. */
  const matches = new Bitset();
  let scores = new Float64Array(0);

  /** The lower-case names an entry is found by: its id and, when it differs, its key. */
  function lowerNames(entry: CandidateEntry): string[] {
    const lowerKey = entry.key.toLowerCase();
    const lowerId = entry.key.slice(entry.key.length - entry.idLength).toLowerCase();
    return lowerId === lowerKey ? [lowerId] : [lowerId, lowerKey];
  }

  function exactMatches(text: string): readonly CandidateEntry[] {
    const found = byLowerName.get(text.toLowerCase());
    return found === undefined ? [] : Array.isArray(found) ? found : [found];
  }

  function addName(name: string, entry: CandidateEntry): void {
    const found = byLowerName.get(name);
    if (found === undefined) byLowerName.set(name, entry);
    else if (Array.isArray(found)) found.push(entry);
    else byLowerName.set(name, [found, entry]);
  }

  function removeName(name: string, entry: CandidateEntry): void {
    const found = byLowerName.get(name);
    if (found === entry) byLowerName.delete(name);
    else if (Array.isArray(found)) {
      const remaining = found.filter((other) => other !== entry);
      byLowerName.set(name, remaining.length === 1 ? remaining[0]! : remaining);
    }
  }

  function detach(entry: CandidateEntry): void {
    text.delete(entry.position);
    columns.delete(entry);
    byKey.delete(entry.key);
    for (const name of lowerNames(entry)) removeName(name, entry);
  }

  /** Empties the index when nothing is live, or renumbers slots once enough of them are dead. */
  function tidy(): void {
    if (columns.liveCount === 0) {
      columns.clear();
      text.clear();
      sortOrders.clear();
      keyRanks.clear();
      return;
    }
    const dead = columns.deadCount;
    if (dead <= COMPACTION_MINIMUM || dead * 4 <= columns.slotCount) return;
    const remap = columns.compact();
    text.remap(remap);
    sortOrders.remap(remap);
    keyRanks.remap(remap);
  }

  function add(added: Iterable<ModelCandidate>): void {
    if (added === null || typeof (added as Partial<Iterable<unknown>>)[Symbol.iterator] !== 'function') {
      throw new InvalidArgumentError({ argument: 'candidates', value: added, message: 'must be iterable' });
    }
    // Build every entry first, so that an invalid candidate leaves the index unchanged.
    const batch = new Map<string, CandidateEntry>();
    for (const candidate of added) {
      const entry = createEntry(candidate, vocabularies);
      batch.delete(entry.key);
      batch.set(entry.key, entry);
    }
    if (batch.size === 0) return;
    for (const entry of batch.values()) {
      const previous = byKey.get(entry.key);
      if (previous !== undefined) detach(previous);
      const slot = columns.append(entry);
      text.add(slot, entry.candidate);
      byKey.set(entry.key, entry);
      for (const name of lowerNames(entry)) addName(name, entry);
    }
    tidy();
  }

  function remove(keys: Iterable<string>): number {
    if (keys === null || typeof (keys as Partial<Iterable<unknown>>)[Symbol.iterator] !== 'function') {
      throw new InvalidArgumentError({ argument: 'keys', value: keys, message: 'must be iterable' });
    }
    let removed = 0;
    for (const key of keys) {
      const entry = typeof key === 'string' ? byKey.get(key) : undefined;
      if (entry === undefined) continue;
      detach(entry);
      removed++;
    }
    if (removed > 0) tidy();
    return removed;
  }

  /** The ordered page of a relevance-sorted text search: exact id or key matches first. */
  function relevancePage(
    exact: readonly CandidateEntry[],
    total: number,
    order: CandidateSortOrder,
    offset: number,
    limit: number,
  ): number[] {
    if (limit === 0) return [];
    const ranks = keyRanks.ranks(columns);
    const direction = order === 'ascending' ? 1 : -1;
    const compare = (left: number, right: number) => {
      const difference = scores[left]! - scores[right]!;
      return difference !== 0 ? direction * difference : ranks[left]! - ranks[right]!;
    };
    for (const entry of exact) matches.delete(entry.position);
    const others = new Int32Array(total);
    const count = matches.values(others);
    const best = selectBest(others, count, offset + limit, compare);
    const first = exact.map((entry) => entry.position).sort(compare);
    const ordered = order === 'ascending' ? [...best, ...first] : [...first, ...best];
    return ordered.slice(offset, offset + limit);
  }

  function search(query: CandidateQuery = {}): CandidateSearchResult {
    assertCandidateQuery(query);
    const limit = query.limit ?? SEARCH_DEFAULTS.limit;
    const offset = query.offset ?? SEARCH_DEFAULTS.offset;
    const textQuery = query.text?.trim() ?? '';
    const hasText = textQuery.length > 0;
    const requestedSort =
      query.sort ?? (hasText ? SEARCH_DEFAULTS.sortWithText : SEARCH_DEFAULTS.sortWithoutText);
    const sort = requestedSort === 'relevance' && !hasText ? SEARCH_DEFAULTS.sortWithoutText : requestedSort;
    const order = query.order ?? defaultOrder(requestedSort);
    const filter = new CandidateFilter(query, vocabularies);
    if (filter.matchesNothing || columns.liveCount === 0) {
      return { candidates: [], total: 0, facets: EMPTY_FACETS };
    }
    filter.apply(columns, matches);

    let exact: CandidateEntry[] = [];
    const byRelevance = hasText && sort === 'relevance';
    if (hasText) {
      exact = exactMatches(textQuery).filter((entry) => matches.has(entry.position));
      const prepared = text.prepare(textQuery);
      text.match(prepared, matches);
      if (byRelevance && limit > 0) {
        if (scores.length < columns.slotCount) scores = new Float64Array(matches.capacity);
        scores.fill(0, 0, columns.slotCount);
        text.score(prepared, columns.live, matches, matches.count(), scores);
      }
      for (const entry of exact) matches.add(entry.position);
    }
    const total = matches.count();
    const facets = countFacets(columns, vocabularies, matches, total);
    const slots = byRelevance
      ? relevancePage(exact, total, order, offset, limit)
      : limit === 0
        ? []
        : pageInOrder(
            sortOrders.ordered(columns, keyRanks.ranks(columns), sort as FieldSortKey, order),
            matches,
            offset,
            limit,
          );
    return { candidates: slots.map((slot) => columns.entries[slot]!.candidate), total, facets };
  }

  if (candidates !== undefined) add(candidates);

  return {
    add,
    remove,
    get: (key) => byKey.get(key)?.candidate,
    get size() {
      return columns.liveCount;
    },
    search,
  };
}
