const FENCE = /^```[\w-]*[ \t]*\r?\n([\s\S]*?)\r?\n?```$/;

/** The outcome of reading generated text as JSON. */
export type JsonReading = { readonly ok: true; readonly value: unknown } | { readonly ok: false };

/**
 * Reads generated text as one JSON value. Surrounding whitespace is ignored, and so is one
 * Markdown code fence around the whole text (```` ```json … ``` ````), which chat models add
 * habitually; nothing else is repaired.
 */
export function parseJsonText(text: string): JsonReading {
  let body = text.trim();
  const fenced = FENCE.exec(body);
  if (fenced !== null) body = fenced[1]!.trim();
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch {
    return { ok: false };
  }
}

/** Structural equality of JSON-like values: objects by keys (any order), arrays in order. */
export function jsonEqual(first: unknown, second: unknown): boolean {
  if (Object.is(first, second)) return true;
  if (typeof first !== 'object' || typeof second !== 'object' || first === null || second === null)
    return false;
  if (Array.isArray(first) !== Array.isArray(second)) return false;
  if (Array.isArray(first) && Array.isArray(second)) {
    return first.length === second.length && first.every((item, index) => jsonEqual(item, second[index]));
  }
  const firstRecord = first as Record<string, unknown>;
  const secondRecord = second as Record<string, unknown>;
  const firstKeys = Object.keys(firstRecord).filter((key) => firstRecord[key] !== undefined);
  const secondKeys = Object.keys(secondRecord).filter((key) => secondRecord[key] !== undefined);
  return (
    firstKeys.length === secondKeys.length &&
    firstKeys.every(
      (key) => Object.hasOwn(secondRecord, key) && jsonEqual(firstRecord[key], secondRecord[key]),
    )
  );
}
