import { PIPELINE_DATA, type PipelineType } from '@huggingface/tasks';

/** A task name from the `@huggingface/tasks` taxonomy, e.g. `'text-classification'`, `'text-generation'`. */
export type Task = PipelineType;

/** The modality of a task, as `@huggingface/tasks` classifies it. */
export type Modality = 'nlp' | 'cv' | 'audio' | 'tabular' | 'multimodal' | 'rl' | 'other';

/** Every {@link Modality}. @internal */
export const MODALITIES: readonly Modality[] = Object.freeze([
  'nlp',
  'cv',
  'audio',
  'tabular',
  'multimodal',
  'rl',
  'other',
]);

/** Whether `value` is a task name of the `@huggingface/tasks` taxonomy. */
export function isTask(value: unknown): value is Task {
  return typeof value === 'string' && Object.hasOwn(PIPELINE_DATA, value);
}

/** The modality of `task` (`'other'` for an unknown task). */
export function modalityOf(task: string): Modality {
  return isTask(task) ? (PIPELINE_DATA[task].modality as Modality) : 'other';
}
