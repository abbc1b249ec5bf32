/** A point of the quality–latency trade-off: higher quality and lower latency are better. */
export interface ParetoPoint {
  readonly quality: number;
  readonly latency: number;
}

/**
 * Whether `a` dominates `b`: `a` is at least as good on both quality (higher) and latency
 * (lower), and strictly better on one. Identical points do not dominate each other; points with
 * a non-finite coordinate neither dominate nor are dominated.
 */
export function dominates(a: ParetoPoint, b: ParetoPoint): boolean {
  if (![a.quality, a.latency, b.quality, b.latency].every(Number.isFinite)) return false;
  return a.quality >= b.quality && a.latency <= b.latency && (a.quality > b.quality || a.latency < b.latency);
}

/**
 * The Pareto front of `points` (maximize quality, minimize latency): the points no other point
 * {@link dominates}, ordered by latency ascending (so quality ascending too). Identical points
 * are all on the front (in input order) when they are not dominated; a point with the same
 * latency as a better one, or the same quality as a faster one, is dominated. Points with a
 * non-finite quality or latency are ignored. O(n log n).
 */
export function paretoFront<Point extends ParetoPoint>(points: readonly Point[]): Point[] {
  const finite = points
    .map((point, index) => ({ point, index }))
    .filter(({ point }) => Number.isFinite(point.quality) && Number.isFinite(point.latency));
  finite.sort(
    (a, b) => a.point.latency - b.point.latency || b.point.quality - a.point.quality || a.index - b.index,
  );
  const front: Point[] = [];
  let bestQuality = Number.NEGATIVE_INFINITY;
  let bestLatency = Number.NaN;
  for (const { point } of finite) {
    if (point.quality > bestQuality) {
      front.push(point);
      bestQuality = point.quality;
      bestLatency = point.latency;
    } else if (point.quality === bestQuality && point.latency === bestLatency) {
      front.push(point);
    }
  }
  return front;
}
