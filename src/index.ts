/**
 * modelscout: find machine-learning models, measure them on your data, choose the best one for
 * each request while learning from outcomes, and keep them downloaded, cached and loaded.
 *
 * @packageDocumentation
 */
export * from './bandit/index.js';
export {
  type Clock,
  isTimerClock,
  type ManualClock,
  manualClock,
  systemClock,
  type TimerClock,
  type TimerHandle,
} from './clock/index.js';
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
  type LabeledData,
  type LabeledDataFormat,
  type LabeledDataOptions,
  labeledDataFormat,
  readLabeledData,
} from './evaluation/labeled-data.js';
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
  HistoryErrorEvent,
  HistoryEvents,
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
export * from './history/index.js';
export {
  type BlobHashAlgorithm,
  CACHE_MANAGER_DEFAULTS,
  CACHE_PRUNE_DEFAULTS,
  type CacheBlobRemoval,
  type CacheBudgetCheck,
  type CacheBudgetExceededEvent,
  type CacheBudgetOptions,
  type CachedBlobInfo,
  type CachedFileInfo,
  type CachedReferenceInfo,
  type CachedRepositoryInfo,
  type CachedRevisionInfo,
  type CacheErrorEvent,
  type CacheEvents,
  type CacheEvictedEvent,
  type CacheFileRemoval,
  type CacheFileStatus,
  type CacheFilesRemovedEvent,
  type CacheLookupOptions,
  type CacheManager,
  type CacheManagerOptions,
  type CachePinnedRevision,
  type CacheProblem,
  type CacheProblemKind,
  type CachePrunedEvent,
  type CachePruneOptions,
  type CachePrunePlan,
  type CachePruneResult,
  type CacheReferenceRemoval,
  type CacheReport,
  type CacheRevisionRemoval,
  type CacheRevisionRemovalReason,
  type CacheSkippedRemoval,
  type CacheSkipReason,
  type CacheStatistics,
  type CacheUnusedDtypesOptions,
  type CacheUnusedRevisionsOptions,
  type CacheVerificationReport,
  type CacheVerifyOptions,
  type CacheWarning,
  type CacheWarningKind,
  createCacheManager,
  type VerifiedCacheFile,
} from './lifecycle/cache/index.js';
export { createLifecycle } from './lifecycle/create-lifecycle.js';
export * from './lifecycle/download/index.js';
export {
  type AllCircuitsOpenPolicy,
  CIRCUIT_BREAKER_DEFAULTS,
  type CircuitAttemptOptions,
  type CircuitBreaker,
  type CircuitBreakerEvents,
  type CircuitBreakerOptions,
  type CircuitBreakers,
  type CircuitClosedEvent,
  type CircuitHalfOpenedEvent,
  type CircuitOpenedEvent,
  type CircuitOpenReason,
  type CircuitPermit,
  type CircuitSnapshot,
  type CircuitState,
  circuitBreaker,
  createCircuitBreakers,
  FALLBACK_DEFAULTS,
  type FallbackAttemptContext,
  type FallbackChain,
  type FallbackOptions,
  type FallbackResult,
  type FallbackRun,
  runWithFallback,
  type SingleCircuitBreakerOptions,
  withFallback,
} from './lifecycle/health/index.js';
export type {
  AvailabilityCheckedEvent,
  HistoryPrunedEvent,
  LifecycleEvents,
  UpkeepEvents,
} from './lifecycle/lifecycle-events.js';
export type { LifecycleOptions, LifecycleUpkeepOptions } from './lifecycle/lifecycle-options.js';
export {
  createModelRegistry,
  MODEL_REGISTRY_DEFAULTS,
  type ModelLease,
  type ModelLoadedEvent,
  type ModelLoader,
  type ModelLoadFailedEvent,
  type ModelRegistry,
  type ModelRegistryEvents,
  type ModelRegistryOptions,
  type ModelRegistryRequest,
  type ModelRegistryStatistics,
  type ModelUnloadedEvent,
  type ModelUnloadReason,
  type RegisteredModel,
  type RegistryModelFilter,
  type RegistryTrimLimits,
} from './lifecycle/registry/index.js';
export {
  createScheduler,
  type JobFailedEvent,
  type JobFinishedEvent,
  type JobSkippedEvent,
  type JobStartedEvent,
  type JobStatus,
  type JobTrigger,
  SCHEDULER_DEFAULTS,
  type ScheduledJob,
  type Scheduler,
  type SchedulerEvents,
  type SchedulerOptions,
  UPKEEP_DEFAULTS,
  type UpkeepOptions,
} from './lifecycle/scheduler/index.js';
export type { DownloadOptions, Lifecycle, LifecycleFallbackOptions } from './lifecycle/spec.js';
export type { AvailabilityRecord } from './lifecycle/upkeep/availability-history.js';
export * from './random/index.js';
export * from './report/index.js';
export * from './requirements/index.js';
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
