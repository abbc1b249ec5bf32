/**
 * `modelscout/testing`: the conformance suites every implementation of a plug-in point should
 * pass (modelscout's own and third-party ones), and helpers for testing code that uses
 * modelscout. The suites register tests through the runner's own `test` function (vitest,
 * node:test, jest) and assert with `node:assert`.
 *
 * @packageDocumentation
 */
export { type ManualClock, manualClock } from '../clock/manual-clock.js';
export type { ConformanceTestRunner } from './conformance-test-runner.js';
export { type FaultyStore, faultyStore } from './faulty-store.js';
export {
  type ProviderConformanceInstance,
  type ProviderConformanceSubject,
  providerConformance,
} from './provider-conformance.js';
export {
  assertPredictionShape,
  type RunnerConformanceInstance,
  type RunnerConformanceSubject,
  runnerConformance,
} from './runner-conformance.js';
export {
  STORE_CONFORMANCE_GROUPS,
  STORE_CONFORMANCE_START_TIME,
  type StoreConformanceCapabilities,
  type StoreConformanceGroup,
  type StoreConformanceRunner,
  type StoreConformanceSubject,
  storeConformance,
} from './store-conformance.js';
export {
  type BernoulliSimulationOptions,
  type StrategyConformanceSubject,
  simulateBernoulliBandit,
  strategyConformance,
} from './strategy-conformance.js';
