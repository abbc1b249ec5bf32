import type { ModelCandidate } from '../../core/model-candidate.js';
import type { TestData } from '../../core/test-data.js';
import type { InferenceRunner } from '../spec.js';
import type { EvaluationSettings, RaceOptions } from './evaluation-defaults.js';

/**
 * One candidate to evaluate:
 * - a {@link ModelCandidate} (e.g. from discovery);
 * - a string: a local path (absolute, or starting with `./`, `../` or `~/`) becomes a candidate
 *   with `localPath`, anything else a model id;
 * - `{ candidate, runner?, dtype? }` to choose the runner (else the first of the evaluator's
 *   runners whose `supports(candidate, task)` is true) or the weight type.
 */
export type EvaluationCandidate =
  | string
  | ModelCandidate
  | {
      readonly candidate: string | ModelCandidate;
      readonly runner?: InferenceRunner;
      readonly dtype?: string;
    };

/** What to evaluate: candidates, labeled data, and optionally budgets and racing. */
export interface EvaluationRequest<Input = unknown, Label = unknown>
  extends Omit<EvaluationSettings, 'race' | 'historyLimit' | 'warmStartWeight' | 'progressIntervalMs'> {
  /** The candidates; ids must be distinct. */
  readonly candidates: readonly EvaluationCandidate[];
  /** The task and its examples (an array, an iterable, or an async iterable of `{ input, label }`). */
  readonly data: TestData<Input, Label>;
  /**
   * Race the candidates on the same examples and stop those clearly below the leader (see
   * `EVALUATION_DEFAULTS.race`). `true` uses the defaults. @default false
   */
  readonly race?: boolean | RaceOptions;
  /**
   * Names the data in the history key instead of a hash of its examples (for streamed data,
   * whose hash covers only the examples read).
   */
  readonly datasetId?: string;
}

/** Options of `evaluate`. */
export interface EvaluateOptions {
  /** Aborts the evaluation: models are disposed and `evaluate` rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}
