/**
 * Defaults of the evaluator (`createEvaluator`, `scout.evaluate`): one place, so that the code
 * and its documentation cannot disagree. Every field can be overridden per evaluator
 * (`createEvaluator({ defaults })`) and most per request.
 */
export const EVALUATION_DEFAULTS = Object.freeze({
  /**
   * Time each candidate may spend predicting, in milliseconds of the evaluator's clock (loading
   * is not counted; it has `loadTimeoutMs`). When it runs out the candidate stops and its score
   * is `partial`. `Infinity` for no limit.
   * @default 30_000
   */
  budgetMs: 30_000,
  /**
   * Most labeled examples each candidate predicts. When the data has more, the score is
   * `partial` (`stopReason: 'max-samples'`). `Infinity` for no cap.
   * @default 10_000
   */
  maxSamples: 10_000,
  /**
   * Inputs per `predict` call. 1 measures the latency a server sees for single requests; larger
   * batches raise throughput, and each item's latency is then the batch's time ÷ its size.
   * @default 1
   */
  batchSize: 1,
  /**
   * Longest one `predict` call may take before its items count as timed out (a hung model). The
   * call is also cut at the end of the remaining budget.
   * @default 30_000
   */
  predictionTimeoutMs: 30_000,
  /** Longest `runner.load` may take before the candidate counts as failed to load. @default 300_000 */
  loadTimeoutMs: 300_000,
  /** Longest the evaluator waits for `dispose()` of a model (a hung model may never settle). @default 5_000 */
  disposeTimeoutMs: 5_000,
  /**
   * A candidate stops (`stopReason: 'runner-failed'`) after this many predictions in a row
   * failed (threw, timed out): the server went away, or the model cannot answer anything.
   * @default 10
   */
  maxConsecutiveFailures: 10,
  /** Coverage of the quality intervals of the final scores. @default 0.95 */
  confidenceLevel: 0.95,
  /** Bootstrap resamples of the metrics without a closed-form interval (macro-F1…). @default 1000 */
  bootstrapResamples: 1000,
  /** Least time between two `evaluation_progress` events of one candidate (the last is always sent). @default 250 */
  progressIntervalMs: 250,
  /** Evaluations kept per model in the store's history; older ones are deleted. @default 50 */
  historyLimit: 50,
  /** Racing, when a request asks for it (`race: true` or race options). */
  race: Object.freeze({
    /**
     * Probability that the race's guarantees hold (the best candidate is never eliminated, and a
     * race stopped for `tolerance` picks a candidate within `tolerance` of the best).
     * @default 0.95
     */
    confidence: 0.95,
    /** Examples every candidate predicts before anything is eliminated. @default 200 */
    minSamples: 200,
    /** Examples per round: every surviving candidate predicts the same next `roundSize` examples. @default 64 */
    roundSize: 64,
    /**
     * Indifference zone of the headline metric: the race stops when the leader is, with
     * `confidence`, at most `tolerance` worse than every other survivor. 0 stops only when one
     * candidate is left, so near-ties run to the end of the data.
     * @default 0.01
     */
    tolerance: 0.01,
    /**
     * Examples at which the confidence sequence is tightest (its `t*`); the intervals stay valid
     * at every other count, only a little wider.
     * @default 1_000
     */
    tightestAt: 1_000,
  }),
  /**
   * Most pseudo-observations one evaluation lends the selector in a warm start: a score over
   * `samples` examples adds min(samples, warmStartWeight) observations, split into successes and
   * failures by its quality. Outcomes of real traffic soon outweigh it.
   * @default 20
   */
  warmStartWeight: 20,
});

/** Options of a race (see `EVALUATION_DEFAULTS.race`). */
export interface RaceOptions {
  /** @default EVALUATION_DEFAULTS.race.confidence (0.95) */
  readonly confidence?: number;
  /** @default EVALUATION_DEFAULTS.race.minSamples (200) */
  readonly minSamples?: number;
  /** @default EVALUATION_DEFAULTS.race.roundSize (64) */
  readonly roundSize?: number;
  /** @default EVALUATION_DEFAULTS.race.tolerance (0.01) */
  readonly tolerance?: number;
  /** @default EVALUATION_DEFAULTS.race.tightestAt (1_000) */
  readonly tightestAt?: number;
}

/** Evaluator settings that can be overridden (see {@link EVALUATION_DEFAULTS}). */
export interface EvaluationSettings {
  /** @default 30_000 */
  readonly budgetMs?: number;
  /** @default 10_000 */
  readonly maxSamples?: number;
  /** @default 1 */
  readonly batchSize?: number;
  /** @default 30_000 */
  readonly predictionTimeoutMs?: number;
  /** @default 300_000 */
  readonly loadTimeoutMs?: number;
  /** @default 5_000 */
  readonly disposeTimeoutMs?: number;
  /** @default 10 */
  readonly maxConsecutiveFailures?: number;
  /** @default 0.95 */
  readonly confidenceLevel?: number;
  /** @default 1000 */
  readonly bootstrapResamples?: number;
  /** @default 250 */
  readonly progressIntervalMs?: number;
  /** @default 50 */
  readonly historyLimit?: number;
  /** @default EVALUATION_DEFAULTS.race */
  readonly race?: RaceOptions;
  /** @default 20 */
  readonly warmStartWeight?: number;
}

/** {@link EvaluationSettings} with every default filled in. @internal */
export interface ResolvedSettings {
  readonly budgetMs: number;
  readonly maxSamples: number;
  readonly batchSize: number;
  readonly predictionTimeoutMs: number;
  readonly loadTimeoutMs: number;
  readonly disposeTimeoutMs: number;
  readonly maxConsecutiveFailures: number;
  readonly confidenceLevel: number;
  readonly bootstrapResamples: number;
  readonly progressIntervalMs: number;
  readonly historyLimit: number;
  readonly race: Required<RaceOptions>;
  readonly warmStartWeight: number;
}
