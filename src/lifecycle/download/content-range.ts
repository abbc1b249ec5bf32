/** A `Content-Range` of a 206 answer: the inclusive byte range sent and the full size (when known). */
export interface ContentRange {
  readonly start: number;
  readonly end: number;
  readonly size: number | undefined;
}

/** Parses `bytes {start}-{end}/{size|*}`; `undefined` for anything else. */
export function parseContentRange(header: string | null): ContentRange | undefined {
  if (header === null) return undefined;
  const match = /^\s*bytes\s+(\d+)-(\d+)\/(\d+|\*)\s*$/i.exec(header);
  if (!match) return undefined;
  const start = Number(match[1]);
  const end = Number(match[2]);
  const size = match[3] === '*' ? undefined : Number(match[3]);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || end < start) return undefined;
  if (size !== undefined && (!Number.isSafeInteger(size) || end >= size)) return undefined;
  return { start, end, size };
}
