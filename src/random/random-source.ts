/**
 * A source of uniform random numbers in [0, 1). Every randomized part of modelscout draws from
 * one of these, never from `Math.random`, so that a seed reproduces a run exactly.
 */
export interface RandomSource {
  /** A uniform number in [0, 1). */
  next(): number;
  /**
   * Optional: a standard normal draw made from this source's own uniforms. Sources that provide
   * it can cache the second value of each polar-method pair; `sampleStandardNormal` uses it when
   * present.
   */
  standardNormal?(): number;
}
