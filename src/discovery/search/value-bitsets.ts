import { Bitset } from './bitset.js';

const EMPTY = new Bitset(0);

/**
 * One {@link Bitset} of candidate slots per value code of a field (a task, a library, …), so that
 * a filter on a value is a word-wise AND and a facet count is a popcount. Every bitset has the
 * capacity given to {@link ValueBitsets.grow}. @internal
 */
export class ValueBitsets {
  readonly #bitsets: Bitset[] = [];
  #capacity = 0;

  /** How many value codes have a bitset (some may be empty). */
  get size(): number {
    return this.#bitsets.length;
  }

  /** The slots that have value `code` (an empty bitset when none ever had it). Do not modify. */
  of(code: number): Bitset {
    return this.#bitsets[code] ?? EMPTY;
  }

  /** Records that `slot` has value `code`. */
  add(code: number, slot: number): void {
    while (this.#bitsets.length <= code) this.#bitsets.push(new Bitset(this.#capacity));
    this.#bitsets[code]!.add(slot);
  }

  /** Records that `slot` no longer has value `code`. */
  delete(code: number, slot: number): void {
    this.#bitsets[code]?.delete(slot);
  }

  /** Grows every bitset to hold slots below `capacity`. */
  grow(capacity: number): void {
    this.#capacity = Math.max(this.#capacity, capacity);
    for (const bitset of this.#bitsets) bitset.grow(capacity);
  }

  /** Forgets every slot, keeping the capacity and the codes. */
  clear(): void {
    for (const bitset of this.#bitsets) bitset.clear();
  }
}
