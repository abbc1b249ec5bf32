import type { OutcomeEvent } from '../events.js';
import type { LearningObservation } from './learning-curves.js';

/** Where outcomes are announced: a scout's `events` (its `outcome` event). */
export interface OutcomeEventSource {
  on(event: 'outcome', listener: (event: OutcomeEvent) => void): unknown;
  off(event: 'outcome', listener: (event: OutcomeEvent) => void): unknown;
}

/** Records the learning curve of a scout while it serves; see {@link recordLearningCurve}. */
export interface LearningCurveRecorder {
  /** One observation per outcome recorded so far, `step` 1, 2, 3… in order. */
  readonly observations: readonly LearningObservation[];
  /** Stops listening (the observations stay). */
  stop(): void;
}

/**
 * Listens to a scout's `outcome` events (one per `recordOutcome`) and keeps one
 * {@link LearningObservation} per outcome: its model and reward, numbered from 1. Pass
 * `observations` to `renderReport({ learningCurve })`. Warm-start pseudo-observations are not
 * outcomes and are not recorded; with `withFallback`, each attempt is one outcome.
 *
 * @example
 * ```ts
 * const recorder = recordLearningCurve(scout.events);
 * // … selectOptimal / recordOutcome while serving …
 * recorder.stop();
 * renderReport({ scores, learningCurve: recorder.observations });
 * ```
 */
export function recordLearningCurve(events: OutcomeEventSource): LearningCurveRecorder {
  const observations: LearningObservation[] = [];
  const listener = ({ modelId, reward }: OutcomeEvent) => {
    observations.push(
      reward === undefined
        ? { step: observations.length + 1, modelId }
        : { step: observations.length + 1, modelId, reward },
    );
  };
  events.on('outcome', listener);
  return {
    observations,
    stop: () => {
      events.off('outcome', listener);
    },
  };
}
