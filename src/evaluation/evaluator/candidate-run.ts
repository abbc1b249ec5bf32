import type { Clock } from '../../clock/clock.js';
import type { QualityMeasurement } from '../../core/model-score.js';
import type { Task } from '../../core/task.js';
import type { LabeledExample } from '../../core/test-data.js';
import { RunnerError } from '../../errors/runner-error.js';
import type { RandomSource } from '../../random/index.js';
import { isLoadedModel } from '../is-loaded-model.js';
import { scoreTask } from '../metrics/index.js';
import { estimateMemoryBytes, onnxFilesFor } from '../runners/memory-estimate.js';
import { DTYPE_PREFERENCE } from '../runners/transformers-js-runner.js';
import type { LoadedModel, Prediction } from '../spec.js';
import type { ScoredExample, TaskScore } from '../task-score.js';
import { CallGuard } from './call-guard.js';
import { withDeadline } from './deadline.js';
import type { ResolvedSettings } from './evaluation-defaults.js';
import type { EvaluationScore, EvaluationStopReason, SkippedExamples } from './evaluation-score.js';
import { latencyPercentiles } from './latency-percentiles.js';
import { sampleMemory, sampleResidentSetSize } from './memory-probe.js';
import type { ResolvedCandidate } from './resolve-candidate.js';

/** Sample the resident set size at most this often, in clock milliseconds (reading it costs microseconds). */
const MEMORY_SAMPLE_INTERVAL_MS = 50;
const CLASSIFICATION_TASKS: readonly Task[] = ['text-classification', 'zero-shot-classification'];

/** What a run shares with the evaluation it belongs to. @internal */
export interface RunContext {
  readonly task: Task;
  readonly settings: ResolvedSettings;
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly signal: AbortSignal | undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Whether `prediction` has the shape of a {@link Prediction}: an object with an output, finite numbers. */
function isWellFormed(prediction: unknown): prediction is Prediction {
  if (prediction === null || typeof prediction !== 'object') return false;
  const { output, scores } = prediction as Prediction;
  if (output === undefined || (typeof output === 'number' && !Number.isFinite(output))) return false;
  if (scores === undefined) return true;
  if (scores === null || typeof scores !== 'object') return false;
  for (const value of Object.values(scores))
    if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  return true;
}

/**
 * One candidate's evaluation: loads its model, predicts the examples it is given (in batches of
 * `batchSize`, each bounded by the prediction timeout and the remaining budget), records failures
 * as wrong predictions, and turns what it measured into an {@link EvaluationScore}.
 * @internal
 */
export class CandidateRun {
  readonly id: string;
  /** Examples predicted (failed predictions included), with what was predicted. */
  readonly scored: ScoredExample[] = [];
  /** Per-example values of the headline metric, for racing. */
  readonly values: number[] = [];
  stopReason: EvaluationStopReason | undefined;
  error: string | undefined;
  eliminatedBy: string | undefined;
  winner: boolean | undefined;
  /** Milliseconds spent in `predict` (the budget's measure). */
  predictMs = 0;
  private model: LoadedModel | undefined;
  private guard: CallGuard | undefined;
  private readonly latencies: number[] = [];
  private readonly failures = {
    errors: 0,
    timeouts: 0,
    malformed: 0,
    firstError: undefined as string | undefined,
  };
  private consecutiveFailures = 0;
  private loadMs = 0;
  private memoryBefore = 0;
  private loadRssBytes = 0;
  private loadHeapBytes = 0;
  private peakRss = 0;
  private lastMemorySample = Number.NEGATIVE_INFINITY;
  private reportedMemoryBytes: number | undefined;
  private loadedDtype: string | undefined;
  private estimatedMemoryBytes: number | undefined;
  private lastProgress = Number.NEGATIVE_INFINITY;

  constructor(
    readonly resolved: ResolvedCandidate,
    private readonly context: RunContext,
  ) {
    this.id = resolved.candidate.id;
  }

  /** Whether it still predicts (loaded and not stopped). */
  get active(): boolean {
    return this.stopReason === undefined && this.model !== undefined;
  }

  /** Whether it predicted anything. */
  get samples(): number {
    return this.scored.length;
  }

  stop(reason: EvaluationStopReason, error?: string): void {
    if (this.stopReason !== undefined) return;
    this.stopReason = reason;
    if (error !== undefined) this.error = error;
  }

