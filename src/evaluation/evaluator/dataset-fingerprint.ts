import { createHash, type Hash } from 'node:crypto';

function replacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return `${value}n`;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return Array.from(value as unknown as ArrayLike<number | bigint>, (item) =>
      typeof item === 'bigint' ? `${item}n` : item,
    );
  }
  return value;
}

/** Whether `value` holds only strings, finite-or-not numbers, booleans, null or undefined. */
function isPrimitive(value: unknown): boolean {
  return (
    value === null || (typeof value !== 'object' && typeof value !== 'bigint' && typeof value !== 'function')
  );
}

/**
 * Whether `JSON.stringify(row)` already gives what the replacer would: a plain object or array
 * whose values are all primitives (the usual `{ input: string, label: string }` row). Skipping the
 * replacer, which JSON calls for every key, makes hashing several times faster.
 */
function needsNoReplacer(row: unknown): boolean {
  if (isPrimitive(row)) return true;
  if (Array.isArray(row)) return row.every(isPrimitive);
  if (Object.getPrototypeOf(row) !== Object.prototype) return false;
  const record = row as Record<string, unknown>;
  for (const key in record) if (!isPrimitive(record[key])) return false;
  return true;
}

/** The JSON of `value` for hashing (typed arrays as arrays, bigints as strings; cycles as their `String`). */
function stableText(value: unknown): string {
  try {
    if (needsNoReplacer(value)) return JSON.stringify(value) ?? 'undefined';
    return JSON.stringify(value, replacer) ?? 'undefined';
  } catch {
    return String(value);
  }
}

/**
 * A running sha256 over the rows of a dataset, in order: identifies the data in the history key
 * (`sha256:` and 16 hex digits). The same rows in the same order give the same fingerprint.
 * @internal
 */
export class DatasetFingerprint {
  private readonly hash: Hash = createHash('sha256');
  private rows = 0;

  /** Adds one raw row (as read, before validation). */
  add(row: unknown): void {
    this.hash.update(stableText(row));
    this.hash.update('\n');
    this.rows++;
  }

  /** How many rows it covers. */
  get size(): number {
    return this.rows;
  }

  /** The fingerprint of the rows added so far. */
  digest(): string {
    return `sha256:${this.hash.copy().digest('hex').slice(0, 16)}`;
  }
}
