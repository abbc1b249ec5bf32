export { ApiCallError } from './api-call-error.js';
export { CacheError, type CacheErrorReason } from './cache-error.js';
export {
  ConfigurationError,
  type ConfigurationProblem,
  type ConfigurationProblemKind,
} from './configuration-error.js';
export { ContradictoryConstraintsError } from './contradictory-constraints-error.js';
export { DownloadError, type DownloadErrorReason } from './download-error.js';
export { EvaluationError, type EvaluationFailure } from './evaluation-error.js';
export {
  type FallbackAttempt,
  type FallbackAttemptStatus,
  FallbackExhaustedError,
} from './fallback-exhausted-error.js';
export { InputFileError } from './input-file-error.js';
export { InvalidArgumentError } from './invalid-argument-error.js';
export { ModelscoutError, type ModelscoutErrorOptions } from './modelscout-error.js';
export { type ConstraintRejection, NoFeasibleCandidateError } from './no-feasible-candidate-error.js';
export { ProviderError, type ProviderErrorReason, type ProviderOperation } from './provider-error.js';
export { ModelRegistryError, type ModelRegistryErrorReason } from './registry-error.js';
export { ReportError } from './report-error.js';
export { RunnerError, type RunnerErrorReason } from './runner-error.js';
export { StoreError } from './store-error.js';
export { UnknownArmError } from './unknown-arm-error.js';
