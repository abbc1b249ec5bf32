/** An inclusive byte range of a file. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/**
 * Parses a `Range` header against a file of `size` bytes. Returns `undefined` when there is no
 * header or it names several ranges (the whole file is then sent, which HTTP allows),
 * `'unsatisfiable'` when it is malformed or lies outside the file (answer 416), else the range,
 * with `end` clamped to the last byte. Supports `bytes=a-b`, `bytes=a-` and `bytes=-n`.
 */
export function parseByteRange(
  header: string | undefined,
  size: number,
): ByteRange | 'unsatisfiable' | undefined {
  if (header === undefined) return undefined;
  const match = /^\s*bytes\s*=\s*(.*)$/i.exec(header);
  if (!match) return 'unsatisfiable';
  const specification = (match[1] ?? '').trim();
  if (specification.includes(',')) return undefined;
  const parts = /^(\d*)\s*-\s*(\d*)$/.exec(specification);
  if (!parts) return 'unsatisfiable';
  const [, startText = '', endText = ''] = parts;
  if (startText === '' && endText === '') return 'unsatisfiable';
  if (startText === '') {
    const suffix = Number(endText);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(startText);
  const end = endText === '' ? size - 1 : Math.min(Number(endText), size - 1);
  if (!Number.isSafeInteger(start) || start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}
