import { EventEmitter } from 'eventemitter3';
import type { Clock } from '../../clock/clock.js';
import { isTask } from '../../core/task.js';
import { unlessAborted } from '../../core/unless-aborted.js';
import { assertKnownKeys, assertNamespace } from '../../core/validate.js';
import { EvaluationError, type EvaluationFailure } from '../../errors/evaluation-error.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import { StoreError } from '../../errors/store-error.js';
import type { EvaluationEvents } from '../../events.js';
import type { RandomSource } from '../../random/index.js';
import { seededRandom } from '../../random/seeded-random.js';
import { memoryStore } from '../../store/memory-store.js';
import type { Store } from '../../store/spec.js';
import type { InferenceRunner } from '../spec.js';
import { CandidateRun, type RunContext } from './candidate-run.js';
import type { EvaluationSettings, ResolvedSettings } from './evaluation-defaults.js';
import {
  type EvaluationHistoryOptions,
  readEvaluationHistory,
  saveEvaluation,
} from './evaluation-history.js';
import type { EvaluateOptions, EvaluationRequest } from './evaluation-request.js';
import type { EvaluationScore } from './evaluation-score.js';
import { type ExampleReader, ExampleSource } from './example-source.js';
import { decideIntervalRace, decidePairedRace, type RaceDecision } from './race-decision.js';
import { assertRunners, resolveCandidates } from './resolve-candidate.js';
import { DEFAULT_SETTINGS, resolveSettings, SETTING_KEYS } from './resolve-settings.js';

/** Options of {@link createEvaluator}. */
export interface EvaluatorOptions {
  /** Runners to choose from: each candidate gets the first whose `supports(candidate, task)` is true. @default [] */
  readonly runners?: readonly InferenceRunner[];
  /** Where the evaluation history is kept. @default memoryStore() */
  readonly store?: Store;
  /** Separates this evaluator's history from others in the same store (no `:`). @default 'default' */
  readonly namespace?: string;
  /**
   * Time for budgets, latencies, load times, ETAs and timestamps. @default highResolutionClock
   * (`performance.timeOrigin + performance.now()`: sub-millisecond, for per-item latencies)
   */
  readonly clock?: Clock;
  /** Source of the bootstrap resampling of the metrics. @default seededRandom() */
  readonly random?: RandomSource;
  /** Overrides of {@link EVALUATION_DEFAULTS} for every request. @default EVALUATION_DEFAULTS */
  readonly defaults?: EvaluationSettings;
  /** Where events go (a scout passes its own). @default a new emitter */
  readonly events?: EventEmitter<EvaluationEvents>;
}

/** Measures candidates on labeled data. */
export interface Evaluator {
  /** The settings requests start from ({@link EVALUATION_DEFAULTS} with the evaluator's `defaults`). */
  readonly defaults: ResolvedSettings;
  /** `evaluation_started`, `evaluation_progress`, `candidate_eliminated`, `evaluation_finished`. */
  readonly events: EventEmitter<EvaluationEvents>;
  /**
   * Evaluates every candidate on the request's data and resolves to one score per candidate, in
   * request order. Scores that stopped early say so (`partial`, `stopReason`); candidates that
   * could not be loaded have `samples: 0` and an `error`. Each score with samples is appended to
   * the store's history.
   *
   * @throws InvalidArgumentError for an invalid request: no or duplicate candidates, an unknown
   *   option, a budget ≤ 0, a task without metrics, data without a single labeled example.
   * @throws EvaluationError when no candidate could be evaluated (no runner, every load failed).
   * Aborting `options.signal` disposes the models and rejects with the signal's reason.
   */
  evaluate<Input, Label>(
    request: EvaluationRequest<Input, Label>,
    options?: EvaluateOptions,
  ): Promise<EvaluationScore[]>;
  /** The stored evaluations of `modelId`, newest first (optionally of one revision or task). */
  getEvaluationHistory(modelId: string, options?: EvaluationHistoryOptions): Promise<EvaluationScore[]>;
}

/** A clock with sub-millisecond resolution: `performance.timeOrigin + performance.now()`. */
export const highResolutionClock: Clock = Object.freeze({
  now: () => performance.timeOrigin + performance.now(),
});

