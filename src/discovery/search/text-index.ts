import SearchableMap from 'minisearch/SearchableMap';
import type { ModelCandidate } from '../../core/model-candidate.js';
import { Bitset } from './bitset.js';
import { SEARCH_DEFAULTS } from './candidate-query.js';
import {
  queryTerms,
  TEXT_FIELD_BOOSTS,
  TEXT_FIELDS,
  textField,
  textTerm,
  textTokens,
} from './text-fields.js';

/**
 * MiniSearch 7's own defaults for what the index does not configure: the weights of prefix and
 * fuzzy matches, the cap on the edit distance, and the BM25 parameters. (The equivalence tests
 * compare the ranking with MiniSearch's, so a change of these defaults upstream is caught.)
 */
const PREFIX_WEIGHT = 0.375;
const FUZZY_WEIGHT = 0.45;
const MAXIMUM_FUZZY_DISTANCE = 6;
const BM25 = Object.freeze({ k: 1.2, b: 0.7, d: 0.5 });

/** Each posting's code packs the term frequency and the field: `frequency × 8 + field`. */
const FIELD_BITS = 3;
const FIELD_MASK = (1 << FIELD_BITS) - 1;
const FIELD_COUNT = TEXT_FIELDS.length;

/** The slots whose fields contain a term, ascending, each with the field and the term's count there. */
interface Postings {
  readonly slots: number[];
  readonly codes: number[];
  /** Cached live document frequencies per field, valid for `frequenciesVersion` and `frequenciesLength`. */
  frequencies: Int32Array | undefined;
  frequenciesVersion: number;
  frequenciesLength: number;
}

/** A field's text as indexed: its length in distinct tokens, and its terms with their counts. */
interface IndexedField {
  readonly length: number;
  readonly postings: readonly Postings[];
  readonly frequencies: readonly number[];
}

const ID_FIELD = TEXT_FIELDS.indexOf('id');
/** Texts of up to this many tokens count their terms by linear scans. */
const LINEAR_SCAN_LIMIT = 32;
/** At most this many distinct texts per field are kept tokenized. */
const FIELD_CACHE_LIMIT = 10_000;

/** A term of the index that one query word matches, with the weight of that kind of match. */
interface DerivedTerm {
  readonly postings: Postings;
  readonly weight: number;
}

/** A query text with each word expanded to the indexed terms it matches. @internal */
export interface TextQuery {
  /** One list of derived terms per query word; empty when the text has no words. */
  readonly words: readonly (readonly DerivedTerm[])[];
  /** The lists of `words` without repetitions (a repeated word scores twice but matches once). */
  readonly distinctWords: readonly (readonly DerivedTerm[])[];
}

/**
 * Free-text index with MiniSearch's matching and ranking, evaluated over bitsets of slots.
 *
 * Tokens and terms come from MiniSearch's default tokenizer and term processing, and the term
 * dictionary is MiniSearch's `SearchableMap` (radix trees, one per term length), which expands
 * each query word to its prefix and fuzzy matches as `MiniSearch#search` does. Postings are kept
 * in arrays by term, so that the words' matches combine as bitsets (AND) and the BM25 score
 * (MiniSearch's formula, weights and boosts) is computed in a tight loop, only for the slots that
 * match the whole query — instead of building a result object per posting, for every word, as
 * `MiniSearch#search` does. Document frequencies, the document count and average field lengths
 * count live slots only, as in MiniSearch after a vacuum. @internal
 */
export class TextIndex {
  readonly #byTerm = new Map<string, Postings>();
  /**
   * The terms by length, one radix tree per length: a fuzzy match of a word of length n within
   * d edits has a length from n − d to n + d, so only those trees are searched (one tree of
   * every term would walk all short terms for a long word).
   */
  readonly #dictionaries: (SearchableMap<Postings> | undefined)[] = [];
  /** Unique tokens per field by slot, and their sum over live slots. */
  #fieldLengths: Int32Array[] = TEXT_FIELDS.map(() => new Int32Array(0));
  readonly #fieldLengthTotals: number[] = TEXT_FIELDS.map(() => 0);
  #documentCount = 0;
  /** Changes whenever a slot is deleted or renumbered (document frequencies must be recounted). */
  #version = 0;
  readonly #wordMatches = new Bitset();
  /** Per field (but the id): its texts already tokenized. Emptied when postings are dropped. */
  readonly #fieldCache = TEXT_FIELDS.map(() => new Map<string, IndexedField>());

