import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type { RandomSource } from './random-source.js';
import { polarNormalPair } from './sampling.js';

/**
 * A fast seedable generator (sfc32, 128-bit state). The same seed gives the same sequence on
 * every platform.
 *
 * @param seed - an integer or a string; strings are hashed. Omit it for a seed drawn from `crypto`.
 */
export function seededRandom(seed?: number | string): RandomSource {
  const random = new Sfc32(seedState(seed));
  // Discard the first outputs: sfc32 mixes poorly in its first few steps.
  for (let index = 0; index < 15; index++) random.next();
  return random;
}

/**
 * sfc32 as a class, so that every instance shares one `next` on the prototype: call sites see a
 * single target and the JIT inlines it reliably.
 */
class Sfc32 implements RandomSource {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private hasSpare = false;
  private readonly spare = { value: 0 };

  constructor([a, b, c, d]: [number, number, number, number]) {
    this.a = a | 0;
    this.b = b | 0;
    this.c = c | 0;
    this.d = d | 0;
  }

  next(): number {
    const { a, b, c, d } = this;
    const t = (((a + b) | 0) + d) | 0;
    this.d = (d + 1) | 0;
    this.a = b ^ (b >>> 9);
    this.b = (c + (c << 3)) | 0;
    const rotated = (c << 21) | (c >>> 11);
    this.c = (rotated + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  standardNormal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare.value;
    }
    this.hasSpare = true;
    return polarNormalPair(this, this.spare);
  }
}

function seedState(seed: number | string | undefined): [number, number, number, number] {
  if (seed === undefined) {
    const words = new Uint32Array(4);
    globalThis.crypto.getRandomValues(words);
    return [words[0]!, words[1]!, words[2]!, words[3]!];
  }
  if (typeof seed === 'number') {
    if (!Number.isFinite(seed)) {
      throw new InvalidArgumentError({
        argument: 'seed',
        value: seed,
        message: 'must be a finite number or a string',
      });
    }
    // Non-integers are hashed like strings, so that 1.5 and 1 give different streams.
    if (!Number.isInteger(seed)) return seedState(String(seed));
    const low = seed >>> 0;
    const high = Math.floor(seed / 4294967296) >>> 0;
    return [0x9e3779b9, low, high, (low ^ 0x85ebca6b) >>> 0];
  }
  if (typeof seed !== 'string') {
    throw new InvalidArgumentError({
      argument: 'seed',
      value: seed,
      message: 'must be a finite number or a string',
    });
  }
  // cyrb128 string hash.
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let index = 0; index < seed.length; index++) {
    const code = seed.charCodeAt(index);
    h1 = h2 ^ Math.imul(h1 ^ code, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ code, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ code, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ code, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  return [(h1 ^ h2 ^ h3 ^ h4) >>> 0, (h2 ^ h1) >>> 0, (h3 ^ h1) >>> 0, (h4 ^ h1) >>> 0];
}