/** Request keys that are settings (the others: `candidates`, `data`, `race`, `datasetId`). */
const REQUEST_SETTING_KEYS = SETTING_KEYS.filter(
  (key) => !['race', 'historyLimit', 'warmStartWeight', 'progressIntervalMs'].includes(key),
);
const REQUEST_KEYS = ['candidates', 'data', 'race', 'datasetId', ...REQUEST_SETTING_KEYS];
const OPTION_KEYS = ['runners', 'store', 'namespace', 'clock', 'random', 'defaults', 'events'];
/** Examples read at a time when not racing (each candidate predicts them in batches of `batchSize`). */
const CHUNK = 64;

/**
 * Creates an evaluator: it loads each candidate with its runner, predicts the request's labeled
 * examples within a time budget and a sample cap, scores the predictions with the task's metrics
 * (`scoreTask`), measures latency, throughput, load time and memory, and keeps each score in the
 * store's history. With `race`, the candidates predict the same examples in interleaved rounds and
 * those clearly below the leader are stopped early (see `decidePairedRace`).
 *
 * @example
 * ```ts
 * const evaluator = createEvaluator({ runners: [transformersJsRunner()] });
 * const scores = await evaluator.evaluate({
 *   candidates: ['Xenova/distilbert-base-uncased-finetuned-sst-2-english', './models/my-classifier'],
 *   data: { task: 'text-classification', examples: [{ input: 'great film', label: 'POSITIVE' }] },
 *   race: true,
 * });
 * ```
 */