  /** Whether a progress event is due (at most one per `progressIntervalMs`; always when stopped). */
  progressDue(): boolean {
    const now = this.context.clock.now();
    if (this.stopReason === undefined && now - this.lastProgress < this.context.settings.progressIntervalMs) {
      return false;
    }
    this.lastProgress = now;
    return true;
  }

  /** Loads the model; a missing runner, a failed or timed-out load stops the run. Rejects only on abort. */
  async load(): Promise<void> {
    const { runner, candidate, dtype } = this.resolved;
    const { task, settings, clock, signal } = this.context;
    if (runner === undefined) {
      this.stop('no-runner', `no runner supports '${candidate.id}' for '${task}'`);
      return;
    }
    const estimateDtype = dtype ?? DTYPE_PREFERENCE.find((each) => candidate.dtypes?.includes(each));
    this.estimatedMemoryBytes =
      estimateDtype === undefined ? undefined : estimateMemoryBytes(candidate, estimateDtype);
    const before = sampleMemory();
    const start = clock.now();
    const outcome = await withDeadline(
      (loadSignal) =>
        runner.load(candidate, task, { ...(dtype === undefined ? {} : { dtype }), signal: loadSignal }),
      settings.loadTimeoutMs,
      signal,
      (late) => {
        if (isLoadedModel(late)) Promise.resolve(late.dispose()).catch(() => undefined);
      },
    );
    const elapsed = clock.now() - start;
    if (outcome.kind === 'aborted') throw outcome.reason;
    if (outcome.kind === 'timeout') {
      this.stop('load-failed', `loading timed out after ${settings.loadTimeoutMs} ms`);
      return;
    }
    if (outcome.kind === 'error') {
      this.stop('load-failed', messageOf(outcome.error));
      return;
    }
    if (!isLoadedModel(outcome.value)) {
      const value: unknown = outcome.value;
      const dispose = (value as { dispose?: unknown } | null)?.dispose;
      if (typeof dispose === 'function') {
        // Release what it holds, without waiting for (or trusting) it.
        Promise.resolve()
          .then(() => dispose.call(value))
          .catch(() => undefined);
      }
      this.stop('load-failed', `the runner's load resolved to ${safeJson(value)}, not a loaded model`);
      return;
    }
    const after = sampleMemory();
    this.model = outcome.value;
    this.guard = new CallGuard(signal);
    const reportedLoadMs = this.model.loadMs;
    this.loadMs =
      typeof reportedLoadMs === 'number' && Number.isFinite(reportedLoadMs) && reportedLoadMs >= 0
        ? reportedLoadMs
        : elapsed;
    this.memoryBefore = before.rss;
    this.loadRssBytes = Math.max(0, after.rss - before.rss);
    this.loadHeapBytes = Math.max(0, after.heapUsed - before.heapUsed);
    this.peakRss = after.rss;
    const { memoryBytes, dtype: loadedDtype } = this.model;
    if (typeof memoryBytes === 'number' && Number.isFinite(memoryBytes))
      this.reportedMemoryBytes = memoryBytes;
    this.loadedDtype = typeof loadedDtype === 'string' ? loadedDtype : dtype;
  }

  /**
   * Predicts `examples` in batches of `batchSize`, until done or stopped (budget, failures).
   * Rejects only when the evaluation's signal aborts.
   */
  async predict(examples: readonly LabeledExample[]): Promise<void> {
    const { batchSize } = this.context.settings;
    for (let start = 0; start < examples.length && this.active; start += batchSize) {
      await this.predictBatch(examples.slice(start, start + batchSize), true);
    }
    const now = this.context.clock.now();
    if (now - this.lastMemorySample >= MEMORY_SAMPLE_INTERVAL_MS) {
      this.lastMemorySample = now;
      this.peakRss = Math.max(this.peakRss, sampleResidentSetSize());
    }
  }

