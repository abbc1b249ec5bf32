import type { ModelCandidate } from '../core/model-candidate.js';
import type { Task } from '../core/task.js';
import type { JsonValue, Store } from '../store/spec.js';
import { keyPart } from './key-part.js';

/** What the store keeps of a model discovery found: `modelscout:{namespace}:models:{id}`. */
export interface ModelRecord {
  readonly id: string;
  /** The candidate as discovery last reported it (merged across providers), without `raw`. */
  readonly candidate: ModelCandidate;
  /** When discovery first reported it, in clock milliseconds. */
  readonly firstSeenAt: number;
  /** When discovery last reported it as added or changed, in clock milliseconds. */
  readonly lastSeenAt: number;
  /** When no provider listed it any more (`model_removed`); absent while it is listed. */
  readonly removedAt?: number;
}

/** What happened to a model, as discovery's events say. @internal */
export type ModelSighting = 'seen' | 'removed';

/** `modelscout:{namespace}:models:`. @internal */
export function modelRecordPrefix(namespace: string): string {
  return `modelscout:${namespace}:models:`;
}

/** The document of model `id`: `modelscout:{namespace}:models:{id, URI-encoded}`. @internal */
export function modelRecordKey(namespace: string, id: string): string {
  return `${modelRecordPrefix(namespace)}${keyPart(id)}`;
}

function isModelRecord(value: JsonValue | undefined): value is JsonValue & ModelRecord {
  const record = value as Partial<ModelRecord> | null | undefined;
  return (
    record !== null &&
    typeof record === 'object' &&
    typeof record.id === 'string' &&
    typeof record.firstSeenAt === 'number' &&
    typeof record.lastSeenAt === 'number' &&
    record.candidate !== null &&
    typeof record.candidate === 'object'
  );
}

/** `candidate` as plain JSON, without the provider's `raw` record (it can be large). */
function candidateJson(candidate: ModelCandidate): JsonValue {
  const { raw: _raw, ...rest } = candidate;
  return JSON.parse(JSON.stringify(rest)) as JsonValue;
}

/**
 * Writes the record of `candidate` at `time`: `'seen'` (added or updated) sets the candidate and
 * `lastSeenAt` and clears `removedAt`; `'removed'` sets `removedAt`. `firstSeenAt` is kept from
 * the stored record. This is a read-then-write, unlike the append-only history: the record is
 * idempotent metadata, so two processes writing it at once lose nothing that matters (at worst
 * one's slightly later `firstSeenAt` or `lastSeenAt`). Rejects with the store's error.
 * @internal
 */
export async function saveModelRecord(
  store: Store,
  namespace: string,
  candidate: ModelCandidate,
  sighting: ModelSighting,
  time: number,
): Promise<void> {
  const key = modelRecordKey(namespace, candidate.id);
  const stored = await store.getDocument(key);
  const previous = isModelRecord(stored) ? stored : undefined;
  const record: Record<string, JsonValue> = {
    id: candidate.id,
    candidate:
      sighting === 'removed' && previous !== undefined
        ? (previous.candidate as unknown as JsonValue)
        : candidateJson(candidate),
    firstSeenAt: previous?.firstSeenAt ?? time,
    lastSeenAt: sighting === 'seen' ? time : (previous?.lastSeenAt ?? time),
  };
  if (sighting === 'removed') record.removedAt = time;
  await store.setDocument(key, record);
}

/** The record of model `id`, or `undefined`. @internal */
export async function readModelRecord(
  store: Store,
  namespace: string,
  id: string,
): Promise<ModelRecord | undefined> {
  const value = await store.getDocument(modelRecordKey(namespace, id));
  return isModelRecord(value) ? value : undefined;
}

/** Every model record (of models with `task` when given), by id. @internal */
export async function readModelRecords(
  store: Store,
  namespace: string,
  task: Task | undefined,
): Promise<ModelRecord[]> {
  const records: ModelRecord[] = [];
  for await (const [, value] of store.scanDocuments(modelRecordPrefix(namespace))) {
    if (!isModelRecord(value)) continue;
    if (task !== undefined && !(value.candidate.tasks ?? []).includes(task)) continue;
    records.push(value);
  }
  return records.sort((left, right) => (left.id < right.id ? -1 : left.id > right.id ? 1 : 0));
}
