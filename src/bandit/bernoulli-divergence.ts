/** Largest number of refinement steps of {@link bernoulliUpperConfidenceBound}. */
const MAXIMUM_ITERATIONS = 60;
/** The bound is accurate to this (absolute, in probability units). */
const TOLERANCE = 1e-10;

/**
 * The Kullback–Leibler divergence KL(Bernoulli(p) ‖ Bernoulli(q)) in nats, with 0 · ln 0 = 0;
 * +∞ when q is 0 or 1 and p differs from it. p and q must lie in [0, 1].
 * @internal
 */
export function bernoulliDivergence(p: number, q: number): number {
  let divergence = 0;
  if (p > 0) divergence += p * Math.log(p / q);
  if (p < 1) divergence += (1 - p) * Math.log((1 - p) / (1 - q));
  return divergence;
}

/**
 * The largest q in [p, 1] with KL(p, q) ≤ `budget` (the KL-UCB index, with `budget` =
 * threshold / n). Safeguarded Newton iteration on the bracket [p, min(1, p + √(budget / 2))]
 * (Pinsker's inequality puts the bound below the right end), started at the quadratic
 * approximation p + √(2p(1 − p) · budget); a step that would leave the bracket is replaced by
 * bisection. At most 60 steps; the result is within 1e-10 of the bound.
 * @internal
 */
export function bernoulliUpperConfidenceBound(p: number, budget: number): number {
  if (!(budget > 0)) return p;
  if (p >= 1) return 1;
  if (p <= 0) return -Math.expm1(-budget);
  let low = p;
  let high = Math.min(1, p + Math.sqrt(budget / 2));
  let q = p + Math.sqrt(2 * p * (1 - p) * budget);
  if (!(q < high)) q = (low + high) / 2;
  for (let iteration = 0; iteration < MAXIMUM_ITERATIONS; iteration++) {
    const excess = bernoulliDivergence(p, q) - budget;
    if (excess > 0) high = q;
    else if (excess < 0) low = q;
    else return q;
    // The derivative of KL(p, q) in q is (q − p) / (q(1 − q)).
    let next = q - (excess * q * (1 - q)) / (q - p);
    if (!(next > low && next < high)) next = (low + high) / 2;
    if (Math.abs(next - q) < TOLERANCE || high - low < TOLERANCE) return next;
    q = next;
  }
  return q;
}
