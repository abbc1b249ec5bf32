import { Bitset } from './bitset.js';
import { type CandidateEntry, NUMERIC_FIELDS, type NumericField, numericValue } from './candidate-entry.js';
import { ValueBitsets } from './value-bitsets.js';

const INITIAL_CAPACITY = 64;
/** At most this many metrics are kept as columns; the least recently built is dropped first. */
const METRIC_COLUMN_LIMIT = 16;

/**
 * The candidates of an index stored by slot, column by column: numbers in `Float64Array`s,
 * single-valued codes in `Int32Array`s, and one bitset of slots per value of every field that
 * filters and facets act on. A new entry always takes the next slot, so slots grow in the order
 * entries were added; removing an entry only marks its slot dead (a tombstone) until
 * {@link CandidateColumns.compact} renumbers the live slots, keeping their order. @internal
 */
export class CandidateColumns {
  /** Entries by slot; `undefined` at a dead slot. */
  readonly entries: (CandidateEntry | undefined)[] = [];
  /** The live slots. */
  readonly live = new Bitset();
  readonly tasks = new ValueBitsets();
  readonly modalities = new ValueBitsets();
  readonly libraries = new ValueBitsets();
  readonly providers = new ValueBitsets();
  readonly capabilities = new ValueBitsets();
  /** By index in `LICENSE_GROUPS`. */
  readonly licenseGroups = new ValueBitsets();
  /** License code by slot (`MISSING` when there is none). */
  license: Int32Array = new Int32Array(0);
  /** 1 at a gated slot. */
  gated: Uint8Array = new Uint8Array(0);
  /** Library and provider codes by slot (`MISSING` when there is none). */
  library: Int32Array = new Int32Array(0);
  provider: Int32Array = new Int32Array(0);
  /** Index in `LICENSE_GROUPS` by slot. */
  licenseGroup: Uint8Array = new Uint8Array(0);
  #numbers: Record<NumericField, Float64Array> = emptyNumbers(0);
  /** Columns of the metrics that queries bounded, by name (`NaN` where a candidate lacks it). */
  readonly #metrics = new Map<string, Float64Array>();
  #liveCount = 0;
  #capacity = 0;

  /** How many slots are in use, live or dead. */
  get slotCount(): number {
    return this.entries.length;
  }

  /** How many entries are live. */
  get liveCount(): number {
    return this.#liveCount;
  }

  /** How many slots are dead (removed, not yet compacted). */
  get deadCount(): number {
    return this.entries.length - this.#liveCount;
  }

  /** The values of a numeric field by slot. */
  numbers(field: NumericField): Float64Array {
    return this.#numbers[field];
  }