  private async predictBatch(batch: readonly LabeledExample[], retryItems: boolean): Promise<void> {
    const { settings, clock } = this.context;
    const model = this.model!;
    const remaining = settings.budgetMs - this.predictMs;
    if (remaining <= 0) {
      this.stop('budget');
      return;
    }
    const timeoutMs = Math.min(settings.predictionTimeoutMs, remaining);
    const inputs = batch.map((example) => example.input);
    const start = clock.now();
    const outcome = await this.guard!.run(
      (predictSignal) => model.predict(inputs, { signal: predictSignal }),
      timeoutMs,
    );
    const elapsed = clock.now() - start;
    this.predictMs += elapsed;
    if (outcome.kind === 'aborted') throw outcome.reason;
    if (outcome.kind === 'timeout') {
      if (timeoutMs < settings.predictionTimeoutMs) {
        // The budget ended during the call: its items were not predicted.
        this.stop('budget');
        return;
      }
      for (const example of batch) this.recordFailure(example, 'timeouts', `timed out after ${timeoutMs} ms`);
      return;
    }
    if (outcome.kind === 'value' && Array.isArray(outcome.value) && outcome.value.length === batch.length) {
      const latency = elapsed / batch.length;
      this.consecutiveFailures = 0;
      outcome.value.forEach((prediction: unknown, index) => {
        const example = batch[index]!;
        if (isWellFormed(prediction)) {
          this.scored.push({ prediction, label: example.label });
          this.latencies.push(latency);
        } else {
          this.failures.malformed++;
          this.failures.firstError ??= `malformed prediction: ${safeJson(prediction)}`;
          const usable =
            prediction !== null && typeof prediction === 'object'
              ? (prediction as Prediction)
              : { output: undefined };
          this.scored.push({ prediction: usable, label: example.label });
        }
      });
      return;
    }
    const error =
      outcome.kind === 'error'
        ? outcome.error
        : new Error(`expected ${batch.length} predictions, got ${safeJson(outcome.value)}`);
    if (RunnerError.isInstance(error) && error.reason === 'disposed') {
      for (const example of batch) this.recordFailure(example, 'errors', messageOf(error));
      this.stop('runner-failed', messageOf(error));
      return;
    }
    if (retryItems && batch.length > 1) {
      // Find the rows it fails on: one at a time.
      for (const example of batch) {
        if (!this.active) return;
        await this.predictBatch([example], false);
      }
      return;
    }
    const kind = outcome.kind === 'error' ? 'errors' : 'malformed';
    for (const example of batch) this.recordFailure(example, kind, messageOf(error));
  }

  private recordFailure(
    example: LabeledExample,
    kind: 'errors' | 'timeouts' | 'malformed',
    message: string,
  ): void {
    this.failures[kind]++;
    this.failures.firstError ??= message;
    this.scored.push({ prediction: { output: undefined }, label: example.label });
    if (kind === 'malformed') return;
    this.consecutiveFailures++;
    if (this.consecutiveFailures >= this.context.settings.maxConsecutiveFailures) {
      this.stop(
        'runner-failed',
        `${this.consecutiveFailures} predictions in a row failed; the last: ${message}`,
      );
    }
  }

  /**
   * Appends the per-example values of the headline metric for the last `count` predictions; false
   * when the task's metric has none (corpus-level metrics).
   */
  addValues(count: number): boolean {
    const recent = this.scored.slice(this.scored.length - count);
    if (recent.length === 0) return true;
    const score = scoreTask(this.context.task, recent, { bootstrapResamples: 1 });
    if (score.perExample === undefined) return false;
    this.values.push(...score.perExample);
    return true;
  }

  /** The quality over everything predicted so far, at `confidenceLevel` (for the interval race). */
  qualityAt(confidenceLevel: number): QualityMeasurement {
    return scoreTask(this.context.task, this.scored, {
      confidenceLevel,
      bootstrapResamples: this.context.settings.bootstrapResamples,
      random: this.context.random,
    }).quality;
  }

  /** Releases the model, waiting at most `disposeTimeoutMs` (a hung model may never settle). */
  async dispose(): Promise<void> {
    const model = this.model;
    if (model === undefined) return;
    this.model = undefined;
    this.guard?.close();
    this.guard = undefined;
    await withDeadline(() => model.dispose(), this.context.settings.disposeTimeoutMs, undefined);
  }

