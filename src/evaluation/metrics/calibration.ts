/** One classifier prediction's probabilities, for calibration. */
export interface CalibrationInput {
  /** Probability per label (finite, in [0, 1]). */
  readonly scores: Readonly<Record<string, number>>;
  /** The gold label. */
  readonly label: string;
}

/** Confidence and calibration of a classifier. */
export interface Calibration {
  /** Mean top probability. */
  readonly meanConfidence: number;
  /**
   * Expected calibration error: Σ_b (n_b / n)·|accuracy_b − confidence_b| over equal-width bins
   * of the top probability ([0, 1/B), …, [(B−1)/B, 1]; a top probability of 1 falls in the last
   * bin), where accuracy_b is how often the top label was the gold one. In [0, 1].
   */
  readonly expectedCalibrationError: number;
  /**
   * Multi-class Brier score: the mean over examples of Σ_k (p_k − y_k)², k over the labels of
   * `scores` and the gold label (a label missing from `scores` has probability 0). In [0, 2].
   */
  readonly brierScore: number;
}

/**
 * The top label of `scores` and its probability. Ties go to the label listed first; no label
 * gives `undefined`.
 */
export function topLabel(
  scores: Readonly<Record<string, number>>,
): { label: string; probability: number } | undefined {
  let best: { label: string; probability: number } | undefined;
  for (const [label, probability] of Object.entries(scores)) {
    if (best === undefined || probability > best.probability) best = { label, probability };
  }
  return best;
}

/** Whether `scores` is a non-empty record of finite probabilities in [0, 1]. */
export function isValidScores(scores: unknown): scores is Readonly<Record<string, number>> {
  if (scores === null || typeof scores !== 'object' || Array.isArray(scores)) return false;
  const values = Object.values(scores);
  return (
    values.length > 0 &&
    values.every((value) => typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 1)
  );
}

/** Confidence, ECE and Brier score of `inputs` (non-empty) with `bins` equal-width bins. */
export function calibration(inputs: readonly CalibrationInput[], bins: number): Calibration {
  const binCount = new Float64Array(bins);
  const binCorrect = new Float64Array(bins);
  const binConfidence = new Float64Array(bins);
  let confidenceSum = 0;
  let brierSum = 0;
  for (const { scores, label } of inputs) {
    const top = topLabel(scores);
    const confidence = top?.probability ?? 0;
    const bin = Math.min(bins - 1, Math.floor(confidence * bins));
    binCount[bin]! += 1;
    binConfidence[bin]! += confidence;
    if (top?.label === label) binCorrect[bin]! += 1;
    confidenceSum += confidence;
    let squaredError = 0;
    for (const [name, probability] of Object.entries(scores)) {
      const target = name === label ? 1 : 0;
      squaredError += (probability - target) ** 2;
    }
    if (!Object.hasOwn(scores, label)) squaredError += 1;
    brierSum += squaredError;
  }
  let expectedCalibrationError = 0;
  for (let bin = 0; bin < bins; bin++) {
    const count = binCount[bin]!;
    if (count === 0) continue;
    expectedCalibrationError +=
      (count / inputs.length) * Math.abs(binCorrect[bin]! / count - binConfidence[bin]! / count);
  }
  return {
    meanConfidence: confidenceSum / inputs.length,
    expectedCalibrationError,
    brierScore: brierSum / inputs.length,
  };
}
