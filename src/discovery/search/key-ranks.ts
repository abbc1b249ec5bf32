import type { CandidateColumns } from './candidate-columns.js';

/**
 * The rank of every live slot's key among all keys, ascending, so that ties are broken by
 * comparing two integers instead of two strings. Built on first use; after additions, only the
 * new keys are sorted and merged in. Removals leave gaps in the ranks, which keep their order.
 * @internal
 */
export class KeyRanks {
  /** Slots by key, ascending; may still hold slots that died since. */
  #sorted = new Int32Array(0);
  /** Every live slot below this one is in `#sorted`. */
  #covered = 0;
  #ranks = new Int32Array(0);
  #ranksValid = false;

  /** Ranks by slot, valid for every live slot until the index changes. Do not modify. */
  ranks(columns: CandidateColumns): Int32Array {
    const entries = columns.entries;
    if (this.#covered < columns.slotCount) {
      const added: number[] = [];
      for (let slot = this.#covered; slot < columns.slotCount; slot++) {
        if (entries[slot] !== undefined) added.push(slot);
      }
      const compare = (left: number, right: number) => {
        const leftKey = entries[left]!.key;
        const rightKey = entries[right]!.key;
        return leftKey < rightKey ? -1 : leftKey > rightKey ? 1 : 0;
      };
      added.sort(compare);
      const sorted = this.#sorted;
      const merged = new Int32Array(sorted.length + added.length);
      let right = 0;
      let out = 0;
      for (const slot of sorted) {
        if (entries[slot] === undefined) continue;
        while (right < added.length && compare(added[right]!, slot) < 0) merged[out++] = added[right++]!;
        merged[out++] = slot;
      }
      while (right < added.length) merged[out++] = added[right++]!;
      this.#sorted = merged.slice(0, out);
      this.#covered = columns.slotCount;
      this.#ranksValid = false;
    }
    if (!this.#ranksValid) {
      if (this.#ranks.length < columns.slotCount) this.#ranks = new Int32Array(columns.slotCount * 2);
      const ranks = this.#ranks;
      const sorted = this.#sorted;
      for (let rank = 0; rank < sorted.length; rank++) ranks[sorted[rank]!] = rank;
      this.#ranksValid = true;
    }
    return this.#ranks;
  }

  /** Renumbers slots by `remap` (−1 drops a slot), keeping their order. */
  remap(remap: Int32Array): void {
    let kept = 0;
    const sorted = this.#sorted;
    for (const slot of sorted) {
      const target = remap[slot]!;
      if (target >= 0) sorted[kept++] = target;
    }
    this.#sorted = sorted.slice(0, kept);
    let covered = 0;
    for (let slot = 0; slot < this.#covered; slot++) if (remap[slot]! >= 0) covered++;
    this.#covered = covered;
    this.#ranksValid = false;
  }

  /** Forgets every slot. */
  clear(): void {
    this.#sorted = new Int32Array(0);
    this.#covered = 0;
    this.#ranksValid = false;
  }
}
