import { randomUUID } from 'node:crypto';
import type { JsonValue, Store } from '../../store/spec.js';
import type { EvaluationScore } from './evaluation-score.js';

/** Options of `getEvaluationHistory`. */
export interface EvaluationHistoryOptions {
  /** Only evaluations of this revision. */
  readonly revision?: string;
  /** Only evaluations of this task. */
  readonly task?: string;
}

const NO_REVISION = '-';

function part(text: string): string {
  // ':' separates the parts of a key; every part is URI-encoded, so none contains one.
  return encodeURIComponent(text);
}

/** `modelscout:{namespace}:evaluations:{model}:` (every part URI-encoded). @internal */
export function modelHistoryPrefix(namespace: string, modelId: string): string {
  return `modelscout:${namespace}:evaluations:${part(modelId)}:`;
}

/**
 * The key of one evaluation:
 * `modelscout:{namespace}:evaluations:{model}:{revision or -}:{task}:{dataset}:{time}-{nonce}`.
 * Each evaluation is its own document, so the history is append-only without a read-modify-write
 * (processes sharing a store never overwrite each other's entries).
 * @internal
 */
export function evaluationKey(namespace: string, score: EvaluationScore, time: number): string {
  const stamp = String(Math.max(0, Math.floor(time))).padStart(15, '0');
  return `${modelHistoryPrefix(namespace, score.modelId)}${part(score.revision ?? NO_REVISION)}:${part(score.task)}:${part(score.dataset)}:${stamp}-${randomUUID().slice(0, 8)}`;
}

/** `score` as plain JSON: no `undefined`, non-finite numbers as `null`. */
function toJson(score: EvaluationScore): JsonValue {
  return JSON.parse(
    JSON.stringify(score, (_key, value: unknown) =>
      typeof value === 'number' && !Number.isFinite(value) ? null : value,
    ),
  ) as JsonValue;
}

function isScore(
  value: JsonValue | undefined,
): value is JsonValue & { evaluatedAt: string; modelId: string } {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    typeof (value as Record<string, JsonValue>).modelId === 'string' &&
    typeof (value as Record<string, JsonValue>).evaluatedAt === 'string'
  );
}

async function entriesOf(store: Store, prefix: string): Promise<{ key: string; score: EvaluationScore }[]> {
  const entries: { key: string; score: EvaluationScore }[] = [];
  for await (const [key, value] of store.scanDocuments(prefix)) {
    if (isScore(value)) entries.push({ key, score: value as unknown as EvaluationScore });
  }
  // Newest first: by evaluation time, then by key (time and nonce) for a stable order.
  return entries.sort(
    (left, right) =>
      right.score.evaluatedAt.localeCompare(left.score.evaluatedAt) || right.key.localeCompare(left.key),
  );
}

/**
 * Appends `score` to its model's history and deletes the oldest entries beyond `limit` (of that
 * model, every revision). Rejects with the store's error.
 * @internal
 */
export async function saveEvaluation(
  store: Store,
  namespace: string,
  score: EvaluationScore,
  time: number,
  limit: number,
): Promise<void> {
  await store.setDocument(evaluationKey(namespace, score, time), toJson(score));
  const entries = await entriesOf(store, modelHistoryPrefix(namespace, score.modelId));
  for (const { key } of entries.slice(limit)) await store.delete(key);
}

/** Every stored evaluation of `modelId`, newest first (filtered by revision and task when given). @internal */
export async function readEvaluationHistory(
  store: Store,
  namespace: string,
  modelId: string,
  options: EvaluationHistoryOptions = {},
): Promise<EvaluationScore[]> {
  let prefix = modelHistoryPrefix(namespace, modelId);
  if (options.revision !== undefined) {
    prefix += `${part(options.revision)}:`;
    if (options.task !== undefined) prefix += `${part(options.task)}:`;
  }
  const entries = await entriesOf(store, prefix);
  return entries
    .map((entry) => entry.score)
    .filter((score) => options.task === undefined || score.task === options.task);
}
