import type { EventEmitter } from 'eventemitter3';
import type { Clock } from '../clock/clock.js';
import type { ModelCandidate } from '../core/model-candidate.js';
import type { Task } from '../core/task.js';
import { assertKnownKeys, assertNumber } from '../core/validate.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { StoreError } from '../errors/store-error.js';
import {
  type EvaluationHistoryOptions,
  readEvaluationHistory,
} from '../evaluation/evaluator/evaluation-history.js';
import type { EvaluationScore } from '../evaluation/evaluator/evaluation-score.js';
import type { ScoutEvents } from '../events.js';
import { type AvailabilityRecord, readAvailability } from '../lifecycle/upkeep/availability-history.js';
import { type PrunedRecords, pruneHistory } from '../lifecycle/upkeep/history-retention.js';
import type { Context } from '../selection/context.js';
import type { Store } from '../store/spec.js';
import {
  BEST_MODELS_RANKINGS,
  type BestModelRow,
  type BestModelsQuery,
  latestEvaluations,
  rankEvaluations,
} from './best-models.js';
import { type ResolvedHistoryOptions, resolveHistoryOptions } from './history-options.js';
import {
  type ModelRecord,
  type ModelSighting,
  readModelRecord,
  readModelRecords,
  saveModelRecord,
} from './model-records.js';
import {
  OUTCOME_QUERY_LIMIT,
  OutcomeLog,
  type OutcomeLogEntry,
  type OutcomeQuery,
  outcomeErrorMessage,
  readOutcomes,
} from './outcome-log.js';
import {
  type IncrementQueue,
  type LatencyTrendRow,
  PerformanceRecorder,
  type PerformanceSummary,
  readLatencyTrend,
  readPerformance,
} from './performance-history.js';
import { resolveWindow, type SinceInput, sinceOf, type TimeWindow } from './time-window.js';

/** Options of {@link History.latencyTrend}. */
export interface LatencyTrendOptions extends TimeWindow {
  /**
   * Width of a row, in milliseconds: a multiple of the stored bucket width
   * (`HistoryOptions.bucketMs`), whose consecutive buckets are merged.
   * @default the stored bucket width
   */
  readonly bucketMs?: number;
}

/** Options of {@link History.models}. */
export interface ModelRecordQuery {
  /** Only models with this task. */
  readonly task?: Task;
}

/** Options of {@link History.prune}. */
export interface HistoryPruneOptions {
  /**
   * Records older than this are removed: a clock time in milliseconds, a `Date`, or a duration
   * before now such as `'30d'`. @default HistoryOptions.retentionMs before now
   */
  readonly olderThan?: SinceInput;
  /** Stops the pruning (rejecting with the signal's reason) when aborted. */
  readonly signal?: AbortSignal;
}

/** What {@link History.prune} removed. */
export interface HistoryPruneResult extends PrunedRecords {
  /** The cut-off, in clock milliseconds. */
  readonly olderThan: number;
}

/**
 * What a scout keeps besides its bandit statistics, and the queries over it (`scout.history`):
 *
 * - the **performance time series**: per model and bucket (`HistoryOptions.bucketMs`), additive
 *   counters of every `recordOutcome` (count, failures, quality, latency with a log-scale
 *   histogram, cost): `performance`, `latencyTrend`;
 * - **evaluation results** per model and revision (written by `scout.evaluate`): `evaluations`, `bestModels`;
 * - **model records** of what discovery found: `models`, `model`;
 * - the **availability history** (written by the lifecycle's upkeep): `availability`;
 * - the **outcome log**, when `HistoryOptions.outcomeLog` is on: `outcomes`;
 * - **retention**: `prune`, also run by the lifecycle's retention job.
 *
 * Windows (`since`, `until`) default to the last 7 days; `since` takes a time, a `Date` or a
 * duration such as `'24h'`. Every query reads the store, so it sees what every process sharing
 * it recorded (once written: `scout.flush()` writes what this one still holds).
 */
