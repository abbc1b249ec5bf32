/**
 * modelscout: find machine-learning models, measure them on your data, choose the best one for
 * each request while learning from outcomes, and keep them downloaded, cached and loaded.
 *
 * @packageDocumentation
 */
export * from './bandit/index.js';
export { type Clock, type ManualClock, manualClock, systemClock } from './clock/index.js';
export * from './core/index.js';
export {
  createLocalHub,
  isValidModelId,
  LOCAL_HUB_DEFAULTS,
  type LocalHub,
  type LocalHubOptions,
  MODEL_ID_PATTERN,
} from './discovery/local-hub/index.js';
export {
  type CandidateIndex,
  type CandidateQuery,
  type CandidateSearchResult,
  type CandidateSortKey,
  type CandidateSortOrder,
  candidateKey,
  createCandidateIndex,
  type FacetCount,
  type MetricRange,
  SEARCH_DEFAULTS,
  type SearchFacets,
} from './discovery/search/index.js';
export type { ModelProvider, ProviderQuery } from './discovery/spec.js';
export * from './errors/index.js';
export type { InferenceRunner, LoadedModel, Prediction } from './evaluation/spec.js';
export type {
  OutcomeEvent,
  ScoutEvents,
  SelectionEvent,
  SelectorEvents,
  StoreErrorEvent,
} from './events.js';
export type { DownloadOptions, Lifecycle, UpdateCheck } from './lifecycle/spec.js';
export * from './random/index.js';
export {
  createScout,
  getDefaultScout,
  type Outcome,
  recordOutcome,
  type Scout,
  type ScoutOptions,
  selectOptimal,
} from './scout.js';
export * from './selection/index.js';
export * from './store/index.js';
