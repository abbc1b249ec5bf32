import type { RandomSource } from './random-source.js';

/** A standard normal draw: the source's own `standardNormal()` when it has one, else Marsaglia's polar method. */
export function sampleStandardNormal(random: RandomSource): number {
  if (random.standardNormal !== undefined) return random.standardNormal();
  return polarNormalPair(random, spare);
}

const spare = { value: 0 };

/**
 * Marsaglia's polar method: returns one standard normal draw and writes a second, independent
 * one into `second.value`.
 */
export function polarNormalPair(random: RandomSource, second: { value: number }): number {
  for (;;) {
    const u = 2 * random.next() - 1;
    const v = 2 * random.next() - 1;
    const s = u * u + v * v;
    if (s > 0 && s < 1) {
      const factor = Math.sqrt((-2 * Math.log(s)) / s);
      second.value = v * factor;
      return u * factor;
    }
  }
}

/** A Gamma(shape, 1) draw (Marsaglia & Tsang 2000), valid for any shape > 0. */
export function sampleGamma(random: RandomSource, shape: number): number {
  if (shape < 1) {
    // Boost: Gamma(a) = Gamma(a + 1) · U^(1/a).
    const boosted = sampleGamma(random, shape + 1);
    return boosted * random.next() ** (1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = sampleStandardNormal(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = random.next();
    const xSquared = x * x;
    if (u < 1 - 0.0331 * xSquared * xSquared) return d * v;
    if (Math.log(u) < 0.5 * xSquared + d * (1 - v + Math.log(v))) return d * v;
  }
}

const LOG_4 = Math.log(4);
const ONE_PLUS_LOG_5 = 1 + Math.log(5);
const LOG_MAX_VALUE = Math.log(Number.MAX_VALUE);

/**
 * A Beta(alpha, beta) draw. When both shapes exceed 1 (every arm after a few outcomes), Cheng's
 * exact rejection algorithm BB (Cheng 1978, as in R's `rbeta`): two uniforms, a log and an exp
 * per attempt. Otherwise X / (X + Y) with X ~ Gamma(alpha), Y ~ Gamma(beta).
 */
export function sampleBeta(random: RandomSource, alpha: number, beta: number): number {
  if (alpha > 1 && beta > 1) return chengBetaBB(random, alpha, beta);
  const x = sampleGamma(random, alpha);
  const y = sampleGamma(random, beta);
  const total = x + y;
  return total > 0 ? x / total : alpha / (alpha + beta);
}

/** A Student-t draw with `degreesOfFreedom` > 0. */
export function sampleStudentT(random: RandomSource, degreesOfFreedom: number): number {
  const normal = sampleStandardNormal(random);
  const chiSquared = 2 * sampleGamma(random, degreesOfFreedom / 2);
  return normal / Math.sqrt(chiSquared / degreesOfFreedom);
}

/** A uniform integer in [0, size). */
export function sampleIndex(random: RandomSource, size: number): number {
  return Math.floor(random.next() * size);
}

function chengBetaBB(random: RandomSource, first: number, second: number): number {
  const a = Math.min(first, second);
  const b = Math.max(first, second);
  const sum = a + b;
  const scale = Math.sqrt((sum - 2) / (2 * a * b - sum));
  const shift = a + 1 / scale;
  let w: number;
  for (;;) {
    const u1 = random.next();
    const u2 = random.next();
    if (u1 <= 0) continue;
    const v = scale * Math.log(u1 / (1 - u1));
    w = v <= LOG_MAX_VALUE ? Math.min(a * Math.exp(v), Number.MAX_VALUE) : Number.MAX_VALUE;
    const z = u1 * u1 * u2;
    const r = shift * v - LOG_4;
    const s = a + r - w;
    if (s + ONE_PLUS_LOG_5 >= 5 * z) break;
    const t = Math.log(z);
    if (s > t) break;
    if (r + sum * Math.log(sum / (b + w)) >= t) break;
  }
  return first === a ? w / (b + w) : b / (b + w);
}