export interface History {
  /**
   * The models evaluated on `task` in the window, best first: the latest evaluation of each model
   * and revision in the window, ranked `by` its quality (or another {@link BestModelsQuery.by}),
   * each with what the model's served requests did in the window.
   */
  bestModels(query: BestModelsQuery): Promise<BestModelRow[]>;
  /** `modelId`'s latency per bucket in the window, oldest first (buckets without latencies left out). */
  latencyTrend(modelId: string, options?: LatencyTrendOptions): Promise<LatencyTrendRow[]>;
  /** Totals of `modelId`'s served requests in the window. */
  performance(modelId: string, options?: TimeWindow): Promise<PerformanceSummary>;
  /**
   * Entries of the outcome log in the window, newest first (this process's buffered entries are
   * written first, so they are included). Empty unless some process sharing the store keeps the
   * log (`HistoryOptions.outcomeLog`).
   */
  outcomes(query?: OutcomeQuery): Promise<OutcomeLogEntry[]>;
  /** The model records (of models with `task` when given), by id. */
  models(query?: ModelRecordQuery): Promise<ModelRecord[]>;
  /** The record of model `id`, or `undefined` when discovery never reported it. */
  model(id: string): Promise<ModelRecord | undefined>;
  /** `modelId`'s availability checks, oldest first (see the lifecycle's upkeep). */
  availability(modelId: string): Promise<AvailabilityRecord[]>;
  /** `modelId`'s stored evaluations, newest first (optionally of one revision or task). */
  evaluations(modelId: string, options?: EvaluationHistoryOptions): Promise<EvaluationScore[]>;
  /**
   * Removes performance buckets, outcome log chunks, evaluation results and availability records
   * older than `olderThan` (see {@link HistoryPruneOptions}): a performance bucket once it ends at
   * or before the cut-off, an outcome log chunk once its newest entry is older. Model records and
   * the bandit statistics are kept.
   */
  prune(options?: HistoryPruneOptions): Promise<HistoryPruneResult>;
  /** The options in effect, defaults applied. */
  readonly options: ResolvedHistoryOptions;
}

/** What the scout shares with its history. @internal */
export interface HistoryDependencies {
  readonly store: Store;
  readonly namespace: string;
  readonly clock: Clock;
  /** The learning state's write queue: performance increments are written with the statistics. */
  readonly increments: IncrementQueue;
  /** The scout's emitter: discovery's events are read from it, `history_error` emitted on it. */
  readonly events: EventEmitter<ScoutEvents>;
}

/** A history and what the scout calls on it. @internal */
export interface HistorySetup {
  readonly history: History;
  /**
   * Records one outcome (already validated) in the performance time series and the outcome log.
   * Its increment is queued in the learning state, which writes it with the outcome's own batch.
   */
  recordOutcome(
    modelId: string,
    reward: number | undefined,
    latencyMs: number | undefined,
    costUsd: number | undefined,
    error: unknown,
    context: Context | undefined,
  ): void;
  /**
   * Writes the outcome log's buffer and waits for model records being written. Never rejects.
   * (Performance increments are in the learning state's queue: its `flush` writes them.)
   */
  flush(): Promise<void>;
  /**
   * Flushes, then stops: discovery's events no longer write model records and the outcome log
   * arms no timer (a chunk that still fails is no longer retried every `outcomeLogFlushIntervalMs`
   * against a store being closed). For `scout.close()`. Never rejects.
   */
  close(): Promise<void>;
}

const WINDOW_KEYS = ['since', 'until'];
const DONE: Promise<void> = Promise.resolve();

function assertObject(argument: string, value: unknown): asserts value is object {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidArgumentError({ argument, value, message: 'must be an object' });
  }
}

function assertId(argument: string, value: unknown): asserts value is string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new InvalidArgumentError({ argument, value, message: 'must be a non-empty string' });
  }
}

function assertOptionalString(argument: string, value: unknown): void {
  if (value !== undefined) assertId(argument, value);
}

/**
 * Builds the history of a scout: validates `options` (named `argument`), subscribes to
 * discovery's events for model records, and returns the facade and the scout's hooks.
 * @throws {InvalidArgumentError} for invalid options.
 * @internal
 */
