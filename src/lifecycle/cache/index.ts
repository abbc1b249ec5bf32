export type { BlobHashAlgorithm } from './blob-hash.js';
export type {
  CacheBudgetExceededEvent,
  CacheErrorEvent,
  CacheEvents,
  CacheEvictedEvent,
  CacheFilesRemovedEvent,
  CachePrunedEvent,
} from './cache-events.js';
export { CACHE_MANAGER_DEFAULTS, type CacheManagerOptions } from './cache-manager-options.js';
export type {
  CachedBlobInfo,
  CachedFileInfo,
  CachedReferenceInfo,
  CachedRepositoryInfo,
  CachedRevisionInfo,
  CacheReport,
  CacheWarning,
  CacheWarningKind,
} from './cache-report.js';
export type { CacheStatistics } from './cache-usage.js';
export {
  type CacheBudgetOptions,
  type CacheLookupOptions,
  type CacheManager,
  type CacheVerifyOptions,
  createCacheManager,
} from './create-cache-manager.js';
export {
  CACHE_PRUNE_DEFAULTS,
  type CachePruneOptions,
  type CacheUnusedDtypesOptions,
  type CacheUnusedRevisionsOptions,
} from './prune-options.js';
export type {
  CacheBlobRemoval,
  CacheBudgetCheck,
  CacheFileRemoval,
  CachePinnedRevision,
  CachePrunePlan,
  CachePruneResult,
  CacheReferenceRemoval,
  CacheRevisionRemoval,
  CacheRevisionRemovalReason,
  CacheSkippedRemoval,
  CacheSkipReason,
} from './prune-plan.js';
export type {
  CacheFileStatus,
  CacheProblem,
  CacheProblemKind,
  CacheVerificationReport,
  VerifiedCacheFile,
} from './verification-report.js';
