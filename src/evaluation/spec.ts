import type { ModelCandidate } from '../core/model-candidate.js';
import type { Task } from '../core/task.js';

/** One prediction of a runner, with the probabilities it assigned when it has them. */
export interface Prediction<Output = unknown> {
  readonly output: Output;
  /** Probability per label, for classifiers. */
  readonly scores?: Readonly<Record<string, number>>;
  /** Output tokens, for generators. */
  readonly tokens?: number;
  /** Input (prompt) tokens, for generators, when the server reports them. */
  readonly inputTokens?: number;
  /** Timings the runner measured or the server reported for this prediction, when it has them. */
  readonly timings?: PredictionTimings;
}

/** Timings of one prediction, in milliseconds unless named otherwise. */
export interface PredictionTimings {
  /** From sending the request to the first generated token (streaming runners). */
  readonly firstTokenMs?: number;
  /** Output tokens per second of generation (Ollama: `eval_count / eval_duration`). */
  readonly tokensPerSecond?: number;
  /** Time the server spent loading the model for this request (Ollama: `load_duration`). */
  readonly loadMs?: number;
  /** From sending the request to the last byte of the answer. */
  readonly totalMs?: number;
}

/** A model loaded by a runner, ready to predict. */
export interface LoadedModel<Input = unknown, Output = unknown> {
  readonly modelId: string;
  readonly task: Task;
  /** Milliseconds `load` took, when the runner measured it. */
  readonly loadMs?: number;
  /**
   * Memory the model holds, in bytes, when the runner knows it (transformers.js: the resident
   * set size growth measured around the load, or the estimate from the weight file when larger).
   */
  readonly memoryBytes?: number;
  /** The weight type loaded, e.g. `'fp32'` or `'q8'`, when the runner chose one. */
  readonly dtype?: string;
  /**
   * Predicts a batch of inputs; the result has one prediction per input, in order (an empty
   * batch gives an empty result). Aborting `signal` rejects with its reason; after `dispose()` it
   * rejects with a `RunnerError` (`reason: 'disposed'`).
   */
  predict(
    inputs: readonly Input[],
    options?: { readonly signal?: AbortSignal },
  ): Promise<ReadonlyArray<Prediction<Output>>>;
  /** Releases the model (ONNX sessions, connections). Calling it again does nothing. */
  dispose(): Promise<void>;
}

/**
 * Runs models: transformers.js on onnxruntime-node, Ollama, OpenAI-compatible servers, or a host
 * function. Implementations must pass `runnerConformance` from `modelscout/testing`; modelscout's
 * own are `transformersJsRunner()`, `ollamaRunner()`, `openAICompatibleRunner()` and
 * `functionRunner()` (`src/evaluation/runners/`).
 */
export interface InferenceRunner {
  readonly specificationVersion: 'v1';
  /** A stable name, e.g. `'transformers-js'`, `'ollama'`, `'function'`. */
  readonly name: string;
  /** Whether this runner can run `candidate` for `task`. */
  supports(candidate: ModelCandidate, task: Task): boolean;
  /**
   * Loads `candidate` for `task`. Rejects with a `RunnerError` (`'unsupported'`, `'load-failed'`)
   * when it cannot, and with the signal's reason when `signal` aborts.
   */
  load(
    candidate: ModelCandidate,
    task: Task,
    options?: { readonly dtype?: string; readonly signal?: AbortSignal },
  ): Promise<LoadedModel>;
}
