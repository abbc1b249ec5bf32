import type { Task } from '../core/task.js';
import { InputFileError, readInputFile } from '../errors/input-file-error.js';
import type { EvaluationScore } from '../evaluation/evaluator/evaluation-score.js';
import type { ReportScore } from '../report/report-input.js';

/** What `modelscout eval --json` prints, and `modelscout report --from` reads back. */
export interface EvaluationDocument {
  /** The document's format version. */
  readonly version: 1;
  readonly task: Task;
  /** The labeled data: the file as given and how many rows it held. */
  readonly data: { readonly file: string; readonly examples: number };
  /** Whether the candidates raced. */
  readonly race: boolean;
  /** The race's winner, or else the best quality (ties: the lower p50 latency); `null` when nothing was measured. */
  readonly best: string | null;
  /** Wall time of the evaluation, in milliseconds. */
  readonly durationMs: number;
  /** One score per candidate, in the order given. */
  readonly scores: readonly EvaluationScore[];
  /** The store the scores were kept in (`--store`), or `null`. */
  readonly store: string | null;
  /** The HTML report written (`--report`), or `null`. */
  readonly report: string | null;
}

/** Scores read from an evaluation file, with the data's name when the file gives it. */
export interface EvaluationFile {
  readonly scores: readonly ReportScore[];
  /** The data file the evaluation used, from an {@link EvaluationDocument}. */
  readonly dataset: string | undefined;
}

function isScore(value: unknown): value is ReportScore {
  if (value === null || typeof value !== 'object') return false;
  const score = value as { modelId?: unknown; quality?: unknown };
  if (typeof score.modelId !== 'string' || score.quality === null || typeof score.quality !== 'object') {
    return false;
  }
  const quality = score.quality as { metric?: unknown; value?: unknown };
  return (
    typeof quality.metric === 'string' && (typeof quality.value === 'number' || quality.value === undefined)
  );
}

/**
 * Reads scores for a report: `modelscout eval --json` output (an {@link EvaluationDocument}), an
 * object with a `scores` array, or a bare array of scores (`EvaluationScore`s, e.g. from
 * `scout.evaluate`). Non-finite numbers, which JSON writes as `null`, are read back as missing.
 *
 * @throws {InputFileError} when the file cannot be read or parsed, holds no score, or holds something else.
 */
export async function readEvaluationFile(file: string): Promise<EvaluationFile> {
  const text = await readInputFile(file);
  let document: unknown;
  try {
    // JSON writes NaN and infinities as null: read those back as missing values.
    document = JSON.parse(text, function (this: unknown, _key, value: unknown) {
      return value === null && !Array.isArray(this) ? undefined : value;
    });
  } catch (error) {
    const match = /position (\d+)/.exec(error instanceof Error ? error.message : '');
    const offset = match === null ? undefined : Number(match[1]);
    const before = offset === undefined ? '' : text.slice(0, offset);
    throw new InputFileError({
      file,
      ...(offset === undefined
        ? {}
        : { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') }),
      message: `invalid JSON: ${error instanceof Error ? error.message.replace(/ in JSON at position \d+.*$/, '') : String(error)}`,
    });
  }
  const scores = Array.isArray(document) ? document : (document as { scores?: unknown } | null)?.scores;
  if (!Array.isArray(scores)) {
    throw new InputFileError({
      file,
      message: "expected the output of 'modelscout eval --json', or an array of evaluation scores",
    });
  }
  if (scores.length === 0) {
    throw new InputFileError({
      file,
      message: 'the file holds no evaluation score: there is nothing to report',
    });
  }
  const invalid = scores.findIndex((score) => !isScore(score));
  if (invalid !== -1) {
    throw new InputFileError({
      file,
      message: `scores[${invalid}] is not an evaluation score (it needs modelId and quality: { metric, value })`,
    });
  }
  const data = Array.isArray(document) ? undefined : (document as { data?: { file?: unknown } }).data;
  return {
    scores: scores.map(withMissingNumbers),
    dataset: typeof data?.file === 'string' ? data.file : undefined,
  };
}

/** A score whose quality JSON wrote as `null` (NaN: nothing was measured) gets NaN back. */
function withMissingNumbers(score: ReportScore): ReportScore {
  const { quality } = score;
  return {
    ...score,
    quality: {
      metric: quality.metric,
      value: typeof quality.value === 'number' ? quality.value : Number.NaN,
      ...(typeof quality.lower === 'number' ? { lower: quality.lower } : {}),
      ...(typeof quality.upper === 'number' ? { upper: quality.upper } : {}),
    },
  };
}
