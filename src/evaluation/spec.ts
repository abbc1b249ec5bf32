import type { ModelCandidate } from '../core/model-candidate.js';
import type { Task } from '../core/task.js';

/** One prediction of a runner, with the probabilities it assigned when it has them. */
export interface Prediction<Output = unknown> {
  readonly output: Output;
  /** Probability per label, for classifiers. */
  readonly scores?: Readonly<Record<string, number>>;
  /** Output tokens, for generators. */
  readonly tokens?: number;
}

/** A model loaded by a runner, ready to predict. */
export interface LoadedModel<Input = unknown, Output = unknown> {
  readonly modelId: string;
  readonly task: Task;
  /** Predicts a batch of inputs; the result has one prediction per input, in order. */
  predict(
    inputs: readonly Input[],
    options?: { readonly signal?: AbortSignal },
  ): Promise<ReadonlyArray<Prediction<Output>>>;
  /** Releases the model (ONNX sessions, connections). */
  dispose(): Promise<void>;
}

/**
 * Runs models: transformers.js on onnxruntime-node, Ollama, OpenAI-compatible servers, or a host
 * function. Implementations must pass `runnerConformance` from `modelscout/testing` (arrives with
 * the evaluation issue).
 */
export interface InferenceRunner {
  readonly specificationVersion: 'v1';
  /** A stable name, e.g. `'transformers-js'`, `'ollama'`, `'function'`. */
  readonly name: string;
  /** Whether this runner can run `candidate` for `task`. */
  supports(candidate: ModelCandidate, task: Task): boolean;
  /** Loads `candidate` for `task`. */
  load(
    candidate: ModelCandidate,
    task: Task,
    options?: { readonly dtype?: string; readonly signal?: AbortSignal },
  ): Promise<LoadedModel>;
}