  /** Indexes `candidate` at `slot`, which must be above every slot indexed before. */
  add(slot: number, candidate: ModelCandidate): void {
    if (slot >= this.#fieldLengths[0]!.length) this.#grow(Math.max(64, slot * 2));
    for (let field = 0; field < FIELD_COUNT; field++) {
      const text = textField(candidate, TEXT_FIELDS[field]!);
      // Field texts other than the id repeat across candidates: tokenize each once.
      const cache = field === ID_FIELD ? undefined : this.#fieldCache[field]!;
      let indexed = cache?.get(text);
      if (indexed === undefined) {
        indexed = this.#indexField(text);
        if (cache !== undefined && cache.size < FIELD_CACHE_LIMIT) cache.set(text, indexed);
      }
      this.#fieldLengths[field]![slot] = indexed.length;
      this.#fieldLengthTotals[field]! += indexed.length;
      const { postings, frequencies } = indexed;
      for (let index = 0; index < postings.length; index++) {
        const { slots, codes } = postings[index]!;
        slots.push(slot);
        codes.push((frequencies[index]! << FIELD_BITS) | field);
      }
    }
    this.#documentCount++;
  }

  /** The length of a field's text, its distinct terms (postings created as needed) and their counts. */
  #indexField(text: string): IndexedField {
    const tokens = textTokens(text);
    const terms: string[] = [];
    const frequencies: number[] = [];
    let length: number;
    if (tokens.length <= LINEAR_SCAN_LIMIT) {
      // Few tokens (the usual case): linear scans beat a Set and a Map.
      const distinctTokens: string[] = [];
      for (const token of tokens) {
        if (!distinctTokens.includes(token)) distinctTokens.push(token);
        const term = textTerm(token);
        if (term === undefined) continue;
        const at = terms.indexOf(term);
        if (at >= 0) frequencies[at]!++;
        else {
          terms.push(term);
          frequencies.push(1);
        }
      }
      length = distinctTokens.length;
    } else {
      const counts = new Map<string, number>();
      for (const token of tokens) {
        const term = textTerm(token);
        if (term !== undefined) counts.set(term, (counts.get(term) ?? 0) + 1);
      }
      for (const [term, count] of counts) {
        terms.push(term);
        frequencies.push(count);
      }
      length = new Set(tokens).size;
    }
    const postings = terms.map((term) => {
      let found = this.#byTerm.get(term);
      if (found === undefined) {
        found = { slots: [], codes: [], frequencies: undefined, frequenciesVersion: 0, frequenciesLength: 0 };
        this.#byTerm.set(term, found);
        this.#dictionary(term.length).set(term, found);
      }
      return found;
    });
    return { length, postings, frequencies };
  }

  /** Forgets the slot for ranking; its postings stay (and never match) until {@link TextIndex.remap}. */
  delete(slot: number): void {
    for (let field = 0; field < FIELD_COUNT; field++) {
      this.#fieldLengthTotals[field]! -= this.#fieldLengths[field]![slot]!;
    }
    this.#documentCount--;
    this.#version++;
  }

