import type { ModelRequirements } from '../core/model-requirements.js';
import type { Modality, Task } from '../core/task.js';
import type { DiscoveryQuery } from '../discovery/service/discovery-result.js';
import type { Context } from '../selection/context.js';

/** The syntax of a requirements file. JSON is read as JSON; YAML as YAML 1.2 (core schema). */
export type RequirementsFormat = 'yaml' | 'json';

/**
 * One named task of a requirements file, typed and with the file's `defaults` applied: what it
 * takes to choose a model for it. `requirements` feeds `scout.selectOptimal` and `discover` feeds
 * `scout.discover`; {@link toSelectionRequest} builds the whole selection request.
 */
export interface TaskRequirements {
  /** The task's name in the file (its key under `tasks`), e.g. `'support-triage'`. */
  readonly name: string;
  /** The task's `description`, when the file gives one. */
  readonly description: string | undefined;
  /** The `@huggingface/tasks` task id, e.g. `'text-classification'`. */
  readonly task: Task;
  /** The modality: as declared, otherwise the task's own (`modalityOf(task)`). */
  readonly modality: Modality;
  /**
   * Constraints, targets, objective and domain hints, as {@link ModelRequirements}: `task`, the
   * declared `modality`, `capabilities`, `license` and the `limits` (sizes and parameter counts
   * in plain numbers), `targets` (percentile targets flattened to names such as `p95LatencyMs`),
   * `objective` and `domainHints`.
   */
  readonly requirements: ModelRequirements;
  /** Model ids listed under `candidates` (explicit candidates); empty when none are listed. */
  readonly candidates: readonly string[];
  /**
   * Where to discover more candidates: the file's `candidates.discover` query with the task (and
   * the declared modality) added. When the task lists no `candidates` at all, the query is just
   * `{ task }`; when it lists only model ids, `undefined`. Hard limits are not part of it: selection
   * applies them and, unlike discovery, lets candidates that do not declare a value pass.
   */
  readonly discover: DiscoveryQuery | undefined;
  /** How many ranked fallbacks to ask for; `undefined` leaves selection's default. */
  readonly fallbacks: number | undefined;
  /** Explicit fallback models, in order, when `fallbacks` is a list (then `fallbacks` is its length). */
  readonly fallbackModels: readonly string[];
  /** The size of the ensemble to ask for, when given. */
  readonly ensembleSize: number | undefined;
  /** The request context to select in (statistics are kept per context), when given. */
  readonly context: Context | undefined;
}

/** A requirements file, validated and typed. Every object in it is frozen. */
export interface Requirements {
  /** The format version: `1`. */
  readonly version: 1;
  /** The file it was read from; `undefined` for text parsed without a file name. */
  readonly file: string | undefined;
  /** The syntax it was read as. */
  readonly format: RequirementsFormat;
  /** The tasks, by name, in file order. */
  readonly tasks: Readonly<Record<string, TaskRequirements>>;
}
