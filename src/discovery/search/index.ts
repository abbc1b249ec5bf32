export { type CandidateIndex, createCandidateIndex } from './candidate-index.js';
export { candidateKey } from './candidate-key.js';
export type {
  CandidateQuery,
  CandidateSearchResult,
  CandidateSortKey,
  CandidateSortOrder,
  FacetCount,
  MetricRange,
  SearchFacets,
} from './candidate-query.js';
export { SEARCH_DEFAULTS } from './candidate-query.js';
