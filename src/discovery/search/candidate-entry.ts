import { LICENSE_GROUPS, licenseGroup } from '../../core/license.js';
import type { ModelCandidate } from '../../core/model-candidate.js';
import { modalityOf } from '../../core/task.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import { candidateKey } from './candidate-key.js';
import { Vocabulary } from './vocabulary.js';

/** The interned values of every field that filters and facets act on. @internal */
export interface Vocabularies {
  readonly tasks: Vocabulary;
  readonly modalities: Vocabulary;
  readonly libraries: Vocabulary;
  readonly providers: Vocabulary;
  readonly capabilities: Vocabulary;
  /** Raw license strings (license policies are evaluated once per distinct string). */
  readonly licenses: Vocabulary;
}

/** Fresh, empty vocabularies. @internal */
export function createVocabularies(): Vocabularies {
  return {
    tasks: new Vocabulary(),
    modalities: new Vocabulary(),
    libraries: new Vocabulary(),
    providers: new Vocabulary(),
    capabilities: new Vocabulary(),
    licenses: new Vocabulary(),
  };
}

/** Code used for a missing single-valued field. @internal */
export const MISSING = -1;

const NO_CODES: readonly number[] = Object.freeze([]);

/**
 * A candidate with the codes that filters and facets read, computed once when it is added: its
 * interned codes, license group and modalities (declared, or derived from its tasks). Numbers
 * are read into columns when it is stored (see {@link numericValue}). @internal
 */
export interface CandidateEntry {
  readonly key: string;
  readonly candidate: ModelCandidate;
  /** Slot in the index's columns (changes when the index is compacted). */
  position: number;
  /** Length of the id, which ends the key (so the id as added is `key.slice(key.length - idLength)`). */
  readonly idLength: number;
  readonly tasks: readonly number[];
  readonly modalities: readonly number[];
  readonly capabilities: readonly number[];
  readonly library: number;
  readonly provider: number;
  readonly license: number;
  /** Index in `LICENSE_GROUPS`. */
  readonly licenseGroup: number;
  readonly gated: boolean;
}

/** A numeric field of a candidate that is stored as a column. @internal */
export type NumericField =
  | 'sizeBytes'
  | 'parameters'
  | 'memoryBytes'
  | 'downloads'
  | 'likes'
  | 'lastModified';

/** Every {@link NumericField}. @internal */
export const NUMERIC_FIELDS: readonly NumericField[] = [
  'sizeBytes',
  'parameters',
  'memoryBytes',
  'downloads',
  'likes',
  'lastModified',
];

/**
 * A numeric field of `candidate`: the number when it is finite (`lastModified` parsed to
 * milliseconds since the epoch), otherwise `NaN`. @internal
 */
export function numericValue(candidate: ModelCandidate, field: NumericField): number {
  if (field === 'lastModified') {
    return typeof candidate.lastModified === 'string' ? Date.parse(candidate.lastModified) : Number.NaN;
  }
  return finiteOrNaN(candidate[field]);
}

function finiteOrNaN(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : Number.NaN;
}

function internAll(vocabulary: Vocabulary, values: readonly unknown[] | undefined): readonly number[] {
  if (!Array.isArray(values) || values.length === 0) return NO_CODES;
  const codes: number[] = [];
  for (const value of values) {
    if (typeof value !== 'string') continue;
    const code = vocabulary.intern(value);
    if (!codes.includes(code)) codes.push(code);
  }
  return vocabulary.internCodes(codes);
}

function internOne(vocabulary: Vocabulary, value: unknown): number {
  return typeof value === 'string' && value.length > 0 ? vocabulary.intern(value) : MISSING;
}

/** Builds the entry of `candidate`; throws an `InvalidArgumentError` when it has no usable id. @internal */
export function createEntry(candidate: ModelCandidate, vocabularies: Vocabularies): CandidateEntry {
  if (candidate === null || typeof candidate !== 'object') {
    throw new InvalidArgumentError({ argument: 'candidates', value: candidate, message: 'must be objects' });
  }
  if (typeof candidate.id !== 'string' || candidate.id.length === 0) {
    throw new InvalidArgumentError({
      argument: 'candidates.id',
      value: candidate.id,
      message: 'must be a non-empty string',
    });
  }
  if (candidate.provider !== undefined && typeof candidate.provider !== 'string') {
    throw new InvalidArgumentError({
      argument: 'candidates.provider',
      value: candidate.provider,
      message: 'must be a string',
    });
  }
  const key = candidateKey(candidate);
  const declaredModalities = Array.isArray(candidate.modalities) ? candidate.modalities : undefined;
  const tasks = Array.isArray(candidate.tasks) ? candidate.tasks : undefined;
  const modalities = declaredModalities ?? tasks?.filter((task) => typeof task === 'string').map(modalityOf);
  return {
    key,
    candidate,
    position: -1,
    idLength: candidate.id.length,
    tasks: internAll(vocabularies.tasks, tasks),
    modalities: internAll(vocabularies.modalities, modalities),
    capabilities: internAll(vocabularies.capabilities, candidate.capabilities),
    library: internOne(vocabularies.libraries, candidate.library),
    provider: internOne(vocabularies.providers, candidate.provider),
    license: internOne(vocabularies.licenses, candidate.license),
    licenseGroup: LICENSE_GROUPS.indexOf(
      licenseGroup(typeof candidate.license === 'string' ? candidate.license : undefined),
    ),
    gated: candidate.gated === true,
  };
}
