import type { ModelCandidate } from '../core/model-candidate.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type { SelectionRequest } from '../selection/selected-models.js';
import type { TaskRequirements } from './requirements.js';

/**
 * The request for `scout.selectOptimal` that a task of a requirements file describes: its
 * requirements (constraints, targets, objective), context, fallback count and ensemble size, over
 * `candidates` — or, when omitted, the model ids the task lists. Explicit fallback models are
 * added to the candidates (once each) so selection can rank them.
 *
 * @example
 * ```ts
 * const triage = requirements.tasks['support-triage'];
 * const found = triage.discover ? (await scout.discover(triage.discover)).candidates : [];
 * const selected = await scout.selectOptimal(toSelectionRequest(triage, [...triage.candidates, ...found]));
 * ```
 *
 * @param candidates - the models to choose among, e.g. discovered candidates. @default `task.candidates`
 * @throws {InvalidArgumentError} when there is no candidate at all.
 */
export function toSelectionRequest(
  task: TaskRequirements,
  candidates: ReadonlyArray<ModelCandidate | string> = task.candidates,
): SelectionRequest {
  const pool: Array<ModelCandidate | string> = [...candidates];
  const present = new Set(
    pool.map((candidate) => (typeof candidate === 'string' ? candidate : candidate.id)),
  );
  for (const model of task.fallbackModels) {
    if (!present.has(model)) {
      present.add(model);
      pool.push(model);
    }
  }
  if (pool.length === 0) {
    throw new InvalidArgumentError({
      argument: 'candidates',
      value: candidates,
      message: `task '${task.name}' lists no candidate models; pass candidates (e.g. from scout.discover(task.discover))`,
    });
  }
  return {
    candidates: pool,
    requirements: task.requirements,
    ...(task.context === undefined ? {} : { context: task.context }),
    ...(task.fallbacks === undefined ? {} : { fallbacks: task.fallbacks }),
    ...(task.ensembleSize === undefined ? {} : { ensembleSize: task.ensembleSize }),
  };
}
