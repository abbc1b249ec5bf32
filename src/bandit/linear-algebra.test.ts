import { describe, expect, test } from 'vitest';
import { choleskyFactorize, dot, quadraticForm, solveLower, solveLowerTransposed } from './linear-algebra.js';

function lowerTriangle(matrix: Float64Array, dimension: number): number[][] {
  return Array.from({ length: dimension }, (_, row) =>
    Array.from({ length: dimension }, (_, column) => (column <= row ? matrix[row * dimension + column]! : 0)),
  );
}

describe('linear algebra', () => {
  test('factorizes a symmetric positive definite matrix', () => {
    // The textbook example: A = [[4, 12, −16], [12, 37, −43], [−16, −43, 98]] = LLᵀ with
    // L = [[2, 0, 0], [6, 1, 0], [−8, 5, 3]].
    const matrix = new Float64Array([4, 12, -16, 12, 37, -43, -16, -43, 98]);
    expect(choleskyFactorize(matrix, 3)).toBe(true);
    const lower = lowerTriangle(matrix, 3);
    const expected = [
      [2, 0, 0],
      [6, 1, 0],
      [-8, 5, 3],
    ];
    for (let row = 0; row < 3; row++) {
      for (let column = 0; column < 3; column++)
        expect(lower[row]![column]).toBeCloseTo(expected[row]![column]!, 12);
    }
  });

  test('refuses matrices that are not positive definite', () => {
    expect(choleskyFactorize(new Float64Array([1, 2, 2, 1]), 2)).toBe(false);
    expect(choleskyFactorize(new Float64Array([0, 0, 0, 1]), 2)).toBe(false);
    expect(choleskyFactorize(new Float64Array([Number.NaN, 0, 0, 1]), 2)).toBe(false);
  });

  test('solves A x = b with the two triangular solves', () => {
    const matrix = new Float64Array([4, 12, -16, 12, 37, -43, -16, -43, 98]);
    const original = Float64Array.from(matrix);
    const solution = [1, -2, 0.5];
    const right = [0, 1, 2].map((row) => dot(original.subarray(row * 3, row * 3 + 3), solution, 3));
    choleskyFactorize(matrix, 3);
    const work = new Float64Array(3);
    solveLower(matrix, 3, right, work);
    solveLowerTransposed(matrix, 3, work, work);
    for (let index = 0; index < 3; index++) expect(work[index]).toBeCloseTo(solution[index]!, 10);
  });

  test('computes dot products and quadratic forms', () => {
    expect(dot([1, 2, 3], [4, 5, 6], 3)).toBe(32);
    expect(dot([1, 2, 3], [4, 5, 6], 2)).toBe(14);
    // [1, 2] · [[2, 1], [1, 3]] · [1, 2] = 2 + 2 + 2 + 12 = 18
    expect(quadraticForm([2, 1, 1, 3], [1, 2], 2)).toBe(18);
  });
});