  /**
   * The values of a metric by slot (`NaN` where a live candidate does not report it as a
   * number), built on first use and then kept up to date.
   */
  metric(name: string): Float64Array {
    let values = this.#metrics.get(name);
    if (values === undefined) {
      values = new Float64Array(this.#capacity);
      for (let slot = 0; slot < this.entries.length; slot++) {
        const entry = this.entries[slot];
        values[slot] = entry === undefined ? Number.NaN : metricValue(entry, name);
      }
      if (this.#metrics.size >= METRIC_COLUMN_LIMIT) this.#metrics.delete(this.#metrics.keys().next().value!);
      this.#metrics.set(name, values);
    }
    return values;
  }

  /** Stores `entry` in the next slot and sets `entry.position` to it. */
  append(entry: CandidateEntry): number {
    const slot = this.entries.length;
    if (slot >= this.#capacity) this.#grow(Math.max(INITIAL_CAPACITY, this.#capacity * 2));
    entry.position = slot;
    this.entries.push(entry);
    this.live.add(slot);
    this.#liveCount++;
    for (const field of NUMERIC_FIELDS) this.#numbers[field][slot] = numericValue(entry.candidate, field);
    for (const [name, values] of this.#metrics) values[slot] = metricValue(entry, name);
    this.license[slot] = entry.license;
    this.gated[slot] = entry.gated ? 1 : 0;
    this.library[slot] = entry.library;
    this.provider[slot] = entry.provider;
    this.licenseGroup[slot] = entry.licenseGroup;
    this.#index(entry, slot, true);
    return slot;
  }

  /** Marks the slot of `entry` dead. */
  delete(entry: CandidateEntry): void {
    const slot = entry.position;
    if (this.entries[slot] !== entry) return;
    this.entries[slot] = undefined;
    this.live.delete(slot);
    this.#liveCount--;
    this.#index(entry, slot, false);
  }

  /**
   * Renumbers the live slots densely, keeping their order, and returns the new slot of every
   * old slot (−1 for a dead one). Updates `position` of every live entry; values stay as they
   * were read when each entry was added.
   */
  compact(): Int32Array {
    const entries = this.entries;
    const remap = new Int32Array(entries.length).fill(-1);
    let live = 0;
    for (let slot = 0; slot < entries.length; slot++) {
      const entry = entries[slot];
      if (entry === undefined) continue;
      remap[slot] = live;
      // Moving down in place is safe: a target slot is never above its source.
      entries[live] = entry;
      entry.position = live;
      live++;
    }
    const columns: { [slot: number]: number }[] = [
      ...NUMERIC_FIELDS.map((field) => this.#numbers[field]),
      ...this.#metrics.values(),
      this.license,
      this.gated,
      this.library,
      this.provider,
      this.licenseGroup,
    ];
    for (const values of columns) {
      for (let slot = 0; slot < remap.length; slot++) {
        const target = remap[slot]!;
        if (target >= 0) values[target] = values[slot]!;
      }
    }
    entries.length = live;
    this.live.clear();
    for (const bitsets of this.#allValueBitsets()) bitsets.clear();
    for (let slot = 0; slot < live; slot++) {
      this.live.add(slot);
      this.#index(entries[slot]!, slot, true);
    }
    return remap;
  }

  /** Removes every entry (keeping the interned codes). */
  clear(): void {
    this.entries.length = 0;
    this.#liveCount = 0;
    this.live.clear();
    for (const bitsets of this.#allValueBitsets()) bitsets.clear();
  }

  #index(entry: CandidateEntry, slot: number, present: boolean): void {
    const update = (bitsets: ValueBitsets, code: number) =>
      present ? bitsets.add(code, slot) : bitsets.delete(code, slot);
    for (const code of entry.tasks) update(this.tasks, code);
    for (const code of entry.modalities) update(this.modalities, code);
    for (const code of entry.capabilities) update(this.capabilities, code);
    if (entry.library >= 0) update(this.libraries, entry.library);
    if (entry.provider >= 0) update(this.providers, entry.provider);
    update(this.licenseGroups, entry.licenseGroup);
  }

  #allValueBitsets(): ValueBitsets[] {
    return [
      this.tasks,
      this.modalities,
      this.libraries,
      this.providers,
      this.capabilities,
      this.licenseGroups,
    ];
  }

  #grow(capacity: number): void {
    this.#capacity = capacity;
    this.live.grow(capacity);
    for (const bitsets of this.#allValueBitsets()) bitsets.grow(capacity);
    const numbers = emptyNumbers(capacity);
    for (const field of NUMERIC_FIELDS) numbers[field].set(this.#numbers[field]);
    this.#numbers = numbers;
    this.license = grownInt32(this.license, capacity);
    this.library = grownInt32(this.library, capacity);
    this.provider = grownInt32(this.provider, capacity);
    this.gated = grownUint8(this.gated, capacity);
    this.licenseGroup = grownUint8(this.licenseGroup, capacity);
    for (const [name, values] of this.#metrics) {
      const grown = new Float64Array(capacity);
      grown.set(values);
      this.#metrics.set(name, grown);
    }
  }
}

function metricValue(entry: CandidateEntry, name: string): number {
  const metrics = entry.candidate.metrics;
  if (metrics === undefined || metrics === null || !Object.hasOwn(metrics, name)) return Number.NaN;
  const value = metrics[name];
  return typeof value === 'number' ? value : Number.NaN;
}

function emptyNumbers(capacity: number): Record<NumericField, Float64Array> {
  return {
    sizeBytes: new Float64Array(capacity),
    parameters: new Float64Array(capacity),
    memoryBytes: new Float64Array(capacity),
    downloads: new Float64Array(capacity),
    likes: new Float64Array(capacity),
    lastModified: new Float64Array(capacity),
  };
}

function grownInt32(values: Int32Array, capacity: number): Int32Array {
  const grown = new Int32Array(capacity);
  grown.set(values);
  return grown;
}

function grownUint8(values: Uint8Array, capacity: number): Uint8Array {
  const grown = new Uint8Array(capacity);
  grown.set(values);
  return grown;
}
