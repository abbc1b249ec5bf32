import { type CompiledLicensePolicy, compileLicensePolicy, licenseVerdict } from '../../core/license.js';
import type { Bitset } from './bitset.js';
import type { CandidateColumns } from './candidate-columns.js';
import type { Vocabularies } from './candidate-entry.js';
import type { CandidateQuery } from './candidate-query.js';
import type { Vocabulary } from './vocabulary.js';

const ADMITTED = 1;
const REFUSED = 2;

interface MetricBound {
  readonly name: string;
  readonly min: number;
  readonly max: number;
}

interface NumericBound {
  readonly field: 'sizeBytes' | 'parameters' | 'memoryBytes';
  readonly min: number;
  readonly max: number;
}

/**
 * The structured filters of a query, compiled against the index's vocabularies: strings become
 * codes, absent bounds become ±Infinity, and the license policy is evaluated once per distinct
 * (license, gated) pair. Categorical filters (task, modality, library, provider, capabilities)
 * are ANDs of value bitsets; the license, numeric bounds and metrics are then checked slot by slot
 * on what remains. @internal
 */
export class CandidateFilter {
  /** Whether some filter names a value no candidate has, so nothing can match. */
  readonly matchesNothing: boolean;
  /** Whether the filter lets every candidate through. */
  readonly matchesEverything: boolean;
  readonly #task: number | undefined;
  readonly #modality: number | undefined;
  readonly #library: number | undefined;
  readonly #provider: number | undefined;
  readonly #capabilities: readonly number[];
  readonly #license: CompiledLicensePolicy | undefined;
  readonly #licenseStrings: Vocabulary;
  readonly #numeric: readonly NumericBound[];
  readonly #metrics: readonly MetricBound[];

  constructor(query: CandidateQuery, vocabularies: Vocabularies) {
    let matchesNothing = false;
    const code = (value: string | undefined, vocabulary: Vocabulary) => {
      if (value === undefined) return undefined;
      const found = vocabulary.find(value);
      if (found === undefined) matchesNothing = true;
      return found;
    };
    this.#task = code(query.task, vocabularies.tasks);
    this.#modality = code(query.modality, vocabularies.modalities);
    this.#library = code(query.library, vocabularies.libraries);
    this.#provider = code(query.provider, vocabularies.providers);
    this.#capabilities = [...new Set(query.capabilities ?? [])].map(
      (capability) => code(capability, vocabularies.capabilities) ?? -1,
    );
    this.#license = query.license === undefined ? undefined : compileLicensePolicy(query.license);
    this.#licenseStrings = vocabularies.licenses;
    const numeric: NumericBound[] = [];
    const bound = (field: NumericBound['field'], min: number | undefined, max: number | undefined) => {
      if (min !== undefined || max !== undefined) {
        numeric.push({
          field,
          min: min ?? Number.NEGATIVE_INFINITY,
          max: max ?? Number.POSITIVE_INFINITY,
        });
      }
    };
    bound('sizeBytes', query.minSizeBytes, query.maxSizeBytes);
    bound('parameters', query.minParameters, query.maxParameters);
    bound('memoryBytes', undefined, query.maxMemoryBytes);
    this.#numeric = numeric;
    this.#metrics = Object.entries(query.metrics ?? {}).map(([name, range]) => ({
      name,
      min: range.min ?? Number.NEGATIVE_INFINITY,
      max: range.max ?? Number.POSITIVE_INFINITY,
    }));
    this.matchesNothing = matchesNothing;
    this.matchesEverything =
      !matchesNothing &&
      this.#task === undefined &&
      this.#modality === undefined &&
      this.#library === undefined &&
      this.#provider === undefined &&
      this.#capabilities.length === 0 &&
      this.#license === undefined &&
      this.#numeric.length === 0 &&
      this.#metrics.length === 0;
  }

  /**
   * Sets `into` to the live slots of `columns` that pass every filter. Comparisons with an
   * unknown (`NaN`) value fail; a candidate without a metric fails a bound on it.
   */
  apply(columns: CandidateColumns, into: Bitset): void {
    into.copy(columns.live);
    if (this.matchesNothing) {
      into.clear();
      return;
    }
    if (this.#task !== undefined) into.and(columns.tasks.of(this.#task));
    if (this.#modality !== undefined) into.and(columns.modalities.of(this.#modality));
    if (this.#library !== undefined) into.and(columns.libraries.of(this.#library));
    if (this.#provider !== undefined) into.and(columns.providers.of(this.#provider));
    for (const capability of this.#capabilities) into.and(columns.capabilities.of(capability));
    if (this.#license !== undefined || this.#numeric.length > 0 || this.#metrics.length > 0) {
      this.#refine(columns, into);
    }
  }

  /** Clears the slots of `into` that fail the license, a numeric bound or a metric bound. */
  #refine(columns: CandidateColumns, into: Bitset): void {
    // By (license code + 1) × 2 + gated: 0 not yet evaluated, then ADMITTED or REFUSED.
    const verdicts =
      this.#license === undefined ? undefined : new Uint8Array((this.#licenseStrings.size + 1) * 2);
    const licenses = columns.license;
    const gated = columns.gated;
    const bounds = [
      ...this.#numeric.map(({ field, min, max }) => ({ values: columns.numbers(field), min, max })),
      ...this.#metrics.map(({ name, min, max }) => ({ values: columns.metric(name), min, max })),
    ];
    const words = into.words;
    for (let index = 0; index < words.length; index++) {
      let word = words[index]!;
      if (word === 0) continue;
      let kept = word;
      const base = index << 5;
      while (word !== 0) {
        const lowest = word & -word;
        word ^= lowest;
        const slot = base + 31 - Math.clz32(lowest);
        let passes = true;
        if (verdicts !== undefined) {
          const at = (licenses[slot]! + 1) * 2 + gated[slot]!;
          let verdict = verdicts[at]!;
          if (verdict === 0)
            verdict = verdicts[at] = this.#licenseVerdict(licenses[slot]!, gated[slot] === 1);
          passes = verdict === ADMITTED;
        }
        for (let bound = 0; passes && bound < bounds.length; bound++) {
          const { values, min, max } = bounds[bound]!;
          const value = values[slot]!;
          passes = value >= min && value <= max;
        }
        if (!passes) kept ^= lowest;
      }
      words[index] = kept;
    }
  }

  /** {@link ADMITTED} or {@link REFUSED}: the license policy's verdict on a license code. */
  #licenseVerdict(code: number, gated: boolean): number {
    const license = code < 0 ? undefined : this.#licenseStrings.value(code);
    return licenseVerdict(this.#license!, license, gated) === undefined ? ADMITTED : REFUSED;
  }
}
