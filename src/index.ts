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
  CATALOG_DEFAULTS,
  type CatalogOptions,
  catalog,
  type ModelsDevCatalog,
  type ModelsDevModel,
  type ModelsDevVendor,
} from './discovery/providers/catalog.js';
export { HF_CACHE_PROVIDER_NAME, type HfCacheOptions, hfCache } from './discovery/providers/hf-cache.js';
export { defaultHuggingFaceCacheDirectory } from './discovery/providers/hf-cache-layout.js';
export {
  fetchJson,
  HTTP_CLIENT_DEFAULTS,
  type HttpClientOptions,
  type HttpJsonRequest,
} from './discovery/providers/http-json.js';
export {
  type HubModelRecord,
  type NormalizeHubRecordOptions,
  normalizeHubRecord,
} from './discovery/providers/hub-record.js';
export {
  HUGGING_FACE_DEFAULTS,
  HUGGING_FACE_PROVIDER_NAME,
  type HuggingFaceOptions,
  type HuggingFaceSort,
  huggingFace,
} from './discovery/providers/hugging-face.js';
export {
  LOCAL_DIRECTORY_PROVIDER_NAME,
  type LocalDirectoryOptions,
  localDirectory,
} from './discovery/providers/local-directory.js';
export { OLLAMA_DEFAULTS, type OllamaOptions, ollama } from './discovery/providers/ollama.js';
export {
  ONNX_DTYPE_SUFFIXES,
  type OnnxVariant,
  onnxDtypes,
  onnxVariants,
} from './discovery/providers/onnx-variants.js';
export {
  OPEN_ROUTER_DEFAULTS,
  type OpenRouterOptions,
  openRouter,
} from './discovery/providers/open-router.js';
export {
  OPENAI_COMPATIBLE_DEFAULTS,
  type OpenAICompatibleOptions,
  openAICompatible,
} from './discovery/providers/openai-compatible.js';
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
export {
  candidateFingerprint,
  createDiscoveryService,
  DISCOVERY_DEFAULTS,
  type DiscoverOptions,
  type DiscoveryChanges,
  type DiscoveryGetModelOptions,
  type DiscoveryOptions,
  type DiscoveryQuery,
  type DiscoveryResult,
  type DiscoveryService,
  type ModelLookup,
  type ProviderListingSummary,
  type RepositoryRole,
  type UpdatedModel,
} from './discovery/service/index.js';
export type { ModelProvider, ProviderQuery } from './discovery/spec.js';
export * from './errors/index.js';
export {
  candidateFromString,
  createEvaluator,
  EVALUATION_DEFAULTS,
  type EvaluateOptions,
  type EvaluationCandidate,
  type EvaluationFailures,
  type EvaluationHistoryOptions,
  type EvaluationRequest,
  type EvaluationScore,
  type EvaluationSettings,
  type EvaluationStopReason,
  type Evaluator,
  type EvaluatorOptions,
  highResolutionClock,
  isLocalPath,
  type MemoryMeasurement,
  type RaceOptions,
  type ResolvedSettings,
  type SkippedExamples,
  type WarmStartObservations,
  warmStartObservations,
} from './evaluation/evaluator/index.js';
export {
  type BootstrapOptions,
  bootstrapInterval,
  type ClassificationScoreOptions,
  type Interval,
  isScoringTask,
  SCORING_DEFAULTS,
  type ScoringTask,
  scoreClassification,
  scoreGeneration,
  scoreQuestionAnswering,
  scoreRetrieval,
  scoreSimilarity,
  scoreSummarization,
  scoreTask,
  scoreTokenClassification,
  scoreTranslation,
  supportedScoringTasks,
  wilsonInterval,
} from './evaluation/metrics/index.js';
export * from './evaluation/runners/index.js';
export type { InferenceRunner, LoadedModel, Prediction, PredictionTimings } from './evaluation/spec.js';
export type {
  EntitySpan,
  GenerationCheck,
  ScoredExample,
  TaskScore,
  TaskScoreOptions,
  TaskScorer,
  ToolCall,
} from './evaluation/task-score.js';
export type {
  CandidateEliminatedEvent,
  DiscoveryEvents,
  EvaluationEvents,
  EvaluationFinishedEvent,
  EvaluationProgressEvent,
  EvaluationStartedEvent,
  ModelAddedEvent,
  ModelRemovedEvent,
  ModelUpdatedEvent,
  OutcomeEvent,
  ProviderFinishedEvent,
  ProviderStartedEvent,
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
  type ScoutEvaluateOptions,
  type ScoutOptions,
  selectOptimal,
  type WarmStartOptions,
} from './scout.js';
export * from './selection/index.js';
export * from './store/index.js';
