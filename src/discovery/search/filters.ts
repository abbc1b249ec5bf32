import { type CompiledLicensePolicy, compileLicensePolicy, licenseVerdict } from '../../core/license.js';
import type { CandidateEntry, Vocabularies } from './candidate-entry.js';
import type { CandidateQuery } from './candidate-query.js';

const NO_FILTER_CODE = -1;

interface MetricBound {
  readonly name: string;
  readonly min: number;
  readonly max: number;
}

/**
 * The structured filters of a query, compiled against the index's vocabularies: strings become
 * codes, absent bounds become ±Infinity, and the license policy is evaluated once per distinct
 * (license, gated) pair. @internal
 */
export class CandidateFilter {
  /** Whether some filter names a value no candidate has, so nothing can match. */
  readonly matchesNothing: boolean;
  /** Whether the filter lets every candidate through. */
  readonly matchesEverything: boolean;
  readonly #task: number;
  readonly #modality: number;
  readonly #library: number;
  readonly #provider: number;
  readonly #capabilities: readonly number[];
  readonly #license: CompiledLicensePolicy | undefined;
  readonly #licenseStrings: Vocabularies['licenses'];
  /** Per (license code + 1) × 2 + gated: 0 not yet evaluated, 1 passes, 2 fails. */
  #licenseVerdicts: Uint8Array;
  readonly #minSizeBytes: number;
  readonly #maxSizeBytes: number;
  readonly #minParameters: number;
  readonly #maxParameters: number;
  readonly #maxMemoryBytes: number;
  readonly #hasNumericBounds: boolean;
  readonly #metrics: readonly MetricBound[];

  constructor(query: CandidateQuery, vocabularies: Vocabularies) {
    let matchesNothing = false;
    const code = (value: string | undefined, vocabulary: { find(value: string): number | undefined }) => {
      if (value === undefined) return NO_FILTER_CODE;
      const found = vocabulary.find(value);
      if (found === undefined) matchesNothing = true;
      return found ?? NO_FILTER_CODE;
    };
    this.#task = code(query.task, vocabularies.tasks);
    this.#modality = code(query.modality, vocabularies.modalities);
    this.#library = code(query.library, vocabularies.libraries);
    this.#provider = code(query.provider, vocabularies.providers);
    this.#capabilities = [...new Set(query.capabilities ?? [])].map(
      (capability) => code(capability, vocabularies.capabilities) as number,
    );
    this.#license = query.license === undefined ? undefined : compileLicensePolicy(query.license);
    this.#licenseStrings = vocabularies.licenses;
    this.#licenseVerdicts = new Uint8Array((vocabularies.licenses.size + 1) * 2);
    this.#minSizeBytes = query.minSizeBytes ?? Number.NEGATIVE_INFINITY;
    this.#maxSizeBytes = query.maxSizeBytes ?? Number.POSITIVE_INFINITY;
    this.#minParameters = query.minParameters ?? Number.NEGATIVE_INFINITY;
    this.#maxParameters = query.maxParameters ?? Number.POSITIVE_INFINITY;
    this.#maxMemoryBytes = query.maxMemoryBytes ?? Number.POSITIVE_INFINITY;
    this.#hasNumericBounds =
      query.minSizeBytes !== undefined ||
      query.maxSizeBytes !== undefined ||
      query.minParameters !== undefined ||
      query.maxParameters !== undefined ||
      query.maxMemoryBytes !== undefined;
    this.#metrics = Object.entries(query.metrics ?? {}).map(([name, range]) => ({
      name,
      min: range.min ?? Number.NEGATIVE_INFINITY,
      max: range.max ?? Number.POSITIVE_INFINITY,
    }));
    this.matchesNothing = matchesNothing;
    this.matchesEverything =
      !matchesNothing &&
      this.#task === NO_FILTER_CODE &&
      this.#modality === NO_FILTER_CODE &&
      this.#library === NO_FILTER_CODE &&
      this.#provider === NO_FILTER_CODE &&
      this.#capabilities.length === 0 &&
      this.#license === undefined &&
      !this.#hasNumericBounds &&
      this.#metrics.length === 0;
  }

  /** Whether `entry` passes every filter. Comparisons with an unknown (`NaN`) value fail. */
  matches(entry: CandidateEntry): boolean {
    if (this.#task !== NO_FILTER_CODE && !entry.tasks.includes(this.#task)) return false;
    if (this.#modality !== NO_FILTER_CODE && !entry.modalities.includes(this.#modality)) return false;
    if (this.#library !== NO_FILTER_CODE && entry.library !== this.#library) return false;
    if (this.#provider !== NO_FILTER_CODE && entry.provider !== this.#provider) return false;
    for (const capability of this.#capabilities) if (!entry.capabilities.includes(capability)) return false;
    if (this.#license !== undefined && !this.#licensePasses(entry)) return false;
    if (this.#hasNumericBounds) {
      const { sizeBytes, parameters } = entry;
      if (
        this.#minSizeBytes !== Number.NEGATIVE_INFINITY ||
        this.#maxSizeBytes !== Number.POSITIVE_INFINITY
      ) {
        if (!(sizeBytes >= this.#minSizeBytes && sizeBytes <= this.#maxSizeBytes)) return false;
      }
      if (
        this.#minParameters !== Number.NEGATIVE_INFINITY ||
        this.#maxParameters !== Number.POSITIVE_INFINITY
      ) {
        if (!(parameters >= this.#minParameters && parameters <= this.#maxParameters)) return false;
      }
      if (this.#maxMemoryBytes !== Number.POSITIVE_INFINITY && !(entry.memoryBytes <= this.#maxMemoryBytes)) {
        return false;
      }
    }
    if (this.#metrics.length > 0) {
      const metrics = entry.candidate.metrics;
      if (metrics === undefined) return false;
      for (const { name, min, max } of this.#metrics) {
        const value = Object.hasOwn(metrics, name) ? metrics[name] : undefined;
        if (typeof value !== 'number' || !(value >= min && value <= max)) return false;
      }
    }
    return true;
  }

  #licensePasses(entry: CandidateEntry): boolean {
    const slot = (entry.license + 1) * 2 + (entry.gated ? 1 : 0);
    if (slot >= this.#licenseVerdicts.length) {
      // The vocabulary grew since this filter was compiled (not during one search, but be safe).
      const grown = new Uint8Array((this.#licenseStrings.size + 1) * 2);
      grown.set(this.#licenseVerdicts);
      this.#licenseVerdicts = grown;
    }
    let verdict = this.#licenseVerdicts[slot]!;
    if (verdict === 0) {
      const license = entry.license < 0 ? undefined : this.#licenseStrings.value(entry.license);
      verdict = licenseVerdict(this.#license!, license, entry.gated) === undefined ? 1 : 2;
      this.#licenseVerdicts[slot] = verdict;
    }
    return verdict === 1;
  }
}
