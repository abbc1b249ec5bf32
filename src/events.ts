import type { ModelCandidate } from './core/model-candidate.js';
import type { Task } from './core/task.js';
import type { ProviderQuery } from './discovery/spec.js';
import type { ProviderError, ProviderOperation } from './errors/provider-error.js';
import type { StoreError } from './errors/store-error.js';
import type { EvaluationScore } from './evaluation/evaluator/evaluation-score.js';
import type { Context } from './selection/context.js';

/**
 * Emitted when writing to or reading from the store failed. Increments stay queued and
 * selection goes on from the local view.
 */
export interface StoreErrorEvent {
  readonly error: StoreError;
  /** Increments waiting to be written. */
  readonly pendingIncrements: number;
}

/** Emitted for every selection made by a scout. */
export interface SelectionEvent {
  /** The chosen model's id. */
  readonly modelId: string;
  readonly fallbacks: readonly string[];
  readonly context: Context | undefined;
  /** Whether the choice explored (it is not the candidate with the highest expected utility). */
  readonly explored: boolean;
}

/** Emitted for every outcome recorded by a scout. */
export interface OutcomeEvent {
  readonly modelId: string;
  readonly context: Context | undefined;
  /** The reward learned (quality in [0, 1]), when the outcome had one. */
  readonly reward: number | undefined;
  readonly latencyMs: number | undefined;
  readonly costUsd: number | undefined;
  /** The error message, for failed outcomes. */
  readonly error: string | undefined;
}

/** Events of a selector. */
export interface SelectorEvents {
  /** The store could not be written or read; learning continues locally. */
  store_error: [event: StoreErrorEvent];
  /** The store accepted writes again after failures; queued increments were written. */
  store_recovered: [];
}

/** Emitted when discovery finds a model it did not know. */
export interface ModelAddedEvent {
  /** The model, merged across the providers that have it. */
  readonly candidate: ModelCandidate;
}

/**
 * Emitted when a known model changed: a new revision or modification time (or, for providers
 * without either, other metadata), or a provider gained or lost it (e.g. it was downloaded to the cache).
 */
export interface ModelUpdatedEvent {
  readonly candidate: ModelCandidate;
  /** The model as it was known before. */
  readonly previous: ModelCandidate;
}

/**
 * Emitted when no provider lists a known model any more. Only a provider's complete, successful,
 * unfiltered listing can remove a model: a failed provider or a filtered search never does.
 */
export interface ModelRemovedEvent {
  /** The model as it was last known. */
  readonly candidate: ModelCandidate;
}

/** Emitted when the discovery service starts asking one provider. */
export interface ProviderStartedEvent {
  /** The provider's name. */
  readonly provider: string;
  readonly operation: ProviderOperation;
  /** What the provider is asked for (`listModels`), without the signal. */
  readonly query: Omit<ProviderQuery, 'signal'>;
  /** The id asked for (`getModel`). */
  readonly id?: string;
}

/** Emitted when one provider answered, failed or timed out. */
export interface ProviderFinishedEvent {
  readonly provider: string;
  readonly operation: ProviderOperation;
  /** Valid candidates it returned. */
  readonly count: number;
  /** Milliseconds it took, read from the service's clock. */
  readonly durationMs: number;
  /** Whether the listing stopped at `maxCandidatesPerProvider`. */
  readonly truncated: boolean;
  /** Why it failed, timed out, or which candidates were skipped as malformed. */
  readonly error?: ProviderError;
}

/** Events of a discovery service (`createDiscoveryService`, and `createScout` with providers). */
export interface DiscoveryEvents {
  model_added: [event: ModelAddedEvent];
  model_updated: [event: ModelUpdatedEvent];
  model_removed: [event: ModelRemovedEvent];
  provider_started: [event: ProviderStartedEvent];
  provider_finished: [event: ProviderFinishedEvent];
}

/** Emitted when an evaluation starts, once its data and candidates are validated. */
export interface EvaluationStartedEvent {
  /** The candidates' ids, in request order. */
  readonly candidates: readonly string[];
  readonly task: Task;
  /** Whether the candidates race (successive elimination). */
  readonly race: boolean;
  /** Labeled examples each candidate will predict at most, when known (arrays; capped by `maxSamples`). */
  readonly total: number | undefined;
}

/** Emitted as a candidate predicts (at most once per `progressIntervalMs` each, and when it stops). */
export interface EvaluationProgressEvent {
  readonly modelId: string;
  /** Examples it predicted. */
  readonly done: number;
  /** Examples it will predict at most, when known. */
  readonly total: number | undefined;
  /**
   * Estimated milliseconds until it is done, from its prediction rate so far and bounded by its
   * remaining budget; `undefined` before its first prediction or when `total` is unknown. 0 once it stopped.
   */
  readonly etaMs: number | undefined;
}

/** Emitted when a race stops a candidate. */
export interface CandidateEliminatedEvent {
  readonly modelId: string;
  /** The leader at that moment. */
  readonly leader: string;
  /** Examples each survivor had predicted. */
  readonly samples: number;
  /**
   * `'eliminated'`: clearly below the leader; `'race-decided'`: the leader is within the race's
   * tolerance of every survivor, so the race ended.
   */
  readonly reason: 'eliminated' | 'race-decided';
  /** Upper confidence bound of (its quality − the leader's), when the race computed one. */
  readonly upperDifference: number | undefined;
}

/** Emitted when an evaluation ends (not when it is aborted or rejects). */
export interface EvaluationFinishedEvent {
  readonly scores: readonly EvaluationScore[];
  /** Wall time of the whole evaluation on the evaluator's clock, in milliseconds. */
  readonly durationMs: number;
  /** The race's winner, when the candidates raced. */
  readonly winner: string | undefined;
  /** Why the scores could not be stored in the history, when they could not (they are returned all the same). */
  readonly storeError: StoreError | undefined;
}

/** Events of an evaluator (`createEvaluator`, and `createScout` with runners). */
export interface EvaluationEvents {
  evaluation_started: [event: EvaluationStartedEvent];
  evaluation_progress: [event: EvaluationProgressEvent];
  candidate_eliminated: [event: CandidateEliminatedEvent];
  evaluation_finished: [event: EvaluationFinishedEvent];
}

/**
 * Emitted when a history record could not be written (`scout.history`). Outcome log entries stay
 * buffered and are written with the next chunk or `scout.flush()`; a model record is written
 * again at the model's next discovery event.
 */
export interface HistoryErrorEvent {
  readonly error: StoreError;
  /** What could not be written: a chunk of the outcome log, or a model record. */
  readonly record: 'outcomes' | 'model';
  /** Outcome log entries waiting to be written. */
  readonly bufferedOutcomes: number;
  /** Oldest outcome log entries dropped because the buffer was full (16 chunks' worth). */
  readonly droppedOutcomes: number;
}

/** Events of a scout's history (`scout.history`). */
export interface HistoryEvents {
  history_error: [event: HistoryErrorEvent];
}

/**
 * Events of a scout (`createScout`): the selector's, discovery's, evaluation's and the history's,
 * plus selections and outcomes.
 */
export interface ScoutEvents extends SelectorEvents, DiscoveryEvents, EvaluationEvents, HistoryEvents {
  selection: [event: SelectionEvent];
  outcome: [event: OutcomeEvent];
}
