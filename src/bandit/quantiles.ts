import jStat from 'jstat';

/** Above this many degrees of freedom the Student-t quantile is replaced by the normal one (jstat loses accuracy). */
const NORMAL_APPROXIMATION_DEGREES_OF_FREEDOM = 1e5;

/** z such that a standard normal lies in [−z, z] with probability `level`. @internal */
export function twoSidedNormalQuantile(level: number): number {
  return jStat.normal.inv((1 + level) / 2, 0, 1);
}

/** t such that a Student-t with `degreesOfFreedom` lies in [−t, t] with probability `level`. @internal */
export function twoSidedStudentTQuantile(level: number, degreesOfFreedom: number): number {
  if (degreesOfFreedom > NORMAL_APPROXIMATION_DEGREES_OF_FREEDOM) return twoSidedNormalQuantile(level);
  return jStat.studentt.inv((1 + level) / 2, degreesOfFreedom);
}

const cachedStudentT = new Map<number, number>();

/**
 * {@link twoSidedStudentTQuantile} with the degrees of freedom rounded down (at least 1), which
 * widens the interval slightly, and memoized: for intervals computed on hot paths. @internal
 */
export function cachedTwoSidedStudentTQuantile(level: number, degreesOfFreedom: number): number {
  const freedom = Math.max(
    1,
    Math.min(NORMAL_APPROXIMATION_DEGREES_OF_FREEDOM + 1, Math.floor(degreesOfFreedom)),
  );
  const key = freedom + level;
  let quantile = cachedStudentT.get(key);
  if (quantile === undefined) {
    quantile = twoSidedStudentTQuantile(level, freedom);
    cachedStudentT.set(key, quantile);
  }
  return quantile;
}
