// Metrics the model cards report; tests reuse them on pipeline outputs.

/** Accuracy and macro-averaged F1 of predicted class indices. */
export function classificationMetrics(
  predictions: readonly number[],
  labels: readonly number[],
  classes: number,
): { accuracy: number; macroF1: number } {
  if (predictions.length !== labels.length) throw new Error('predictions and labels differ in length');
  let correct = 0;
  const truePositives = new Array<number>(classes).fill(0);
  const predicted = new Array<number>(classes).fill(0);
  const actual = new Array<number>(classes).fill(0);
  predictions.forEach((prediction, index) => {
    const label = labels[index]!;
    predicted[prediction]!++;
    actual[label]!++;
    if (prediction === label) {
      correct++;
      truePositives[label]!++;
    }
  });
  let f1Sum = 0;
  for (let c = 0; c < classes; c++) {
    const denominator = predicted[c]! + actual[c]!;
    f1Sum += denominator === 0 ? 0 : (2 * truePositives[c]!) / denominator;
  }
  return { accuracy: labels.length === 0 ? 0 : correct / labels.length, macroF1: f1Sum / classes };
}

/**
 * Leave-one-out nearest-neighbour accuracy: the share of vectors whose most cosine-similar other
 * vector has the same label (vectors are expected L2-normalized, so the dot product is the cosine;
 * ties go to the lower index).
 */
export function nearestNeighbourAccuracy(
  vectors: readonly ArrayLike<number>[],
  labels: readonly number[],
): number {
  const count = vectors.length;
  if (count < 2) return 0;
  const dimension = vectors[0]!.length;
  const flat = new Float64Array(count * dimension);
  vectors.forEach((vector, index) => {
    for (let d = 0; d < dimension; d++) flat[index * dimension + d] = vector[d]!;
  });
  // Each pair is scored once; for every query the candidates arrive in increasing index order,
  // so a strict comparison keeps the lowest index on ties.
  const best = new Int32Array(count).fill(-1);
  const bestSimilarity = new Float64Array(count).fill(Number.NEGATIVE_INFINITY);
  for (let first = 0; first < count; first++) {
    const firstStart = first * dimension;
    for (let second = first + 1; second < count; second++) {
      const secondStart = second * dimension;
      let similarity = 0;
      for (let d = 0; d < dimension; d++) similarity += flat[firstStart + d]! * flat[secondStart + d]!;
      if (similarity > bestSimilarity[first]!) {
        bestSimilarity[first] = similarity;
        best[first] = second;
      }
      if (similarity > bestSimilarity[second]!) {
        bestSimilarity[second] = similarity;
        best[second] = first;
      }
    }
  }
  let correct = 0;
  for (let query = 0; query < count; query++) if (labels[best[query]!] === labels[query]) correct++;
  return correct / count;
}

/** A metric value as the cards print it (4 decimals). */
export function roundMetric(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