  /** Renumbers slots by `remap` (−1 drops a slot), dropping terms left without postings. */
  remap(remap: Int32Array): void {
    this.#version++;
    for (const cache of this.#fieldCache) cache.clear();
    for (const [term, { slots, codes }] of this.#byTerm) {
      let kept = 0;
      for (let index = 0; index < slots.length; index++) {
        const slot = remap[slots[index]!]!;
        if (slot < 0) continue;
        slots[kept] = slot;
        codes[kept] = codes[index]!;
        kept++;
      }
      slots.length = kept;
      codes.length = kept;
      if (kept === 0) {
        this.#byTerm.delete(term);
        this.#dictionary(term.length).delete(term);
      }
    }
    this.#fieldLengths = this.#fieldLengths.map((lengths) => {
      const remapped = new Int32Array(lengths.length);
      for (let slot = 0; slot < remap.length; slot++) {
        const target = remap[slot]!;
        if (target >= 0) remapped[target] = lengths[slot]!;
      }
      return remapped;
    });
  }

  /** Forgets everything. */
  clear(): void {
    for (const cache of this.#fieldCache) cache.clear();
    this.#byTerm.clear();
    this.#dictionaries.length = 0;
    this.#fieldLengthTotals.fill(0);
    this.#documentCount = 0;
    this.#version++;
  }

  /**
   * Expands every word of `text` to the indexed terms it matches: the word itself, terms it is a
   * prefix of (words of `prefixMinimumLength` or more characters), and terms within
   * `fuzziness` × length edits (words of `fuzzyMinimumLength` or more), weighted as in MiniSearch.
   */
  prepare(text: string): TextQuery {
    const { prefixMinimumLength, fuzzyMinimumLength, fuzziness } = SEARCH_DEFAULTS;
    const expanded = new Map<string, readonly DerivedTerm[]>();
    const expand = (word: string): readonly DerivedTerm[] => {
      const derived: DerivedTerm[] = [];
      const derive = (postings: Postings, weight: number) => derived.push({ postings, weight });
      const exact = this.#byTerm.get(word);
      if (exact !== undefined) derive(exact, 1);
      const prefixed = new Set<string>();
      const dictionaries = this.#dictionaries;
      if (word.length >= prefixMinimumLength) {
        for (let length = word.length + 1; length < dictionaries.length; length++) {
          for (const [term, postings] of dictionaries[length]?.atPrefix(word) ?? []) {
            const distance = term.length - word.length;
            prefixed.add(term);
            derive(postings, (PREFIX_WEIGHT * term.length) / (term.length + 0.3 * distance));
          }
        }
      }
      if (word.length >= fuzzyMinimumLength) {
        const maximumDistance = Math.min(MAXIMUM_FUZZY_DISTANCE, Math.round(word.length * fuzziness));
        const longest = Math.min(dictionaries.length - 1, word.length + maximumDistance);
        for (let length = Math.max(1, word.length - maximumDistance); length <= longest; length++) {
          for (const [term, [postings, distance]] of dictionaries[length]?.fuzzyGet(word, maximumDistance) ??
            []) {
            if (distance === 0 || prefixed.has(term)) continue;
            derive(postings, (FUZZY_WEIGHT * term.length) / (term.length + distance));
          }
        }
      }
      return derived;
    };
    const words = queryTerms(text).map((word) => {
      let derived = expanded.get(word);
      if (derived === undefined) {
        derived = expand(word);
        expanded.set(word, derived);
      }
      return derived;
    });
    return { words, distinctWords: [...expanded.values()] };
  }

  /**
   * Narrows `matches` (a set of live slots) to the slots that match every word of `query` (some
   * term derived from each word). A query without words matches nothing. Words are applied from
   * the one with the fewest postings; once few slots remain, each is looked up in the postings
   * (binary search) instead of scanning them.
   */
  match(query: TextQuery, matches: Bitset): void {
    const words = query.distinctWords;
    if (words.length === 0) {
      matches.clear();
      return;
    }
    const volumes = words.map(postingCount);
    const order = [...words.keys()].sort((left, right) => volumes[left]! - volumes[right]!);
    let count = matches.count();
    for (const at of order) {
      if (count === 0) return;
      const derivedTerms = words[at]!;
      let searchCost = 0;
      for (const { postings } of derivedTerms) searchCost += count * Math.log2(postings.slots.length + 2);
      count =
        searchCost < volumes[at]!
          ? keepFound(derivedTerms, matches)
          : this.#keepScanned(derivedTerms, matches);
    }
  }

  /** Keeps the slots of `matches` found in the postings of `derivedTerms`, by one scan of them. */
  #keepScanned(derivedTerms: readonly DerivedTerm[], matches: Bitset): number {
    const wordMatches = this.#wordMatches;
    wordMatches.grow(matches.capacity);
    wordMatches.clear();
    const bits = wordMatches.words;
    for (const { postings } of derivedTerms) {
      const slots = postings.slots;
      for (let index = 0; index < slots.length; index++) {
        const slot = slots[index]!;
        bits[slot >>> 5]! |= 1 << (slot & 31);
      }
    }
    matches.and(wordMatches);
    return matches.count();
  }

  /**
   * Adds the relevance of every slot in `matches` (which holds `count` live slots, as left by
   * {@link TextIndex.match}) to `scores`: MiniSearch's BM25 summed over the words' derived terms
   * and fields, with field boosts. Document frequencies count the `live` slots.
   */
  score(query: TextQuery, live: Bitset, matches: Bitset, count: number, scores: Float64Array): void {
    const { k, b, d } = BM25;
    const documentCount = this.#documentCount;
    const averages = this.#fieldLengthTotals.map((total) => total / documentCount);
    const lengths = this.#fieldLengths;
    const bits = matches.words;
    const scales = new Float64Array(FIELD_COUNT);
    const inverseFrequencies = new Float64Array(FIELD_COUNT);
    let matched: Int32Array | undefined;
    const add = (slot: number, code: number) => {
      const field = code & FIELD_MASK;
      const termFrequency = code >>> FIELD_BITS;
      const fieldLength = lengths[field]![slot]!;
      const raw =
        inverseFrequencies[field]! *
        (d +
          (termFrequency * (k + 1)) / (termFrequency + k * (1 - b + (b * fieldLength) / averages[field]!)));
      scores[slot]! += scales[field]! * raw;
    };
    for (const derivedTerms of query.words) {
      for (const { postings, weight } of derivedTerms) {
        const frequencies = this.#documentFrequencies(postings, live);
        for (let field = 0; field < FIELD_COUNT; field++) {
          const frequency = frequencies[field]!;
          scales[field] = weight * TEXT_FIELD_BOOSTS[field]!;
          inverseFrequencies[field] = Math.log(1 + (documentCount - frequency + 0.5) / (frequency + 0.5));
        }
        const { slots, codes } = postings;
        if (count * Math.log2(slots.length + 2) < slots.length) {
          // Few matches: look each one up.
          if (matched === undefined) {
            matched = new Int32Array(count);
            matches.values(matched);
          }
          for (const slot of matched) {
            for (
              let index = lowerBound(slots, slot);
              index < slots.length && slots[index] === slot;
              index++
            ) {
              add(slot, codes[index]!);
            }
          }
        } else {
          for (let index = 0; index < slots.length; index++) {
            const slot = slots[index]!;
            if ((bits[slot >>> 5]! & (1 << (slot & 31))) !== 0) add(slot, codes[index]!);
          }
        }
      }
    }
  }

  /** Live slots with the term, per field; cached until the term gains postings or a slot is deleted. */
  #documentFrequencies(postings: Postings, live: Bitset): Int32Array {
    const { slots, codes } = postings;
    if (
      postings.frequencies !== undefined &&
      postings.frequenciesVersion === this.#version &&
      postings.frequenciesLength === slots.length
    ) {
      return postings.frequencies;
    }
    const frequencies = new Int32Array(FIELD_COUNT);
    const liveWords = live.words;
    for (let index = 0; index < slots.length; index++) {
      const slot = slots[index]!;
      if ((liveWords[slot >>> 5]! & (1 << (slot & 31))) !== 0) frequencies[codes[index]! & FIELD_MASK]!++;
    }
    postings.frequencies = frequencies;
    postings.frequenciesVersion = this.#version;
    postings.frequenciesLength = slots.length;
    return frequencies;
  }

  /** The radix tree of the terms of this length. */
  #dictionary(length: number): SearchableMap<Postings> {
    let dictionary = this.#dictionaries[length];
    if (dictionary === undefined) {
      dictionary = new SearchableMap<Postings>();
      this.#dictionaries[length] = dictionary;
    }
    return dictionary;
  }

  #grow(capacity: number): void {
    this.#fieldLengths = this.#fieldLengths.map((lengths) => {
      const grown = new Int32Array(capacity);
      grown.set(lengths);
      return grown;
    });
  }
}

