/**
 * Interns strings as dense integer codes, so that filters compare numbers and facets count into
 * typed arrays. Codes are never reused; a value whose candidates are all removed keeps its code
 * and simply counts zero. @internal
 */
export class Vocabulary {
  readonly #codes = new Map<string, number>();
  readonly #values: string[] = [];

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
