import type { ModelCandidate } from '../../core/model-candidate.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import type { ProviderQuery } from '../spec.js';

/** The query's `limit`, checked: a non-negative integer, or `Infinity` when absent. */
export function queryLimit(query: ProviderQuery): number {
  const { limit } = query;
  if (limit === undefined) return Number.POSITIVE_INFINITY;
  if (!Number.isInteger(limit) || limit < 0) {
    throw new InvalidArgumentError({
      argument: 'query.limit',
      value: limit,
      message: 'must be a non-negative integer',
    });
  }
  return limit;
}

/**
 * Whether a candidate of a local provider matches `query`: `text` is a case-insensitive substring
 * of the id (or of a tag), `task` one of its tasks, `modality` one of its modalities, `library`
 * its library or one of its tags.
 */
export function matchesProviderQuery(
  candidate: ModelCandidate,
  query: ProviderQuery,
  tags: readonly string[] = [],
): boolean {
  const text = query.text?.trim().toLowerCase();
  if (
    text &&
    !candidate.id.toLowerCase().includes(text) &&
    !tags.some((tag) => tag.toLowerCase().includes(text))
  ) {
    return false;
  }
  if (query.task !== undefined && !(candidate.tasks ?? []).includes(query.task)) return false;
  if (query.modality !== undefined && !(candidate.modalities ?? []).includes(query.modality)) return false;
  if (query.library !== undefined && candidate.library !== query.library && !tags.includes(query.library)) {
    return false;
  }
  return true;
}

/** The tags of a Hub-style record (`record.tags`), strings only. */
export function recordTags(record: Readonly<Record<string, unknown>>): string[] {
  return Array.isArray(record.tags)
    ? record.tags.filter((tag): tag is string => typeof tag === 'string')
    : [];
}
