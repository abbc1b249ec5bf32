import { LICENSE_GROUPS } from '../../core/license.js';
import type { LicenseGroup } from '../../core/license-policy.js';
import type { Modality, Task } from '../../core/task.js';
import type { CandidateEntry, Vocabularies } from './candidate-entry.js';
import type { FacetCount, SearchFacets } from './candidate-query.js';
import type { Vocabulary } from './vocabulary.js';

/** Counts facet values of matching entries into typed arrays indexed by code. @internal */
export class FacetCounter {
  readonly #vocabularies: Vocabularies;
  readonly #tasks: Int32Array;
  readonly #modalities: Int32Array;
  readonly #libraries: Int32Array;
  readonly #providers: Int32Array;
  readonly #capabilities: Int32Array;
  readonly #licenseGroups = new Int32Array(LICENSE_GROUPS.length);

  constructor(vocabularies: Vocabularies) {
    this.#vocabularies = vocabularies;
    this.#tasks = new Int32Array(vocabularies.tasks.size);
    this.#modalities = new Int32Array(vocabularies.modalities.size);
    this.#libraries = new Int32Array(vocabularies.libraries.size);
    this.#providers = new Int32Array(vocabularies.providers.size);
    this.#capabilities = new Int32Array(vocabularies.capabilities.size);
  }

  /** Counts one matching entry. */
  count(entry: CandidateEntry): void {
    for (const code of entry.tasks) this.#tasks[code]!++;
    for (const code of entry.modalities) this.#modalities[code]!++;
    for (const code of entry.capabilities) this.#capabilities[code]!++;
    if (entry.library >= 0) this.#libraries[entry.library]!++;
    if (entry.provider >= 0) this.#providers[entry.provider]!++;
    this.#licenseGroups[entry.licenseGroup]!++;
  }

  /** The counts, each sorted by count (descending), then value. */
  facets(): SearchFacets {
    const vocabularies = this.#vocabularies;
    return {
      tasks: sortedCounts(this.#tasks, (code) => vocabularies.tasks.value(code) as Task),
      modalities: sortedCounts(this.#modalities, (code) => vocabularies.modalities.value(code) as Modality),
      libraries: sortedCounts(this.#libraries, valuesOf(vocabularies.libraries)),
      licenseGroups: sortedCounts(this.#licenseGroups, (code) => LICENSE_GROUPS[code] as LicenseGroup),
      providers: sortedCounts(this.#providers, valuesOf(vocabularies.providers)),
      capabilities: sortedCounts(this.#capabilities, valuesOf(vocabularies.capabilities)),
    };
  }
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
