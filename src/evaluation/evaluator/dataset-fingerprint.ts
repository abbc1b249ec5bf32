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

/** The JSON of `value` for hashing (typed arrays as arrays, bigints as strings; cycles as their `String`). */
function stableText(value: unknown): string {
  try {
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
