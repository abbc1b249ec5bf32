import type { Task } from '../../core/task.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import type { ScoredExample, TaskScore, TaskScoreOptions, TaskScorer } from '../task-score.js';
import { scoreClassification } from './classification.js';
import { scoreGeneration } from './generation.js';
import { scoreQuestionAnswering } from './question-answering.js';
import { scoreRetrieval } from './retrieval.js';
import { scoreSimilarity } from './similarity.js';
import { scoreSummarization, scoreTranslation } from './text-overlap.js';
import { scoreTokenClassification } from './token-classification.js';

/**
 * The scorer of each task modelscout can score, with its headline metric:
 *
 * | task | scorer | headline (interval) |
 * |---|---|---|
 * | `text-classification`, `zero-shot-classification` | {@link scoreClassification} | `accuracy` (Wilson) |
 * | `token-classification` | {@link scoreTokenClassification} | entity `f1` (bootstrap) |
 * | `question-answering` | {@link scoreQuestionAnswering} | `exact-match` (Wilson) |
 * | `feature-extraction` | {@link scoreRetrieval} | `recall@k` (Wilson over queries) |
 * | `sentence-similarity` | {@link scoreSimilarity} | `spearman` (Fisher z) |
 * | `text-generation` | {@link scoreGeneration} | `success-rate` (Wilson) |
 * | `summarization` | {@link scoreSummarization} | `rouge-l` (bootstrap) |
 * | `translation` | {@link scoreTranslation} | `chrf` (bootstrap) |
 */
/** A task {@link scoreTask} can score. */
export type ScoringTask =
  | 'text-classification'
  | 'zero-shot-classification'
  | 'token-classification'
  | 'question-answering'
  | 'feature-extraction'
  | 'sentence-similarity'
  | 'text-generation'
  | 'summarization'
  | 'translation';

export const TASK_SCORERS: Readonly<Record<ScoringTask, TaskScorer>> = Object.freeze({
  'text-classification': scoreClassification,
  'zero-shot-classification': scoreClassification,
  'token-classification': scoreTokenClassification,
  'question-answering': scoreQuestionAnswering,
  'feature-extraction': scoreRetrieval,
  'sentence-similarity': scoreSimilarity,
  'text-generation': scoreGeneration,
  summarization: scoreSummarization,
  translation: scoreTranslation,
} satisfies Record<ScoringTask, TaskScorer> & Partial<Record<Task, TaskScorer>>);

/** The tasks {@link scoreTask} can score. */
export const supportedScoringTasks: readonly ScoringTask[] = Object.freeze(
  Object.keys(TASK_SCORERS) as ScoringTask[],
);

/** Whether {@link scoreTask} can score `task`. */
export function isScoringTask(task: string): task is ScoringTask {
  return Object.hasOwn(TASK_SCORERS, task);
}

/**
 * Scores one model's predictions on `task` with that task's scorer (see `TaskScore` for the
 * shapes of labels and outputs per task).
 *
 * @throws InvalidArgumentError for a task without a scorer, an empty example list, an unusable
 *   gold label or an invalid option. A malformed prediction never throws: it counts as wrong.
 */
export function scoreTask(
  task: Task,
  examples: readonly ScoredExample[],
  options?: TaskScoreOptions,
): TaskScore {
  if (!isScoringTask(task)) {
    throw new InvalidArgumentError({
      argument: 'task',
      value: task,
      message: `no metrics for '${task}'; supported tasks: ${supportedScoringTasks.join(', ')}.`,
    });
  }
  return TASK_SCORERS[task](examples, options);
}
