export { candidateFingerprint } from './candidate-fingerprint.js';
export {
  DISCOVERY_DEFAULTS,
  type DiscoveryOptions,
} from './discovery-options.js';
export type {
  DiscoverOptions,
  DiscoveryChanges,
  DiscoveryGetModelOptions,
  DiscoveryQuery,
  DiscoveryResult,
  ModelLookup,
  ProviderListingSummary,
  UpdatedModel,
} from './discovery-result.js';
export { createDiscoveryService, type DiscoveryService } from './discovery-service.js';
export type { RepositoryRole } from './merge-candidates.js';
