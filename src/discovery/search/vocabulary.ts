/** At most this many distinct lists of codes are shared. */
const LIST_LIMIT = 10_000;

/**
 * Interns strings as dense integer codes, so that filters compare numbers and facets count into
 * typed arrays. Codes are never reused; a value whose candidates are all removed keeps its code
 * and simply counts zero. @internal
 */
export class Vocabulary {
  readonly #codes = new Map<string, number>();
  readonly #values: string[] = [];
  readonly #lists = new Map<string, readonly number[]>();

  /** The code of `value`, assigning the next one when it is new. */
  intern(value: string): number {
    let code = this.#codes.get(value);
    if (code === undefined) {
      code = this.#values.length;
      this.#codes.set(value, code);
      this.#values.push(value);
    }
    return code;
  }

  /**
   * One shared, frozen array for equal lists of codes (candidates repeat the same few), so that
   * entries do not each hold their own copy.
   */
  internCodes(codes: readonly number[]): readonly number[] {
    const name = codes.join(',');
    let shared = this.#lists.get(name);
    if (shared === undefined) {
      shared = Object.freeze([...codes]);
      if (this.#lists.size < LIST_LIMIT) this.#lists.set(name, shared);
    }
    return shared;
  }

  /** The code of `value`, or `undefined` when no candidate ever had it. */
  find(value: string): number | undefined {
    return this.#codes.get(value);
  }

  /** The value of `code`. */
  value(code: number): string {
    return this.#values[code]!;
  }

  /** How many codes exist. */
  get size(): number {
    return this.#values.length;
  }
}
