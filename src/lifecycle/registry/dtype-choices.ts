import type { ModelCandidate } from '../../core/model-candidate.js';
import { estimateMemoryBytes } from '../../evaluation/runners/memory-estimate.js';

/** A dtype the registry may load a candidate with, and the memory it is estimated to take. @internal */
export interface DtypeChoice {
  /** `undefined` when the candidate lists no dtypes: the runner picks. */
  readonly dtype: string | undefined;
  /** Bytes, from the ONNX files of the dtype (or the candidate's `memoryBytes`); `undefined` when unknown. */
  readonly estimate: number | undefined;
}

function knownBytes(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/**
 * The memory `candidate` is estimated to take once loaded with `dtype`: `estimateMemoryBytes`
 * from its ONNX files, else, for a candidate that lists no dtypes, its own `memoryBytes`.
 * @internal
 */
export function estimateFor(candidate: ModelCandidate, dtype: string | undefined): number | undefined {
  const fromFiles = dtype === undefined ? undefined : estimateMemoryBytes(candidate, dtype);
  if (fromFiles !== undefined) return fromFiles;
  const listsDtypes = candidate.dtypes !== undefined && candidate.dtypes.length > 0;
  return listsDtypes ? undefined : knownBytes(candidate.memoryBytes);
}

/**
 * The dtypes to try, in order: the one asked for; else the candidate's dtypes in `preference`
 * order, then its other dtypes in its own order; else (it lists none) one choice without a dtype.
 * @internal
 */
export function dtypeChoices(
  candidate: ModelCandidate,
  requested: string | undefined,
  preference: readonly string[],
): DtypeChoice[] {
  if (requested !== undefined) return [{ dtype: requested, estimate: estimateFor(candidate, requested) }];
  const available = candidate.dtypes ?? [];
  if (available.length === 0) return [{ dtype: undefined, estimate: estimateFor(candidate, undefined) }];
  const ordered = [
    ...preference.filter((dtype) => available.includes(dtype)),
    ...available.filter((dtype) => !preference.includes(dtype)),
  ];
  return [...new Set(ordered)].map((dtype) => ({ dtype, estimate: estimateFor(candidate, dtype) }));
}
