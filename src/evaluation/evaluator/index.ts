export {
  createEvaluator,
  type Evaluator,
  type EvaluatorOptions,
  highResolutionClock,
} from './create-evaluator.js';
export {
  EVALUATION_DEFAULTS,
  type EvaluationSettings,
  type RaceOptions,
  type ResolvedSettings,
} from './evaluation-defaults.js';
export type { EvaluationHistoryOptions } from './evaluation-history.js';
export type { EvaluateOptions, EvaluationCandidate, EvaluationRequest } from './evaluation-request.js';
export type {
  EvaluationFailures,
  EvaluationScore,
  EvaluationStopReason,
  MemoryMeasurement,
  SkippedExamples,
} from './evaluation-score.js';
export { candidateFromString, isLocalPath } from './resolve-candidate.js';
export { type WarmStartObservations, warmStartObservations } from './warm-start.js';
