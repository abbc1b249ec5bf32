import type { ModelCandidate } from '../core/model-candidate.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type { SelectionRequest } from '../selection/selected-models.js';
import type { TaskRequirements } from './requirements.js';

/** The id of a candidate entry; `undefined` for an entry that is neither (selection refuses it). */
function idOf(candidate: ModelCandidate | string): string | undefined {
  if (typeof candidate === 'string') return candidate;
  return candidate !== null && typeof candidate === 'object' && typeof candidate.id === 'string'
    ? candidate.id
    : undefined;
}

/**
 * The request for `scout.selectOptimal` that a task of a requirements file describes: its
 * requirements (constraints, targets, objective), context, fallback count and ensemble size, over
 * `candidates` — or, when omitted, the model ids the task lists. Explicit fallback models are
 * added to the candidates (once each) so selection can rank them.
 *
 * A model given twice (listed by id in the file and found again by discovery, say) is one
 * candidate, at its first place: the `ModelCandidate` when one of the entries is one (it declares
 * the size, license and figures the limits are checked against; a bare id passes them), else the
 * id.
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
  const pool: Array<ModelCandidate | string> = [];
  const positions = new Map<string, number>();
  for (const candidate of [...candidates, ...task.fallbackModels]) {
    const id = idOf(candidate);
    const position = id === undefined ? undefined : positions.get(id);
    if (position === undefined) {
      if (id !== undefined) positions.set(id, pool.length);
      pool.push(candidate);
    } else if (typeof pool[position] === 'string' && typeof candidate !== 'string') {
      pool[position] = candidate;
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
