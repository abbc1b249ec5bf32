/**
 * The part of a test runner the conformance suites need: a `test(name, fn)` function. Vitest's,
 * Jest's and `node:test`'s `test` all fit, e.g. `storeConformance({ test }, …)`.
 */
export interface ConformanceTestRunner {
  /** Registers a test; it fails when `fn` throws or its promise rejects. */
  readonly test: (name: string, fn: () => void | Promise<void>) => unknown;
}
