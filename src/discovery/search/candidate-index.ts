import MiniSearch, { type SearchResult as TextHit } from 'minisearch';
import type { ModelCandidate } from '../../core/model-candidate.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import { type CandidateEntry, createEntry, createVocabularies } from './candidate-entry.js';
import {
  type CandidateQuery,
  type CandidateSearchResult,
  type CandidateSortOrder,
  SEARCH_DEFAULTS,
} from './candidate-query.js';
import { EMPTY_FACETS, FacetCounter } from './facets.js';
import { CandidateFilter } from './filters.js';
import { type FieldSortKey, sortedEntries } from './sort-orders.js';
import { assertCandidateQuery } from './validate-query.js';

/**
 * An in-memory, searchable set of candidates, keyed by {@link candidateKey} (`provider:id`, or
 * `id` when there is no provider). Structured filters scan a dense array of precomputed entries;
 * free text goes through a MiniSearch index, and its hits are then filtered.
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

const TEXT_FIELDS = ['id', 'tasks', 'library', 'family', 'capabilities', 'license'] as const;

function textField(entry: CandidateEntry, field: string): string {
  const { candidate } = entry;
  switch (field) {
    case 'key':
      return entry.key;
    case 'id':
      return candidate.id;
    case 'tasks':
      return Array.isArray(candidate.tasks) ? candidate.tasks.join(' ') : '';
    case 'capabilities':
      return Array.isArray(candidate.capabilities) ? candidate.capabilities.join(' ') : '';
    case 'library':
    case 'family':
    case 'license': {
      const value = candidate[field];
      return typeof value === 'string' ? value : '';
    }
    default:
      return '';
  }
}

function createTextIndex(): MiniSearch<CandidateEntry> {
  const { prefixMinimumLength, fuzzyMinimumLength, fuzziness, boost } = SEARCH_DEFAULTS;
  return new MiniSearch<CandidateEntry>({
    idField: 'key',
    fields: [...TEXT_FIELDS],
    storeFields: [],
    extractField: (entry, field) => textField(entry, field),
    searchOptions: {
      combineWith: 'AND',
      prefix: (term) => term.length >= prefixMinimumLength,
      fuzzy: (term) => (term.length >= fuzzyMinimumLength ? fuzziness : false),
      boost: { ...boost },
    },
  });
}

function defaultOrder(sort: FieldSortKey | 'relevance'): CandidateSortOrder {
  return (SEARCH_DEFAULTS.ascendingSorts as readonly string[]).includes(sort)
    ? 'ascending'
    : SEARCH_DEFAULTS.order;
}

/** Creates a {@link CandidateIndex}, optionally filled with `candidates`. */
export function createCandidateIndex(candidates: Iterable<ModelCandidate> = []): CandidateIndex {
  const vocabularies = createVocabularies();
  /** Dense: `entries[entry.position] === entry`. */
  const entries: CandidateEntry[] = [];
  const byKey = new Map<string, CandidateEntry>();
  /** Lower-case id and lower-case key → entries, for exact matches of the text. */
  const byLowerName = new Map<string, CandidateEntry[]>();
  let text = createTextIndex();
  let sortCache = new Map<string, readonly CandidateEntry[]>();
  let mask = new Uint8Array(0);

  function addName(name: string, entry: CandidateEntry): void {
    const list = byLowerName.get(name);
    if (list === undefined) byLowerName.set(name, [entry]);
    else list.push(entry);
  }

  function removeName(name: string, entry: CandidateEntry): void {
    const list = byLowerName.get(name);
    if (list === undefined) return;
    const at = list.indexOf(entry);
    if (at >= 0) list.splice(at, 1);
    if (list.length === 0) byLowerName.delete(name);
  }

  function detach(entry: CandidateEntry): void {
    const last = entries.pop()!;
    if (last !== entry) {
      entries[entry.position] = last;
      last.position = entry.position;
    }
    byKey.delete(entry.key);
    removeName(entry.lowerId, entry);
    if (entry.lowerKey !== entry.lowerId) removeName(entry.lowerKey, entry);
    text.discard(entry.key);
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
    const fresh: CandidateEntry[] = [];
    for (const entry of batch.values()) {
      const previous = byKey.get(entry.key);
      if (previous !== undefined) detach(previous);
      entry.position = entries.length;
      entries.push(entry);
      byKey.set(entry.key, entry);
      addName(entry.lowerId, entry);
      if (entry.lowerKey !== entry.lowerId) addName(entry.lowerKey, entry);
      fresh.push(entry);
    }
    text.addAll(fresh);
    sortCache = new Map();
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
    if (removed > 0) sortCache = new Map();
    if (entries.length === 0) text = createTextIndex();
    return removed;
  }

  function sorted(key: FieldSortKey, order: CandidateSortOrder): readonly CandidateEntry[] {
    const cacheKey = `${key}:${order}`;
    let list = sortCache.get(cacheKey);
    if (list === undefined) {
      list = sortedEntries(entries, key, order);
      sortCache.set(cacheKey, list);
    }
    return list;
  }

  /** The matching entries of a text query, in relevance order (exact id or key matches first). */
  function textMatches(query: string, filter: CandidateFilter, counter: FacetCounter): CandidateEntry[] {
    const matched: CandidateEntry[] = [];
    const exact = byLowerName.get(query.toLowerCase());
    if (exact !== undefined) {
      for (const entry of exact) {
        if (filter.matches(entry)) {
          matched.push(entry);
          counter.count(entry);
        }
      }
    }
    const hits: TextHit[] = text.search(query);
    for (const hit of hits) {
      const entry = byKey.get(hit.id as string);
      if (entry === undefined || exact?.includes(entry)) continue;
      if (!filter.matches(entry)) continue;
      matched.push(entry);
      counter.count(entry);
    }
    return matched;
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
    if (filter.matchesNothing || entries.length === 0)
      return { candidates: [], total: 0, facets: EMPTY_FACETS };
    const counter = new FacetCounter(vocabularies);
    const page: ModelCandidate[] = [];
    const end = offset + limit;

    if (hasText && sort === 'relevance') {
      const matched = textMatches(textQuery, filter, counter);
      if (order === 'ascending') matched.reverse();
      for (let index = offset; index < end && index < matched.length; index++)
        page.push(matched[index]!.candidate);
      return { candidates: page, total: matched.length, facets: counter.facets() };
    }

    // Mark the matches, then walk the presorted order of the sort field.
    if (mask.length < entries.length) mask = new Uint8Array(Math.max(entries.length, mask.length * 2));
    let total = 0;
    if (hasText) {
      for (const entry of textMatches(textQuery, filter, counter)) {
        mask[entry.position] = 1;
        total++;
      }
    } else if (filter.matchesEverything) {
      for (const entry of entries) counter.count(entry);
      total = entries.length;
    } else {
      for (let position = 0; position < entries.length; position++) {
        const entry = entries[position]!;
        if (filter.matches(entry)) {
          mask[position] = 1;
          counter.count(entry);
          total++;
        }
      }
    }
    if (limit > 0 && offset < total) {
      const ordered = sorted(sort as FieldSortKey, order);
      const everything = !hasText && filter.matchesEverything;
      let seen = 0;
      for (const entry of ordered) {
        if (!everything && mask[entry.position] === 0) continue;
        if (seen++ >= offset) {
          page.push(entry.candidate);
          if (page.length === limit) break;
        }
      }
    }
    mask.fill(0, 0, entries.length);
    return { candidates: page, total, facets: counter.facets() };
  }

  if (candidates !== undefined) add(candidates);

  return {
    add,
    remove,
    get: (key) => byKey.get(key)?.candidate,
    get size() {
      return entries.length;
    },
    search,
  };
}