  /** The score of what it measured. */
  finish({
    headlineMetric,
    dataset,
    skipped,
    racing,
  }: {
    headlineMetric: string | undefined;
    dataset: string;
    skipped: SkippedExamples;
    racing: boolean;
  }): EvaluationScore {
    const { task, settings, clock } = this.context;
    const { candidate, runner } = this.resolved;
    const stopReason = this.stopReason ?? 'completed';
    let score: TaskScore | undefined;
    let error = this.error;
    const scoringStart = clock.now();
    if (this.scored.length > 0) {
      try {
        score = scoreTask(task, this.scored, {
          confidenceLevel: settings.confidenceLevel,
          bootstrapResamples: settings.bootstrapResamples,
          random: this.context.random,
        });
      } catch (scoringError) {
        error ??= `scoring failed: ${messageOf(scoringError)}`;
      }
    }
    const scoringMs = clock.now() - scoringStart;
    const samples = this.scored.length;
    const memoryBytes =
      this.reportedMemoryBytes ??
      (racing ? this.loadRssBytes : Math.max(this.loadRssBytes, this.peakRss - this.memoryBefore, 0));
    const unknownLabels = CLASSIFICATION_TASKS.includes(task) ? this.unknownLabels() : [];
    const weightFiles =
      this.loadedDtype === undefined ? [] : onnxFilesFor(candidate.files ?? [], this.loadedDtype);
    const fileSizeBytes =
      weightFiles.length > 0 && weightFiles.every((file) => file.sizeBytes !== undefined)
        ? weightFiles.reduce((total, file) => total + (file.sizeBytes ?? 0), 0)
        : candidate.sizeBytes;
    let tokens = 0;
    let tokenReports = 0;
    for (const { prediction } of this.scored) {
      if (
        typeof prediction.tokens === 'number' &&
        Number.isFinite(prediction.tokens) &&
        prediction.tokens >= 0
      ) {
        tokens += prediction.tokens;
        tokenReports++;
      }
    }
    const failures = {
      errors: this.failures.errors,
      timeouts: this.failures.timeouts,
      malformed: this.failures.malformed,
      ...(this.failures.firstError === undefined ? {} : { firstError: this.failures.firstError }),
    };
    return {
      modelId: candidate.id,
      task,
      quality: score?.quality ?? { metric: headlineMetric ?? 'unknown', value: 0, lower: 0, upper: 1 },
      metrics: finiteOnly(score?.metrics ?? {}),
      latencyMs: latencyPercentiles(this.latencies),
      throughput: this.predictMs > 0 ? samples / (this.predictMs / 1000) : 0,
      loadMs: this.loadMs,
      memoryBytes,
      samples,
      partial: stopReason !== 'completed',
      stopReason,
      ...(candidate.revision === undefined ? {} : { revision: candidate.revision }),
      ...(runner === undefined ? {} : { runner: runner.name }),
      ...(this.loadedDtype === undefined ? {} : { dtype: this.loadedDtype }),
      ...(fileSizeBytes === undefined ? {} : { fileSizeBytes }),
      ...(tokenReports > 0 && this.predictMs > 0
        ? { tokensPerSecond: tokens / (this.predictMs / 1000) }
        : {}),
      dataset,
      evaluatedAt: new Date(clock.now()).toISOString(),
      failures,
      skipped: { unlabeled: skipped.unlabeled, invalid: skipped.invalid },
      memory: {
        loadRssBytes: this.loadRssBytes,
        loadHeapBytes: this.loadHeapBytes,
        peakRssBytes: Math.max(0, this.peakRss - this.memoryBefore),
        ...(this.estimatedMemoryBytes === undefined ? {} : { estimatedBytes: this.estimatedMemoryBytes }),
      },
      timings: { predictMs: this.predictMs, scoringMs },
      ...(score?.confusionMatrix === undefined ? {} : { confusionMatrix: score.confusionMatrix }),
      ...(unknownLabels.length === 0 ? {} : { unknownLabels }),
      ...(racing
        ? {
            race: {
              winner: this.winner === true,
              ...(this.eliminatedBy === undefined ? {} : { eliminatedBy: this.eliminatedBy }),
            },
          }
        : {}),
      ...(error === undefined ? {} : { error }),
    };
  }

  /** Gold labels the model never predicted and never gave a score to. */
  private unknownLabels(): string[] {
    const known = new Set<unknown>();
    const gold = new Set<string>();
    for (const { prediction, label } of this.scored) {
      if (typeof label === 'string') gold.add(label);
      known.add(prediction.output);
      if (prediction.scores !== undefined) for (const name of Object.keys(prediction.scores)) known.add(name);
    }
    return [...gold].filter((label) => !known.has(label)).sort();
  }
}

function finiteOnly(metrics: Readonly<Record<string, number>>): Record<string, number> {
  const result: Record<string, number> = {};
  for (const [name, value] of Object.entries(metrics)) if (Number.isFinite(value)) result[name] = value;
  return result;
}

function safeJson(value: unknown): string {
  try {
    const text = JSON.stringify(value) ?? String(value);
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
  } catch {
    return String(value);
  }
}
