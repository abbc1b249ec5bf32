/**
 * The number of set bits of a 32-bit word. @internal
 */
export function popcount(word: number): number {
  word -= (word >>> 1) & 0x55555555;
  word = (word & 0x33333333) + ((word >>> 2) & 0x33333333);
  return Math.imul((word + (word >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** How many 32-bit words hold `capacity` bits. @internal */
export function wordsFor(capacity: number): number {
  return (capacity + 31) >>> 5;
}

/**
 * A set of small non-negative integers (candidate slots), one bit each in 32-bit words, so that
 * sets combine word by word and count with {@link popcount}. Set operations between two bitsets
 * act on the words both have; a bitset never holds bits beyond its capacity. Hot loops read
 * `words` directly. @internal
 */
export class Bitset {
  /** The bits: bit `value & 31` of word `value >>> 5` is set when `value` is in the set. */
  words: Uint32Array;

  constructor(capacity = 0) {
    this.words = new Uint32Array(wordsFor(capacity));
  }

  /** How many values (0 to capacity − 1) the bitset can hold. */
  get capacity(): number {
    return this.words.length * 32;
  }

  /** Grows the capacity to at least `capacity`, keeping the bits. */
  grow(capacity: number): void {
    const words = wordsFor(capacity);
    if (words <= this.words.length) return;
    const grown = new Uint32Array(words);
    grown.set(this.words);
    this.words = grown;
  }

  add(value: number): void {
    this.words[value >>> 5]! |= 1 << (value & 31);
  }

  delete(value: number): void {
    this.words[value >>> 5]! &= ~(1 << (value & 31));
  }

  has(value: number): boolean {
    return ((this.words[value >>> 5]! >>> (value & 31)) & 1) === 1;
  }

  /** Removes every value. */
  clear(): void {
    this.words.fill(0);
  }

  /** Becomes a copy of `other` (growing if needed; bits beyond `other`'s capacity are cleared). */
  copy(other: Bitset): void {
    this.grow(other.capacity);
    this.words.set(other.words);
    this.words.fill(0, other.words.length);
  }

  /** Keeps only the values also in `other`. */
  and(other: Bitset): void {
    const words = this.words;
    const others = other.words;
    const shared = Math.min(words.length, others.length);
    for (let index = 0; index < shared; index++) words[index]! &= others[index]!;
    words.fill(0, shared);
  }

  /** Adds the values of `other` (up to this bitset's capacity). */
  or(other: Bitset): void {
    const words = this.words;
    const others = other.words;
    const shared = Math.min(words.length, others.length);
    for (let index = 0; index < shared; index++) words[index]! |= others[index]!;
  }

  /** Removes the values of `other`. */
  andNot(other: Bitset): void {
    const words = this.words;
    const others = other.words;
    const shared = Math.min(words.length, others.length);
    for (let index = 0; index < shared; index++) words[index]! &= ~others[index]!;
  }

  /** How many values the set holds. */
  count(): number {
    let total = 0;
    for (const word of this.words) if (word !== 0) total += popcount(word);
    return total;
  }

  /** How many values are in both this set and `other`, reading only the words listed in `at`. */
  countAnd(other: Bitset, at: Int32Array, atCount: number = at.length): number {
    const words = this.words;
    const others = other.words;
    let total = 0;
    for (let index = 0; index < atCount; index++) {
      const word = at[index]!;
      if (word >= others.length) continue;
      const both = words[word]! & others[word]!;
      if (both !== 0) total += popcount(both);
    }
    return total;
  }

  /** The indexes of the non-zero words, in increasing order; returns how many there are. */
  nonZeroWords(into: Int32Array): number {
    const words = this.words;
    let count = 0;
    for (let index = 0; index < words.length; index++) if (words[index] !== 0) into[count++] = index;
    return count;
  }

  /** Writes the values in increasing order into `into` (which must be large enough); returns how many. */
  values(into: Int32Array): number {
    const words = this.words;
    let count = 0;
    for (let index = 0; index < words.length; index++) {
      let word = words[index]!;
      const base = index << 5;
      while (word !== 0) {
        const lowest = word & -word;
        into[count++] = base + 31 - Math.clz32(lowest);
        word ^= lowest;
      }
    }
    return count;
  }
}
