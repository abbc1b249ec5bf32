import type { ModelScore } from '../../core/model-score.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';

/** Pseudo-observations a warm start adds for one model. */
export interface WarmStartObservations {
  readonly modelId: string;
  /** Outcomes learned as quality 1. */
  readonly successes: number;
  /** Outcomes learned as quality 0. */
  readonly failures: number;
}

/**
 * What a measured score lends the selector: n = min(samples, weight) pseudo-observations, of
 * which round(n · q) successes and the rest failures, where q is the headline quality clamped to
 * [0, 1] (accuracy: the share of examples it got right). So one evaluation weighs at most
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
  const successes = Math.round(count * quality);
  return { modelId: score.modelId, successes, failures: count - successes };
}
