// Small dense linear algebra for LinUCB and similar strategies: matrices are row-major
// Float64Arrays of dimension × dimension (dimension up to a few dozen).

/**
 * Cholesky factorization A = LLᵀ in place: on return the lower triangle (diagonal included) of
 * `matrix` holds L; the strict upper triangle is left as it was. Only the lower triangle of A is
 * read. Returns false, leaving `matrix` partly overwritten, when A is not numerically positive
 * definite.
 * @internal
 */
export function choleskyFactorize(matrix: Float64Array, dimension: number): boolean {
  for (let column = 0; column < dimension; column++) {
    const columnOffset = column * dimension;
    let diagonal = matrix[columnOffset + column]!;
    for (let inner = 0; inner < column; inner++) {
      const value = matrix[columnOffset + inner]!;
      diagonal -= value * value;
    }
    if (!(diagonal > 0) || !Number.isFinite(diagonal)) return false;
    const pivot = Math.sqrt(diagonal);
    matrix[columnOffset + column] = pivot;
    for (let row = column + 1; row < dimension; row++) {
      const rowOffset = row * dimension;
      let value = matrix[rowOffset + column]!;
      for (let inner = 0; inner < column; inner++) {
        value -= matrix[rowOffset + inner]! * matrix[columnOffset + inner]!;
      }
      matrix[rowOffset + column] = value / pivot;
    }
  }
  return true;
}

/**
 * Solves L y = b by forward substitution, L being the lower triangle of `lower` (as left by
 * {@link choleskyFactorize}). `out` may be the same array as `right`.
 * @internal
 */
export function solveLower(
  lower: Float64Array,
  dimension: number,
  right: ArrayLike<number>,
  out: Float64Array,
): Float64Array {
  for (let row = 0; row < dimension; row++) {
    const rowOffset = row * dimension;
    let value = right[row]!;
    for (let column = 0; column < row; column++) value -= lower[rowOffset + column]! * out[column]!;
    out[row] = value / lower[rowOffset + row]!;
  }
  return out;
}

/**
 * Solves Lᵀ x = y by back substitution, L being the lower triangle of `lower`. `out` may be the
 * same array as `right`.
 * @internal
 */
export function solveLowerTransposed(
  lower: Float64Array,
  dimension: number,
  right: ArrayLike<number>,
  out: Float64Array,
): Float64Array {
  for (let row = dimension - 1; row >= 0; row--) {
    let value = right[row]!;
    for (let column = row + 1; column < dimension; column++) {
      value -= lower[column * dimension + row]! * out[column]!;
    }
    out[row] = value / lower[row * dimension + row]!;
  }
  return out;
}

/** The dot product of the first `length` entries of two vectors. @internal */
export function dot(left: ArrayLike<number>, right: ArrayLike<number>, length: number): number {
  let total = 0;
  for (let index = 0; index < length; index++) total += left[index]! * right[index]!;
  return total;
}

/** xᵀMx for a symmetric row-major `matrix`. @internal */
export function quadraticForm(
  matrix: ArrayLike<number>,
  vector: ArrayLike<number>,
  dimension: number,
): number {
  let total = 0;
  for (let row = 0; row < dimension; row++) {
    const rowOffset = row * dimension;
    let rowTotal = 0;
    for (let column = 0; column < dimension; column++)
      rowTotal += matrix[rowOffset + column]! * vector[column]!;
    total += vector[row]! * rowTotal;
  }
  return total;
}