/** How many postings the derived terms of one word have. */
function postingCount(derivedTerms: readonly DerivedTerm[]): number {
  let count = 0;
  for (const { postings } of derivedTerms) count += postings.slots.length;
  return count;
}

/** The first index of ascending `slots` whose slot is not below `slot`. */
function lowerBound(slots: readonly number[], slot: number): number {
  let low = 0;
  let high = slots.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (slots[middle]! < slot) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Keeps the slots of `matches` that some derived term's postings hold (binary searches); returns how many. */
function keepFound(derivedTerms: readonly DerivedTerm[], matches: Bitset): number {
  const words = matches.words;
  let count = 0;
  for (let index = 0; index < words.length; index++) {
    let word = words[index]!;
    if (word === 0) continue;
    let kept = word;
    const base = index << 5;
    while (word !== 0) {
      const lowest = word & -word;
      word ^= lowest;
      const slot = base + 31 - Math.clz32(lowest);
      let found = false;
      for (let term = 0; !found && term < derivedTerms.length; term++) {
        const slots = derivedTerms[term]!.postings.slots;
        const at = lowerBound(slots, slot);
        found = at < slots.length && slots[at] === slot;
      }
      if (found) count++;
      else kept ^= lowest;
    }
    words[index] = kept;
  }
  return count;
}
