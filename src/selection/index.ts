export { type Context, type ContextValue, GLOBAL_PARTITION } from './context.js';
export {
  type ArmEstimate,
  type ContextOptions,
  createSelector,
  SELECTOR_DEFAULTS,
  type Selector,
  type SelectorOptions,
} from './create-selector.js';
export { SELECTION_DEFAULTS } from './select-optimal.js';
export type {
  CandidateEstimate,
  EstimateSource,
  MetricEstimate,
  SelectedModels,
  SelectionExplanation,
  SelectionRequest,
} from './selected-models.js';
