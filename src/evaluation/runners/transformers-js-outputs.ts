import type { Prediction } from '../spec.js';
import type { EntitySpan } from '../task-score.js';

/**
 * Converts what transformers.js pipelines return into the `prediction.output` shapes of
 * `task-score.ts`. Each function returns `undefined` when the pipeline's answer does not have the
 * documented shape, for the runner to report as malformed.
 */

/** `[{ label, score }, …]` (every label, from `top_k: null`) → the top label and every label's probability. */
export function classificationPrediction(value: unknown): Prediction<string> | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const scores: Record<string, number> = {};
  let top: { label: string; score: number } | undefined;
  for (const item of value as { label?: unknown; score?: unknown }[]) {
    if (typeof item?.label !== 'string' || typeof item.score !== 'number') return undefined;
    scores[item.label] = item.score;
    if (top === undefined || item.score > top.score) top = { label: item.label, score: item.score };
  }
  return top === undefined ? undefined : { output: top.label, scores };
}

function normalizeForSearch(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * Grouped entities (`aggregation_strategy: 'simple'`: `{ entity_group, word }`) → character spans
 * of `text`. transformers.js does not report offsets, so each entity's words are found in `text`
 * in order (case- and accent-insensitively, as uncased tokenizers lower-case and strip accents;
 * spaces the tokenizer inserted or dropped are allowed for). Entities that cannot be found are left out.
 */
export function entitySpans(text: string, value: unknown): EntitySpan[] | undefined {
  if (!Array.isArray(value)) return undefined;
  // Per-character normalization keeps offsets aligned with `text` (one normalized char per source char or none).
  const characters: { char: string; index: number }[] = [];
  for (let index = 0; index < text.length; index++) {
    for (const char of normalizeForSearch(text[index]!)) characters.push({ char, index });
  }
  const spans: EntitySpan[] = [];
  let cursor = 0;
  for (const item of value as { entity_group?: unknown; entity?: unknown; word?: unknown }[]) {
    const type = typeof item?.entity_group === 'string' ? item.entity_group : item?.entity;
    if (typeof type !== 'string' || typeof item.word !== 'string') return undefined;
    const wanted = [...normalizeForSearch(item.word).replace(/\s+|##/g, '')];
    if (wanted.length === 0) continue;
    // Find `wanted` from `cursor`, skipping whitespace in the text between its characters.
    for (let start = cursor; start < characters.length; start++) {
      if (characters[start]!.char !== wanted[0]) continue;
      let position = start;
      let matched = 0;
      while (position < characters.length && matched < wanted.length) {
        const { char } = characters[position]!;
        if (char === wanted[matched]) matched++;
        else if (!/\s/.test(char) || matched === 0) break;
        position++;
      }
      if (matched === wanted.length) {
        const first = characters[start]!.index;
        const last = characters[position - 1]!.index;
        spans.push({ type: type.replace(/^[BIES]-/, ''), start: first, end: last + 1 });
        cursor = position;
        break;
      }
    }
  }
  return spans;
}

/** A tensor-like `{ tolist() }` of shape [batch, dimensions] → one `number[]` per row. */
export function embeddingRows(value: unknown, rows: number): number[][] | undefined {
  const list =
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { tolist?: unknown }).tolist === 'function'
      ? (value as { tolist(): unknown }).tolist()
      : value;
  if (!Array.isArray(list) || list.length !== rows) return undefined;
  for (const row of list) {
    if (!Array.isArray(row) || row.some((number) => typeof number !== 'number')) return undefined;
  }
  return list as number[][];
}

/** Cosine similarity of two vectors (0 when either is all zeros). */
export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let index = 0; index < a.length; index++) {
    dot += a[index]! * (b[index] ?? 0);
    normA += a[index]! * a[index]!;
    normB += (b[index] ?? 0) * (b[index] ?? 0);
  }
  return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
}

/**
 * The text of a generation pipeline's answer: `[{ generated_text | summary_text | translation_text }]`,
 * where a chat answer's `generated_text` is the conversation and the text is its last message's content.
 */
export function generatedText(value: unknown): string | undefined {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  if (first === null || typeof first !== 'object') return undefined;
  const record = first as Record<string, unknown>;
  for (const key of ['generated_text', 'summary_text', 'translation_text']) {
    const text = record[key];
    if (typeof text === 'string') return text;
    if (Array.isArray(text)) {
      const last = text.at(-1) as { content?: unknown } | undefined;
      if (typeof last?.content === 'string') return last.content;
    }
  }
  return undefined;
}

/** The answer text of a question-answering pipeline (`{ answer }` or `[{ answer }]`). */
export function answerText(value: unknown): string | undefined {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  const answer = (first as { answer?: unknown } | null)?.answer;
  return typeof answer === 'string' ? answer : undefined;
}
