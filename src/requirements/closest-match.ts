/**
 * The option closest to `value`, for "did you mean" hints: the one with the smallest edit distance
 * (insertions, deletions, substitutions and swaps of neighbours, ignoring case), when that
 * distance is small for the word's length; otherwise an option that starts with `value` or that
 * `value` starts with (`maxSize` → `maxSizeBytes`). `undefined` when nothing is close.
 * @internal
 */
export function closestMatch(value: string, options: Iterable<string>): string | undefined {
  const wanted = value.toLowerCase();
  if (wanted.length === 0 || wanted.length > 200) return undefined;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  let prefixMatch: string | undefined;
  for (const option of options) {
    const candidate = option.toLowerCase();
    const limit = Math.max(1, Math.min(3, Math.floor(Math.max(wanted.length, candidate.length) / 4)));
    const distance = editDistance(wanted, candidate, limit);
    if (distance <= limit && distance < bestDistance) {
      best = option;
      bestDistance = distance;
    }
    if (
      prefixMatch === undefined &&
      wanted.length >= 3 &&
      (candidate.startsWith(wanted) || wanted.startsWith(candidate))
    ) {
      prefixMatch = option;
    }
  }
  return best ?? prefixMatch;
}

/**
 * The optimal-string-alignment distance between `a` and `b`, or `limit + 1` as soon as it is
 * known to exceed `limit`.
 */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previousPrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMinimum = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let distance = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        distance = Math.min(distance, previousPrevious[j - 2]! + 1);
      }
      current.push(distance);
      rowMinimum = Math.min(rowMinimum, distance);
    }
    if (rowMinimum > limit) return limit + 1;
    previousPrevious = previous;
    previous = current;
  }
  return previous[b.length]!;
}
