import { LICENSE_GROUPS } from '../../core/license.js';
import type { LicenseGroup } from '../../core/license-policy.js';
import type { Modality, Task } from '../../core/task.js';
import type { Bitset } from './bitset.js';
import type { CandidateColumns } from './candidate-columns.js';
import type { CandidateEntry, Vocabularies } from './candidate-entry.js';
import type { FacetCount, SearchFacets } from './candidate-query.js';
import type { ValueBitsets } from './value-bitsets.js';
import type { Vocabulary } from './vocabulary.js';

/**
 * How facets are counted: `'bitsets'` popcounts (matches AND value bitset) for every value;
 * `'slots'` visits every matching slot and counts its values; `'cheapest'` picks, per facet, the
 * one that reads less. @internal
 */
export type FacetStrategy = 'cheapest' | 'bitsets' | 'slots';

/**
 * Cost of counting one matching slot, relative to one popcount of a word per value: a column read
 * for a single-valued field, an entry's array for a multi-valued one (measured on 100,000 slots).
 */
const SINGLE_VALUED_SLOT_COST = 4;
const MULTI_VALUED_SLOT_COST = 32;

/**
 * The facet counts of the slots in `matches` (which holds `total` slots), each sorted by count
 * (descending), then value. @internal
 */
export function countFacets(
  columns: CandidateColumns,
  vocabularies: Vocabularies,
  matches: Bitset,
  total: number,
  strategy: FacetStrategy = 'cheapest',
): SearchFacets {
  if (total === 0) return EMPTY_FACETS;
  const nonZero = new Int32Array(matches.words.length);
  const nonZeroCount = matches.nonZeroWords(nonZero);
  let slots: Int32Array | undefined;
  const matchedSlots = () => {
    if (slots === undefined) {
      slots = new Int32Array(total);
      matches.values(slots);
    }
    return slots;
  };
  const useSlots = (values: number, slotCost: number) =>
    strategy === 'slots' || (strategy === 'cheapest' && total * slotCost < values * nonZeroCount);

  const byBitsets = (bitsets: ValueBitsets, size: number) => {
    const counts = new Int32Array(size);
    for (let code = 0; code < size; code++) {
      counts[code] = matches.countAnd(bitsets.of(code), nonZero, nonZeroCount);
    }
    return counts;
  };
  const multiValued = (
    bitsets: ValueBitsets,
    size: number,
    codes: (entry: CandidateEntry) => readonly number[],
  ) => {
    if (!useSlots(size, MULTI_VALUED_SLOT_COST)) return byBitsets(bitsets, size);
    const counts = new Int32Array(size);
    for (const slot of matchedSlots()) for (const code of codes(columns.entries[slot]!)) counts[code]!++;
    return counts;
  };
  const singleValued = (bitsets: ValueBitsets, size: number, column: ArrayLike<number>) => {
    if (!useSlots(size, SINGLE_VALUED_SLOT_COST)) return byBitsets(bitsets, size);
    const counts = new Int32Array(size);
    for (const slot of matchedSlots()) {
      const code = column[slot]!;
      if (code >= 0) counts[code]!++;
    }
    return counts;
  };

  const { tasks, modalities, libraries, providers, capabilities } = vocabularies;
  return {
    tasks: sortedCounts(
      multiValued(columns.tasks, tasks.size, (entry) => entry.tasks),
      (code) => tasks.value(code) as Task,
    ),
    modalities: sortedCounts(
      multiValued(columns.modalities, modalities.size, (entry) => entry.modalities),
      (code) => modalities.value(code) as Modality,
    ),
    libraries: sortedCounts(
      singleValued(columns.libraries, libraries.size, columns.library),
      valuesOf(libraries),
    ),
    licenseGroups: sortedCounts(
      singleValued(columns.licenseGroups, LICENSE_GROUPS.length, columns.licenseGroup),
      (code) => LICENSE_GROUPS[code] as LicenseGroup,
    ),
    providers: sortedCounts(
      singleValued(columns.providers, providers.size, columns.provider),
      valuesOf(providers),
    ),
    capabilities: sortedCounts(
      multiValued(columns.capabilities, capabilities.size, (entry) => entry.capabilities),
      valuesOf(capabilities),
    ),
  };
}

function valuesOf(vocabulary: Vocabulary): (code: number) => string {
  return (code) => vocabulary.value(code);
}

function sortedCounts<Value extends string>(
  counts: Int32Array,
  value: (code: number) => Value,
): FacetCount<Value>[] {
  const result: FacetCount<Value>[] = [];
  for (let code = 0; code < counts.length; code++) {
    const count = counts[code]!;
    if (count > 0) result.push({ value: value(code), count });
  }
  return result.sort(
    (left, right) =>
      right.count - left.count || (left.value < right.value ? -1 : left.value > right.value ? 1 : 0),
  );
}

/** Facets of an empty result. @internal */
export const EMPTY_FACETS: SearchFacets = Object.freeze({
  tasks: Object.freeze([]),
  modalities: Object.freeze([]),
  libraries: Object.freeze([]),
  licenseGroups: Object.freeze([]),
  providers: Object.freeze([]),
  capabilities: Object.freeze([]),
});
