import type { ModelScore } from '../../core/model-score.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';

/** Pseudo-observations a warm start adds for one model. */
export interface WarmStartObservations {
  readonly modelId: string;
  /** Pseudo-observations added, each learned with the measured quality as its reward. */
  readonly observations: number;
  /** The successes they add to the statistics: `observations × quality` (not rounded). */
  readonly successes: number;
  /** The failures they add: `observations × (1 − quality)`. */
  readonly failures: number;
}

/**
 * What a measured score lends the selector: n = floor(min(samples, weight)) pseudo-observations,
 * each learned as an outcome whose reward is q, the headline quality clamped to [0, 1] (accuracy:
 * the share of examples it got right); in the additive statistics that is n · q successes and
 * n · (1 − q) failures, unrounded, so close models keep their measured order. So one evaluation weighs at most
 * `weight` outcomes, whatever its size, and real outcomes soon outweigh it. Scores without
 * samples (a model that could not be loaded) lend nothing.
 */
export function warmStartObservations(score: ModelScore, weight: number): WarmStartObservations {
  if (!(Number.isFinite(weight) && weight >= 0)) {
    throw new InvalidArgumentError({
      argument: 'weight',
      value: weight,
      message: 'must be a finite number ≥ 0',
    });
  }
  const samples = Number.isFinite(score.samples) && score.samples > 0 ? score.samples : 0;
  const count = Math.floor(Math.min(samples, weight));
  const quality = Number.isFinite(score.quality?.value) ? Math.min(1, Math.max(0, score.quality.value)) : 0;
  return {
    modelId: score.modelId,
    observations: count,
    successes: count * quality,
    failures: count * (1 - quality),
  };
}
