export { createModelRegistry } from './create-model-registry.js';
export type { ModelLease } from './model-lease.js';
export type {
  ModelRegistry,
  ModelRegistryRequest,
  RegistryModelFilter,
  RegistryTrimLimits,
} from './model-registry.js';
export type { RegisteredModel } from './registered-model.js';
export type {
  ModelLoadedEvent,
  ModelLoadFailedEvent,
  ModelRegistryEvents,
  ModelUnloadedEvent,
  ModelUnloadReason,
} from './registry-events.js';
export { MODEL_REGISTRY_DEFAULTS, type ModelLoader, type ModelRegistryOptions } from './registry-options.js';
export type { ModelRegistryStatistics } from './registry-statistics.js';
