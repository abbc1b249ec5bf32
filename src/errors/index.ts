export { ApiCallError } from './api-call-error.js';
export { ContradictoryConstraintsError } from './contradictory-constraints-error.js';
export { InvalidArgumentError } from './invalid-argument-error.js';
export { ModelscoutError, type ModelscoutErrorOptions } from './modelscout-error.js';
export { type ConstraintRejection, NoFeasibleCandidateError } from './no-feasible-candidate-error.js';
export { ProviderError, type ProviderErrorReason, type ProviderOperation } from './provider-error.js';
export { StoreError } from './store-error.js';
export { UnknownArmError } from './unknown-arm-error.js';
