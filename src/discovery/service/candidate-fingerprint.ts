import type { ModelCandidate } from '../../core/model-candidate.js';

/** Fields that change without the model changing (popularity) or that only repeat others (the raw record). */
const VOLATILE_FIELDS = new Set(['raw', 'downloads', 'likes']);

function stableJson(value: unknown, ancestors: Set<object> = new Set()): string {
  if (typeof value === 'bigint') return `"${value}n"`;
  if (value !== null && typeof value === 'object') {
    // A provider's record may hold anything: a cycle is written once, not followed for ever.
    if (ancestors.has(value)) return '"[circular]"';
    ancestors.add(value);
    try {
      if (Array.isArray(value)) return `[${value.map((item) => stableJson(item, ancestors)).join(',')}]`;
      const entries = Object.entries(value)
        .filter(([key, item]) => item !== undefined && !VOLATILE_FIELDS.has(key))
        .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
      return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${stableJson(item, ancestors)}`).join(',')}}`;
    } finally {
      ancestors.delete(value);
    }
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * What identifies the content of a candidate, so that a listing can tell an updated model from an
 * unchanged one: its `revision` (the commit sha), else `lastModified`, else its metadata without
 * popularity counts; then the providers that have it and, per local copy, its revision, dtypes and
 * file count (a download into the cache updates the model). Downloads and likes never count.
 */
export function candidateFingerprint(candidate: ModelCandidate): string {
  const parts = [
    candidate.revision !== undefined
      ? `revision:${candidate.revision}`
      : candidate.lastModified !== undefined
        ? `modified:${candidate.lastModified}`
        : `metadata:${stableJson(candidate)}`,
  ];
  if (candidate.providers !== undefined) parts.push(`providers:${candidate.providers.join(',')}`);
  for (const copy of candidate.localCopies ?? []) {
    parts.push(
      `local:${copy.provider}@${copy.revision ?? ''}:${(copy.dtypes ?? []).join('+')}:${copy.files?.length ?? ''}`,
    );
  }
  return parts.join('|');
}
