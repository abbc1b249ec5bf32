import type { ModelCandidate } from '../../core/model-candidate.js';
import { type Modality, modalityOf, type Task } from '../../core/task.js';
import type { ProviderQuery } from '../spec.js';
import { matchesProviderQuery } from './provider-query-filter.js';

/**
 * Whether a candidate of a network provider matches `query`: `text` is a case-insensitive
 * substring of the id or of one of `names` (display names); the other filters as for local providers.
 */
export function matchesRemoteQuery(
  candidate: ModelCandidate,
  query: ProviderQuery,
  names: readonly (string | undefined)[] = [],
): boolean {
  const text = query.text?.trim().toLowerCase();
  if (text && ![candidate.id, ...names].some((name) => name?.toLowerCase().includes(text))) return false;
  return matchesProviderQuery(candidate, { ...query, text: undefined });
}

/** `value` when it is a finite number ≥ 0. */
export function nonNegativeNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** `value` when it is a non-empty string. */
export function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** The strings of `value` when it is an array. */
export function stringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** The distinct modalities of `tasks`. */
export function modalitiesOf(tasks: readonly Task[]): Modality[] {
  return [...new Set(tasks.map((task) => modalityOf(task)))];
}

/** A copy of `record` without its `undefined` fields. */
export function withoutUndefined<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;
}

/** An ISO 8601 time from an ISO string or Unix seconds; `undefined` when unreadable. */
export function isoTime(value: unknown): string | undefined {
  const time =
    typeof value === 'number' ? value * 1000 : typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return Number.isFinite(time) ? new Date(time).toISOString() : undefined;
}
