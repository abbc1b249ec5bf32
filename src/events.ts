import type { StoreError } from './errors/store-error.js';
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

/** Events of a scout (`createScout`): the selector's plus selections and outcomes. */
export interface ScoutEvents extends SelectorEvents {
  selection: [event: SelectionEvent];
  outcome: [event: OutcomeEvent];
}
