import type { QualityMeasurement } from '../core/model-score.js';
import type { RandomSource } from '../random/index.js';
import type { Prediction } from './spec.js';

/**
 * What the examples and predictions of each task look like, so that runners, metrics and the
 * evaluator agree:
 *
 * | task | `input` | `label` | `prediction.output` |
 * |---|---|---|---|
 * | `text-classification`, `zero-shot-classification` | text | the label name | the top label name; `scores` holds every label's probability |
 * | `token-classification` | text | {@link EntitySpan}[] (or one BIO tag per token) | {@link EntitySpan}[] (or BIO tags) |
 * | `question-answering` | `{ question, context }` | the answer, or several acceptable answers | the answer text |
 * | `feature-extraction` | text | a group key: items with the same key are relevant to each other (recall@k) | the embedding, `number[]` |
 * | `sentence-similarity` | `{ source, other }` | a gold similarity score | the predicted similarity, a number (Spearman) |
 * | `text-generation` | a prompt (text or chat messages) | a string (exact match) or a {@link GenerationCheck} | the generated text, or `{ text, toolCalls }` |
 * | `summarization`, `translation` | text | the reference text, or several references | the generated text |
 */
export interface EntitySpan {
  /** The entity type, e.g. `'PER'`. */
  readonly type: string;
  /** Start offset (inclusive). */
  readonly start: number;
  /** End offset (exclusive). */
  readonly end: number;
}

/** A tool call a generator made. */
export interface ToolCall {
  readonly name: string;
  readonly arguments: Readonly<Record<string, unknown>>;
}

/** What a `text-generation` output is checked against. */
export type GenerationCheck =
  | { readonly exact: string }
  | { readonly contains: string }
  | { readonly regex: string; readonly flags?: string }
  | { readonly json: true }
  | { readonly jsonSchema: Readonly<Record<string, unknown>> }
  | {
      readonly toolCall: {
        readonly name: string;
        /** Argument names that must be present (values not compared). */
        readonly requiredArguments?: readonly string[];
        /** Argument values that must be equal (deep equality). */
        readonly arguments?: Readonly<Record<string, unknown>>;
      };
    };

/** One evaluated example: what the model predicted and what was expected. */
export interface ScoredExample {
  readonly prediction: Prediction;
  readonly label: unknown;
}

/** Options of a task scorer. */
export interface TaskScoreOptions {
  /** Source of the bootstrap resampling. @default seededRandom() */
  readonly random?: RandomSource;
  /** Coverage of the intervals. @default 0.95 */
  readonly confidenceLevel?: number;
  /** Bootstrap resamples for metrics without a closed-form interval. @default 1000 */
  readonly bootstrapResamples?: number;
  /** `k` of recall@k for `feature-extraction`. @default 1 (5 and 10 are also reported) */
  readonly recallAt?: number;
}

/** The result of scoring one model's predictions on one task. */
export interface TaskScore {
  /** The task's headline metric with its interval (e.g. accuracy with a Wilson interval). */
  readonly quality: QualityMeasurement;
  /**
   * Every metric, flat, by name: e.g. `accuracy`, `macro-f1`, `precision:POSITIVE`,
   * `recall:POSITIVE`, `mean-confidence`, `ece`, `brier` for classifiers.
   */
  readonly metrics: Readonly<Record<string, number>>;
  /** For classifiers: counts[gold][predicted] over `labels`. */
  readonly confusionMatrix?: {
    readonly labels: readonly string[];
    readonly counts: readonly (readonly number[])[];
  };
  /**
   * Each example's contribution to the headline metric when it is a mean of per-example values
   * (1/0 for accuracy, exact match and success rate; token F1; ROUGE-L), for sequential tests.
   * Absent for corpus-level metrics (macro-F1, Spearman, recall@k over the set).
   */
  readonly perExample?: readonly number[];
}

/** Scores predictions of one task. */
export type TaskScorer = (examples: readonly ScoredExample[], options?: TaskScoreOptions) => TaskScore;