export function createEvaluator(options: EvaluatorOptions = {}): Evaluator {
  if (options === null || typeof options !== 'object') {
    throw new InvalidArgumentError({ argument: 'options', value: options, message: 'must be an object' });
  }
  assertKnownKeys('options', options, OPTION_KEYS);
  const runners = options.runners ?? [];
  assertRunners(runners, 'options.runners');
  const namespace = options.namespace ?? 'default';
  assertNamespace(namespace, 'options.namespace');
  const clock = options.clock ?? highResolutionClock;
  if (typeof clock?.now !== 'function') {
    throw new InvalidArgumentError({ argument: 'options.clock', value: clock, message: 'must be a Clock' });
  }
  const store = options.store ?? memoryStore();
  const random = options.random ?? seededRandom();
  const defaults = resolveSettings(DEFAULT_SETTINGS, options.defaults, 'options.defaults');
  const events = options.events ?? new EventEmitter<EvaluationEvents>();

  function reportProgress(run: CandidateRun, total: number | undefined, settings: ResolvedSettings): void {
    if (events.listenerCount('evaluation_progress') === 0 || !run.progressDue()) return;
    const done = run.samples;
    let etaMs: number | undefined;
    if (run.stopReason !== undefined) etaMs = 0;
    else if (total !== undefined && done > 0) {
      const remainingBudget = Math.max(0, settings.budgetMs - run.predictMs);
      etaMs = Math.min((run.predictMs / done) * Math.max(0, total - done), remainingBudget);
    }
    events.emit('evaluation_progress', { modelId: run.id, done, total, etaMs });
  }

  async function runSequential(
    runs: CandidateRun[],
    source: ExampleSource,
    settings: ResolvedSettings,
    signal: AbortSignal | undefined,
  ) {
    const chunk = Math.max(settings.batchSize, CHUNK);
    for (const run of runs) {
      await run.load();
      const reader = abortableReader(source.reader(), signal);
      while (run.active) {
        const examples = await reader.next(chunk);
        if (examples.length === 0) run.stop((await reader.hasMore()) ? 'max-samples' : 'completed');
        else await run.predict(examples);
        reportProgress(run, source.expectedSize, settings);
      }
      await run.dispose();
    }
  }

  /** Successive elimination over interleaved rounds; returns the winner when the race decided one. */
  async function runRace(
    runs: CandidateRun[],
    source: ExampleSource,
    settings: ResolvedSettings,
    signal: AbortSignal | undefined,
  ): Promise<string | undefined> {
    const { confidence, minSamples, roundSize, tolerance, tightestAt } = settings.race;
    for (const run of runs) await run.load();
    let survivors = runs.filter((run) => run.active);
    const contenders = survivors.length;
    const pairs = (contenders * (contenders - 1)) / 2;
    const reader = abortableReader(source.reader(), signal);
    let paired = true;
    let looks = 0;
    let decided = false;
    let winner: string | undefined;
    const stopSurvivor = (
      run: CandidateRun,
      reason: 'eliminated' | 'race-decided',
      leader: string,
      upperDifference: number | undefined,
    ) => {
      run.stop(reason);
      if (run.id !== leader) {
        if (reason === 'eliminated') run.eliminatedBy = leader;
        if (events.listenerCount('candidate_eliminated') > 0) {
          events.emit('candidate_eliminated', {
            modelId: run.id,
            leader,
            samples: reader.position,
            reason,
            upperDifference,
          });
        }
      }
      reportProgress(run, source.expectedSize, settings);
    };
    while (survivors.length > 0) {
      const examples = await reader.next(roundSize);
      if (examples.length === 0) {
        const more = await reader.hasMore();
        for (const run of survivors) {
          run.stop(more ? 'max-samples' : 'completed');
          reportProgress(run, source.expectedSize, settings);
        }
        break;
      }
      for (const run of survivors) {
        await run.predict(examples);
        reportProgress(run, source.expectedSize, settings);
      }
      survivors = survivors.filter((run) => run.active);
      if (survivors.length < 2) {
        if (decided && survivors.length === 1) {
          winner = survivors[0]!.id;
          stopSurvivor(survivors[0]!, 'race-decided', winner, undefined);
        }
        continue;
      }
      if (paired) {
        for (const run of survivors) paired = run.addValues(examples.length) && paired;
      }
      if (reader.position < minSamples) continue;
      looks++;
      const decision: RaceDecision = paired
        ? decidePairedRace(
            survivors.map((run) => ({ id: run.id, values: run.values })),
            { alpha: (1 - confidence) / pairs, tolerance, tightestAt },
          )
        : decideIntervalRace(
            survivors.map((run) => ({
              id: run.id,
              quality: run.qualityAt(1 - (1 - confidence) / (contenders * looks * (looks + 1))),
            })),
            tolerance,
          );
      const byId = new Map(survivors.map((run) => [run.id, run]));
      for (const { id, upperDifference } of decision.eliminated) {
        decided = true;
        stopSurvivor(byId.get(id)!, 'eliminated', decision.leader, upperDifference);
      }
      survivors = survivors.filter((run) => run.active);
      if (decision.decided || (decided && survivors.length === 1)) {
        decided = true;
        winner = decision.leader;
        for (const run of survivors) stopSurvivor(run, 'race-decided', decision.leader, undefined);
        survivors = [];
      }
    }
    for (const run of runs) await run.dispose();
    return winner;
  }

  async function evaluate<Input, Label>(
    request: EvaluationRequest<Input, Label>,
    evaluateOptions: EvaluateOptions = {},
  ): Promise<EvaluationScore[]> {
    if (request === null || typeof request !== 'object') {
      throw new InvalidArgumentError({ argument: 'request', value: request, message: 'must be an object' });
    }
    assertKnownKeys('request', request, REQUEST_KEYS);
    if (evaluateOptions === null || typeof evaluateOptions !== 'object') {
      throw new InvalidArgumentError({
        argument: 'options',
        value: evaluateOptions,
        message: 'must be an object',
      });
    }
    const { signal } = evaluateOptions;
    if (signal !== undefined && !(signal instanceof AbortSignal)) {
      throw new InvalidArgumentError({
        argument: 'options.signal',
        value: signal,
        message: 'must be an AbortSignal',
      });
    }
    const { candidates, data, race, datasetId, ...overrides } = request;
    if (race !== undefined && typeof race !== 'boolean' && (race === null || typeof race !== 'object')) {
      throw new InvalidArgumentError({
        argument: 'request.race',
        value: race,
        message: 'must be a boolean or an object of race options',
      });
    }
    const racing = race === true || (typeof race === 'object' && race !== null);
    const settings = resolveSettings(
      defaults,
      typeof race === 'object' ? { ...overrides, race } : overrides,
      'request',
      [...REQUEST_SETTING_KEYS, 'race'],
    );
    if (data === null || typeof data !== 'object') {
      throw new InvalidArgumentError({
        argument: 'request.data',
        value: data,
        message: 'must be { task, examples }',
      });
    }
    const { task } = data;
    if (!isTask(task)) {
      throw new InvalidArgumentError({
        argument: 'request.data.task',
        value: task,
        message: 'must be a task of the @huggingface/tasks taxonomy, e.g. text-classification',
      });
    }
    if (datasetId !== undefined && (typeof datasetId !== 'string' || datasetId.length === 0)) {
      throw new InvalidArgumentError({
        argument: 'request.datasetId',
        value: datasetId,
        message: 'must be a non-empty string',
      });
    }
    const resolved = resolveCandidates(candidates, task, runners);
    signal?.throwIfAborted();
    const source = new ExampleSource(task, data.examples, settings.maxSamples);
    let usable: boolean;
    try {
      usable = await abortableReader(source.reader(), signal).hasMore();
    } catch (error) {
      source.close();
      throw error;
    }
    if (!usable) {
      const { unlabeled, invalid } = source.skipped;
      throw new InvalidArgumentError({
        argument: 'request.data.examples',
        value: { unlabeled, invalid },
        message:
          unlabeled + invalid === 0
            ? 'is empty: there is nothing to evaluate'
            : `has no usable example: ${unlabeled} without a label, ${invalid} invalid (not { input, label }, or a label the '${task}' scorer rejects)`,
      });
    }
    const started = clock.now();
    const context: RunContext = { task, settings, clock, random, signal };
    const runs = resolved.map((candidate) => new CandidateRun(candidate, context));
    if (events.listenerCount('evaluation_started') > 0) {
      events.emit('evaluation_started', {
        candidates: runs.map((run) => run.id),
        task,
        race: racing && runs.length > 1,
        total: source.expectedSize,
      });
    }
    let winner: string | undefined;
    try {
      if (racing && runs.length > 1) winner = await runRace(runs, source, settings, signal);
      else await runSequential(runs, source, settings, signal);
    } finally {
      source.close();
      await Promise.all(runs.map((run) => run.dispose()));
    }
    const dataset = datasetId ?? source.datasetFingerprint();
    const isRace = racing && runs.length > 1;
    let scores = runs.map((run) =>
      run.finish({ headlineMetric: source.headlineMetric, dataset, skipped: source.skipped, racing: isRace }),
    );
    const failures: EvaluationFailure[] = scores.flatMap((score) =>
      score.stopReason === 'no-runner' || score.stopReason === 'load-failed'
        ? [{ modelId: score.modelId, reason: score.stopReason, message: score.error ?? 'unknown failure' }]
        : [],
    );
    if (failures.length === scores.length) throw new EvaluationError({ failures });
    if (isRace) {
      winner ??= bestOf(scores);
      scores = scores.map((score) =>
        score.modelId === winner ? { ...score, race: { winner: true } } : score,
      );
    }
    let storeError: StoreError | undefined;
    for (const score of scores) {
      if (score.samples === 0) continue;
      try {
        await saveEvaluation(store, namespace, score, clock.now(), defaults.historyLimit);
      } catch (error) {
        storeError ??= StoreError.isInstance(error)
          ? error
          : new StoreError({
              store: store.name,
              message: `saving an evaluation failed: ${String(error)}`,
              cause: error,
            });
      }
    }
    if (events.listenerCount('evaluation_finished') > 0) {
      events.emit('evaluation_finished', { scores, durationMs: clock.now() - started, winner, storeError });
    }
    return scores;
  }

  return {
    defaults,
    events,
    evaluate,
    async getEvaluationHistory(modelId, historyOptions = {}) {
      if (typeof modelId !== 'string' || modelId.length === 0) {
        throw new InvalidArgumentError({
          argument: 'modelId',
          value: modelId,
          message: 'must be a non-empty string',
        });
      }
      return readEvaluationHistory(store, namespace, modelId, historyOptions);
    },
  };
}

/** `reader`, whose reads reject with `signal`'s reason when it aborts instead of waiting for the data. */
function abortableReader(reader: ExampleReader, signal: AbortSignal | undefined): ExampleReader {
  if (signal === undefined) return reader;
  return {
    next: (count) => unlessAborted(reader.next(count), signal),
    get position() {
      return reader.position;
    },
    hasMore: () => unlessAborted(reader.hasMore(), signal),
  };
}

/** The best score of a race that ran out of data: the highest quality among those not stopped by the race or failures. */
function bestOf(scores: readonly EvaluationScore[]): string | undefined {
  let best: EvaluationScore | undefined;
  for (const score of scores) {
    if (score.samples === 0 || score.stopReason === 'eliminated' || score.stopReason === 'runner-failed')
      continue;
    if (best === undefined || score.quality.value > best.quality.value) best = score;
  }
  return best?.modelId;
}