export function setUpHistory(
  options: unknown,
  dependencies: HistoryDependencies,
  argument = 'options.history',
): HistorySetup {
  const settings = resolveHistoryOptions(options, argument);
  const { store, namespace, clock, events } = dependencies;

  const recorder = settings.performance
    ? new PerformanceRecorder(namespace, settings.bucketMs, dependencies.increments)
    : undefined;
  const outcomeLog = settings.outcomeLog
    ? new OutcomeLog({
        store,
        namespace,
        clock,
        chunkSize: settings.outcomeLogChunkSize,
        flushIntervalMs: settings.outcomeLogFlushIntervalMs,
        retentionMs: settings.retentionMs,
        onFailure: (failure) => events.emit('history_error', { record: 'outcomes', ...failure }),
      })
    : undefined;

  // Model records: one write at a time per model (in event order); `flush` waits for them.
  const modelWrites = new Map<string, Promise<void>>();
  function sighted(candidate: ModelCandidate, sighting: ModelSighting): void {
    const time = clock.now();
    const id = candidate.id;
    const write = (modelWrites.get(id) ?? DONE)
      .then(() => saveModelRecord(store, namespace, candidate, sighting, time))
      .catch((error: unknown) => {
        events.emit('history_error', {
          record: 'model',
          error: StoreError.isInstance(error)
            ? error
            : new StoreError({
                store: store.name,
                message: `writing the record of '${id}' failed: ${error instanceof Error ? error.message : String(error)}`,
                cause: error,
                isRetryable: true,
              }),
          bufferedOutcomes: outcomeLog?.bufferedOutcomes ?? 0,
          droppedOutcomes: 0,
        });
      })
      .finally(() => {
        if (modelWrites.get(id) === write) modelWrites.delete(id);
      });
    modelWrites.set(id, write);
  }
  const seen = ({ candidate }: { candidate: ModelCandidate }) => sighted(candidate, 'seen');
  const removed = ({ candidate }: { candidate: ModelCandidate }) => sighted(candidate, 'removed');
  if (settings.modelRecords) {
    events.on('model_added', seen);
    events.on('model_updated', seen);
    events.on('model_removed', removed);
  }

  async function flush(): Promise<void> {
    await outcomeLog?.flush();
    while (modelWrites.size > 0) await Promise.all(modelWrites.values());
  }

  async function close(): Promise<void> {
    events.off('model_added', seen);
    events.off('model_updated', seen);
    events.off('model_removed', removed);
    await outcomeLog?.close();
    while (modelWrites.size > 0) await Promise.all(modelWrites.values());
  }

  function recordOutcome(
    modelId: string,
    reward: number | undefined,
    latencyMs: number | undefined,
    costUsd: number | undefined,
    error: unknown,
    context: Context | undefined,
  ): void {
    if (recorder === undefined && outcomeLog === undefined) return;
    const time = clock.now();
    if (outcomeLog !== undefined) {
      const entry: { -readonly [Key in keyof OutcomeLogEntry]: OutcomeLogEntry[Key] } = { at: time, modelId };
      if (context !== undefined) entry.context = { ...context };
      if (reward !== undefined) entry.reward = reward;
      if (latencyMs !== undefined) entry.latencyMs = latencyMs;
      if (costUsd !== undefined) entry.costUsd = costUsd;
      if (error !== undefined) entry.error = outcomeErrorMessage(error);
      outcomeLog.append(entry);
    }
    recorder?.record(modelId, time, reward, latencyMs, costUsd, error !== undefined || reward === 0);
  }

  function windowOf(value: object, argument: string, keys: readonly string[]) {
    assertKnownKeys(argument, value, keys);
    return resolveWindow(value as TimeWindow, clock.now(), settings.windowMs, argument);
  }

  const history: History = {
    options: settings,

    async bestModels(query) {
      assertObject('query', query);
      const window = windowOf(query, 'query', [...WINDOW_KEYS, 'task', 'dataset', 'limit', 'by']);
      assertId('query.task', query.task);
      assertOptionalString('query.dataset', query.dataset);
      const by = query.by ?? 'quality';
      if (!BEST_MODELS_RANKINGS.includes(by)) {
        throw new InvalidArgumentError({
          argument: 'query.by',
          value: by,
          message: `must be one of ${BEST_MODELS_RANKINGS.join(', ')}`,
        });
      }
      const limit = query.limit ?? Number.POSITIVE_INFINITY;
      if (query.limit !== undefined) assertNumber('query.limit', limit, { integer: true, minimum: 1 });
      const evaluations = await latestEvaluations(store, namespace, query.task, query.dataset, window);
      const modelIds = [...new Set(evaluations.map(({ evaluation }) => evaluation.modelId))];
      const summaries = await Promise.all(
        modelIds.map((modelId) => readPerformance(store, namespace, modelId, window, settings.bucketMs)),
      );
      const served = new Map(summaries.map((summary) => [summary.modelId, summary]));
      return rankEvaluations(evaluations, served, by, limit);
    },

    async latencyTrend(modelId, trendOptions = {}) {
      assertId('modelId', modelId);
      assertObject('options', trendOptions);
      const window = windowOf(trendOptions, 'options', [...WINDOW_KEYS, 'bucketMs']);
      const trendBucketMs = trendOptions.bucketMs ?? settings.bucketMs;
      assertNumber('options.bucketMs', trendBucketMs, { integer: true, minimum: settings.bucketMs });
      if (trendBucketMs % settings.bucketMs !== 0) {
        throw new InvalidArgumentError({
          argument: 'options.bucketMs',
          value: trendBucketMs,
          message: `must be a multiple of the stored bucket width (${settings.bucketMs} ms)`,
        });
      }
      return readLatencyTrend(store, namespace, modelId, window, settings.bucketMs, trendBucketMs);
    },

    async performance(modelId, windowOptions = {}) {
      assertId('modelId', modelId);
      assertObject('options', windowOptions);
      const window = windowOf(windowOptions, 'options', WINDOW_KEYS);
      return readPerformance(store, namespace, modelId, window, settings.bucketMs);
    },

    async outcomes(query = {}) {
      assertObject('query', query);
      const window = windowOf(query, 'query', [...WINDOW_KEYS, 'modelId', 'limit']);
      assertOptionalString('query.modelId', query.modelId);
      const limit = query.limit ?? OUTCOME_QUERY_LIMIT;
      assertNumber('query.limit', limit, { integer: true, minimum: 1 });
      await outcomeLog?.flush();
      return readOutcomes(store, namespace, window, query.modelId, limit);
    },

    async models(query = {}) {
      assertObject('query', query);
      assertKnownKeys('query', query, ['task']);
      assertOptionalString('query.task', query.task);
      return readModelRecords(store, namespace, query.task);
    },

    async model(id) {
      assertId('id', id);
      return readModelRecord(store, namespace, id);
    },

    async availability(modelId) {
      assertId('modelId', modelId);
      return readAvailability(store, namespace, modelId);
    },

    async evaluations(modelId, evaluationOptions = {}) {
      assertId('modelId', modelId);
      assertObject('options', evaluationOptions);
      assertKnownKeys('options', evaluationOptions, ['revision', 'task']);
      assertOptionalString('options.revision', evaluationOptions.revision);
      assertOptionalString('options.task', evaluationOptions.task);
      return readEvaluationHistory(store, namespace, modelId, evaluationOptions);
    },

    async prune(pruneOptions = {}) {
      assertObject('options', pruneOptions);
      assertKnownKeys('options', pruneOptions, ['olderThan', 'signal']);
      const { signal } = pruneOptions;
      if (signal !== undefined && !(signal instanceof AbortSignal)) {
        throw new InvalidArgumentError({
          argument: 'options.signal',
          value: signal,
          message: 'must be an AbortSignal',
        });
      }
      const now = clock.now();
      const olderThan =
        pruneOptions.olderThan === undefined
          ? now - settings.retentionMs
          : sinceOf(pruneOptions.olderThan, now, 'options.olderThan');
      signal?.throwIfAborted();
      const removed = await pruneHistory(store, namespace, olderThan, signal, settings.bucketMs);
      return { olderThan, ...removed };
    },
  };

  return { history, recordOutcome, flush, close };
}
