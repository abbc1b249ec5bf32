import { randomUUID } from 'node:crypto';
import type { JsonValue, Store } from '../../store/spec.js';

/** One availability check of one model. */
export interface AvailabilityRecord {
  readonly modelId: string;
  /** Clock time of the check, in milliseconds. */
  readonly checkedAt: number;
  /** Whether the hub answered with the model's current commit. */
  readonly available: boolean;
  /** How long the check took, in milliseconds. */
  readonly latencyMs: number;
  /** The remote commit, when available. */
  readonly remoteCommit?: string;
  /** Whether the remote commit differs from the cached one. */
  readonly updateAvailable?: boolean;
  /** Why it was not available (redacted). */
  readonly error?: string;
}

function part(text: string): string {
  return encodeURIComponent(text);
}

/** `modelscout:{namespace}:availability:` (parts URI-encoded). @internal */
export function availabilityPrefix(namespace: string, modelId?: string): string {
  return `modelscout:${namespace}:availability:${modelId === undefined ? '' : `${part(modelId)}:`}`;
}

/** The zero-padded time stamp that every history key carries before its nonce. @internal */
export function timeStamp(time: number): string {
  return String(Math.max(0, Math.floor(time))).padStart(15, '0');
}

/**
 * Appends one record (its own document, so processes sharing a store never overwrite each
 * other's): `modelscout:{namespace}:availability:{model}:{time}-{nonce}`. @internal
 */
export async function saveAvailability(
  store: Store,
  namespace: string,
  record: AvailabilityRecord,
): Promise<void> {
  const key = `${availabilityPrefix(namespace, record.modelId)}${timeStamp(record.checkedAt)}-${randomUUID().slice(0, 8)}`;
  await store.setDocument(key, JSON.parse(JSON.stringify(record)) as JsonValue);
}

function isRecord(value: JsonValue): value is JsonValue & AvailabilityRecord {
  const record = value as Partial<AvailabilityRecord> | null;
  return (
    record !== null &&
    typeof record === 'object' &&
    typeof record.modelId === 'string' &&
    typeof record.checkedAt === 'number' &&
    typeof record.available === 'boolean'
  );
}

/** The availability history of `modelId`, oldest first. @internal */
export async function readAvailability(
  store: Store,
  namespace: string,
  modelId: string,
): Promise<AvailabilityRecord[]> {
  const records: AvailabilityRecord[] = [];
  for await (const [, value] of store.scanDocuments(availabilityPrefix(namespace, modelId))) {
    if (isRecord(value)) records.push(value);
  }
  return records.sort((left, right) => left.checkedAt - right.checkedAt);
}
