import type { EntitySpan } from '../task-score.js';

const TAG = /^([BIESO])(?:[-_](.+))?$/;

interface ParsedTag {
  readonly prefix: 'B' | 'I' | 'E' | 'S' | 'O';
  readonly type: string;
}

function parseTag(tag: unknown): ParsedTag | undefined {
  if (typeof tag !== 'string') return undefined;
  const match = TAG.exec(tag);
  if (match === null) return undefined;
  const prefix = match[1] as ParsedTag['prefix'];
  const type = match[2];
  if (prefix === 'O') return type === undefined ? { prefix, type: '' } : undefined;
  return type === undefined ? undefined : { prefix, type };
}

/**
 * The entity spans of a tag sequence (IOB2, IOB1 or IOBES: `B-PER`, `I-PER`, `E-PER`, `S-PER`,
 * `O`; `_` also separates), as `conlleval` and seqeval's default mode read them: a chunk starts
 * at `B`/`S`, at an `I`/`E` after `O` or after another type, and ends before the next start, at
 * `O`, at `E`/`S`, or at a change of type. Spans are token offsets, `end` exclusive.
 *
 * @returns `undefined` when a tag is not of that form.
 */
export function tagsToSpans(tags: readonly unknown[]): EntitySpan[] | undefined {
  const parsed: ParsedTag[] = [];
  for (const tag of tags) {
    const value = parseTag(tag);
    if (value === undefined) return undefined;
    parsed.push(value);
  }
  const spans: EntitySpan[] = [];
  let start = -1;
  let previous: ParsedTag = { prefix: 'O', type: '' };
  const close = (end: number) => {
    if (start >= 0) spans.push({ type: previous.type, start, end });
    start = -1;
  };
  parsed.forEach((tag, index) => {
    if (endsChunk(previous, tag)) close(index);
    if (startsChunk(previous, tag)) start = index;
    previous = tag;
  });
  close(parsed.length);
  return spans;
}

function endsChunk(previous: ParsedTag, current: ParsedTag): boolean {
  if (previous.prefix === 'O') return false;
  if (previous.prefix === 'E' || previous.prefix === 'S') return true;
  // previous is B or I: the chunk goes on only through I or E of the same type.
  return !((current.prefix === 'I' || current.prefix === 'E') && current.type === previous.type);
}

function startsChunk(previous: ParsedTag, current: ParsedTag): boolean {
  if (current.prefix === 'B' || current.prefix === 'S') return true;
  if (current.prefix === 'O') return false;
  // I or E: a new chunk unless it continues the previous one.
  return (
    previous.prefix === 'O' ||
    previous.prefix === 'E' ||
    previous.prefix === 'S' ||
    previous.type !== current.type
  );
}

function isEntitySpan(value: unknown): value is EntitySpan {
  if (value === null || typeof value !== 'object') return false;
  const { type, start, end } = value as Record<string, unknown>;
  return (
    typeof type === 'string' &&
    Number.isSafeInteger(start) &&
    Number.isSafeInteger(end) &&
    (start as number) >= 0 &&
    (start as number) < (end as number)
  );
}

/** How a label or output of `token-classification` was written. */
export type EntityAnnotation =
  | { readonly kind: 'spans'; readonly spans: readonly EntitySpan[] }
  | { readonly kind: 'tags'; readonly spans: readonly EntitySpan[]; readonly length: number };

/**
 * Reads a `token-classification` label or output: an array of {@link EntitySpan} (character
 * offsets, `start < end`) or an array of tags (one per token, read by {@link tagsToSpans}). An
 * empty array is an empty span list.
 *
 * @returns `undefined` when `value` is neither.
 */
export function readEntityAnnotation(value: unknown): EntityAnnotation | undefined {
  if (!Array.isArray(value)) return undefined;
  if (value.length === 0) return { kind: 'spans', spans: [] };
  if (value.every((item) => typeof item === 'string')) {
    const spans = tagsToSpans(value);
    return spans === undefined ? undefined : { kind: 'tags', spans, length: value.length };
  }
  if (value.every(isEntitySpan))
    return { kind: 'spans', spans: value.map(({ type, start, end }) => ({ type, start, end })) };
  return undefined;
}

/** A span as one comparable string: exact offsets and type. */
export function spanKey(span: EntitySpan): string {
  return `${span.start}\u0000${span.end}\u0000${span.type}`;
}
