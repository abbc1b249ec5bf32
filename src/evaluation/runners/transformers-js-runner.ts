import path from 'node:path';
import type { ModelCandidate } from '../../core/model-candidate.js';
import type { Task } from '../../core/task.js';
import { unlessAborted } from '../../core/unless-aborted.js';
import { hasTransformersJsLayout } from '../../discovery/providers/onnx-variants.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import { RunnerError } from '../../errors/runner-error.js';
import type { InferenceRunner, LoadedModel, Prediction } from '../spec.js';
import { normalizeGenerationInput } from './generation-input.js';
import { createManagedModel } from './managed-model.js';
import { estimateMemoryBytes } from './memory-estimate.js';
import { directClassifier } from './transformers-js-classify.js';
import {
  type TransformersEnvironmentSettings,
  withTransformersEnvironment,
} from './transformers-js-environment.js';
import {
  answerText,
  classificationPrediction,
  cosineSimilarity,
  embeddingRows,
  entitySpans,
  generatedText,
} from './transformers-js-outputs.js';

/** A loaded transformers.js pipeline, as this runner calls it. */
export interface TransformersPipeline {
  (...arguments_: unknown[]): Promise<unknown>;
  dispose(): Promise<void>;
  readonly tokenizer?: unknown;
}

/** transformers.js's `pipeline(task, model, options)`, as this runner calls it. */
export type TransformersPipelineFactory = (
  task: string,
  model: string,
  options: Readonly<Record<string, unknown>>,
) => Promise<TransformersPipeline>;

/** Options of {@link transformersJsRunner}. */
export interface TransformersJsRunnerOptions {
  /**
   * A Hugging Face Hub-compatible server to download from, e.g. a `createLocalHub` URL or a
   * mirror. Without it, models without a local folder come from the host's transformers.js
   * settings (`env.remoteHost`, by default huggingface.co).
   */
  readonly hubUrl?: string;
  /**
   * A folder of models laid out as `folder/{id}/` (transformers.js's `localModelPath`), read
   * before `hubUrl`. Candidates with a `localPath` (found on disk by discovery) are always read
   * from that folder and never downloaded.
   */
  readonly localModelPath?: string;
  /**
   * Where downloaded files are kept (transformers.js's file cache; onnxruntime-node reads the
   * weights from there). Use one folder per hub: the cache is keyed by model id and file, not by
   * server. @default transformers.js's `env.cacheDir`
   */
  readonly cacheDir?: string;
  /** The onnxruntime device, e.g. `'cpu'`, `'cuda'`, `'dml'`. @default 'cpu' */
  readonly device?: string;
  /**
   * The weight type when `load` is given none. @default the first of {@link DTYPE_PREFERENCE}
   * the candidate lists (`'fp32'` when it lists none)
   */
  readonly dtype?: string;
  /** Inputs per pipeline call; larger batches are split (padding makes huge batches costly). @default 32 */
  readonly maxBatchSize?: number;
  /** Longest generation, in new tokens (text-generation, summarization, translation). @default 128 */
  readonly maxNewTokens?: number;
  /** Extra options for generation pipelines, e.g. `{ src_lang, tgt_lang }` for translation. */
  readonly generationOptions?: Readonly<Record<string, unknown>>;
  /**
   * Whether loads of the same model, dtype and device share one pipeline (one set of ONNX
   * sessions), released when the last of them is disposed. @default true
   */
  readonly shareSessions?: boolean;
  /** Replaces transformers.js's `pipeline`, for testing. @default the real one, imported when first needed */
  readonly pipeline?: TransformersPipelineFactory;
}

/** Defaults of {@link TransformersJsRunnerOptions}. */
export const TRANSFORMERS_JS_RUNNER_DEFAULTS = Object.freeze({
  name: 'transformers-js',
  device: 'cpu',
  maxBatchSize: 32,
  maxNewTokens: 128,
  shareSessions: true,
} as const);

/**
 * The dtype chosen when none is asked for, in order: full precision first (exact and fast on
 * CPU), then 8-bit quantized (small, fast on CPU), then half precision (slow on CPU), then 4-bit.
 */
export const DTYPE_PREFERENCE: readonly string[] = Object.freeze([
  'fp32',
  'q8',
  'int8',
  'uint8',
  'fp16',
  'q4',
  'q4f16',
  'bnb4',
]);

/** Tasks this runner runs, and the transformers.js pipeline each uses. */
const PIPELINE_OF_TASK: Readonly<Partial<Record<Task, string>>> = {
  'text-classification': 'text-classification',
  'token-classification': 'token-classification',
  'question-answering': 'question-answering',
  'feature-extraction': 'feature-extraction',
  'sentence-similarity': 'feature-extraction',
  'text-generation': 'text-generation',
  summarization: 'summarization',
  translation: 'translation',
};

/** The tasks {@link transformersJsRunner} runs. */
export const TRANSFORMERS_JS_TASKS: readonly Task[] = Object.freeze(Object.keys(PIPELINE_OF_TASK) as Task[]);

/** Providers whose candidates are served by other runtimes (not ONNX files). */
const FOREIGN_PROVIDERS = new Set(['ollama', 'openai-compatible', 'openrouter']);

/** A transformers.js model with what the load measured. */
export interface TransformersJsLoadedModel extends LoadedModel {
  readonly loadMs: number;
  readonly dtype: string;
  /** The larger of {@link measuredMemoryBytes} and {@link estimatedMemoryBytes}. */
  readonly memoryBytes: number;
  /** Growth of the resident set size across the load (0 when the pipeline was shared or memory shrank). */
  readonly measuredMemoryBytes: number;
  /** {@link estimateMemoryBytes} of the candidate, when its file sizes are known. */
  readonly estimatedMemoryBytes: number | undefined;
  /** Whether the load reused the pipeline of an earlier load still in use. */
  readonly sharedSession: boolean;
}

interface Session {
  readonly pipe: TransformersPipeline;
  readonly measuredMemoryBytes: number;
}

interface SessionEntry {
  readonly loading: Promise<Session>;
  refs: number;
}

function isTransformersJsCandidate(candidate: ModelCandidate): boolean {
  if (candidate.provider !== undefined && FOREIGN_PROVIDERS.has(candidate.provider)) return false;
  const { library, capabilities, files } = candidate;
  if (library === 'transformers.js' || library === 'onnx') return true;
  if (capabilities?.includes('transformers.js')) return true;
  if (files !== undefined && files.length > 0) return hasTransformersJsLayout(files);
  // A bare id (no library, no files): let transformers.js try.
  return library === undefined;
}

function taskMatches(candidate: ModelCandidate, task: Task): boolean {
  const tasks = candidate.tasks;
  if (tasks === undefined || tasks.length === 0) return true;
  if (tasks.includes(task)) return true;
  return task === 'sentence-similarity' && tasks.includes('feature-extraction');
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

let defaultPipeline:
  | Promise<{
      factory: TransformersPipelineFactory;
      env: Record<string, unknown>;
      textClassificationPipeline: unknown;
      softmax: (values: Float32Array) => Float32Array;
    }>
  | undefined;

function transformersModule() {
  defaultPipeline ??= import('@huggingface/transformers').then((module) => ({
    factory: module.pipeline as unknown as TransformersPipelineFactory,
    env: module.env as unknown as Record<string, unknown>,
    textClassificationPipeline: module.TextClassificationPipeline,
    softmax: module.softmax,
  }));
  return defaultPipeline;
}

/**
 * Runs transformers.js models on onnxruntime-node: from a candidate's local folder
 * (`localPath`), from `localModelPath`, or from any Hub-compatible server (`hubUrl`, e.g. the
 * local hub). `load` picks a dtype (asked for, or the best the candidate has), creates the
 * pipeline once and measures `loadMs` and memory; `predict` runs a batch per pipeline call
 * (classification with every label's probability, mean-pooled normalized embeddings, entity
 * spans, answers, generated text); `dispose` releases the ONNX sessions. Loads that change
 * transformers.js's process-wide `env` run one at a time and restore it (see
 * `transformers-js-environment.ts`). A pipeline cannot be interrupted: an abort is noticed
 * between pipeline calls.
 */
export function transformersJsRunner(options: TransformersJsRunnerOptions = {}): InferenceRunner {
  const {
    hubUrl,
    localModelPath,
    cacheDir,
    device = TRANSFORMERS_JS_RUNNER_DEFAULTS.device,
    maxBatchSize = TRANSFORMERS_JS_RUNNER_DEFAULTS.maxBatchSize,
    maxNewTokens = TRANSFORMERS_JS_RUNNER_DEFAULTS.maxNewTokens,
    generationOptions = {},
    shareSessions = TRANSFORMERS_JS_RUNNER_DEFAULTS.shareSessions,
  } = options;
  const name = TRANSFORMERS_JS_RUNNER_DEFAULTS.name;
  if (!Number.isInteger(maxBatchSize) || maxBatchSize < 1) {
    throw new InvalidArgumentError({
      argument: 'maxBatchSize',
      value: maxBatchSize,
      message: 'must be a positive integer',
    });
  }
  if (!Number.isInteger(maxNewTokens) || maxNewTokens < 1) {
    throw new InvalidArgumentError({
      argument: 'maxNewTokens',
      value: maxNewTokens,
      message: 'must be a positive integer',
    });
  }
  if (hubUrl !== undefined) {
    try {
      new URL(hubUrl);
    } catch {
      throw new InvalidArgumentError({
        argument: 'hubUrl',
        value: hubUrl,
        message: 'must be an absolute URL',
      });
    }
  }
  const sessions = new Map<string, SessionEntry>();
  let loadCounter = 0;

  const supports = (candidate: ModelCandidate, task: Task) =>
    PIPELINE_OF_TASK[task] !== undefined &&
    taskMatches(candidate, task) &&
    isTransformersJsCandidate(candidate);

  /**
   * The dtypes it can load: those of the local copy it is read from (a cache may hold only the
   * q8 weights of a model the Hub has in three dtypes), else those the candidate declares.
   */
  function loadableDtypes(candidate: ModelCandidate): readonly string[] | undefined {
    const { localPath } = candidate;
    if (localPath !== undefined) {
      const folder = path.resolve(localPath);
      const copy = candidate.localCopies?.find(
        (local) => local.path !== undefined && path.resolve(local.path) === folder,
      );
      if (copy?.dtypes !== undefined && copy.dtypes.length > 0) return copy.dtypes;
    }
    return candidate.dtypes;
  }

  function chooseDtype(candidate: ModelCandidate, asked: string | undefined): string {
    const available = loadableDtypes(candidate);
    const dtype =
      asked ??
      options.dtype ??
      (available === undefined || available.length === 0
        ? 'fp32'
        : (DTYPE_PREFERENCE.find((preferred) => available.includes(preferred)) ?? available[0]!));
    if (available !== undefined && available.length > 0 && !available.includes(dtype)) {
      throw new RunnerError({
        runner: name,
        modelId: candidate.id,
        reason: 'unsupported',
        message: `has no '${dtype}' weights (it has ${available.join(', ')})`,
      });
    }
    return dtype;
  }

  /** Where the files come from: the pipeline's model argument and the env it needs. */
  function sourceOf(candidate: ModelCandidate): { model: string; settings: TransformersEnvironmentSettings } {
    if (candidate.localPath !== undefined) {
      return {
        model: path.resolve(candidate.localPath),
        settings: { allowLocalModels: true, allowRemoteModels: false, useFS: true },
      };
    }
    const settings: Record<string, unknown> = {};
    if (localModelPath !== undefined) {
      Object.assign(settings, {
        allowLocalModels: true,
        useFS: true,
        localModelPath: `${path.resolve(localModelPath)}${path.sep}`,
      });
    } else if (hubUrl !== undefined) {
      settings.allowLocalModels = false;
    }
    if (hubUrl !== undefined) {
      Object.assign(settings, {
        allowRemoteModels: true,
        remoteHost: `${hubUrl.replace(/\/+$/, '')}/`,
        remotePathTemplate: '{model}/resolve/{revision}/',
        // onnxruntime-node is handed a file path, so downloads must go through the file cache.
        useFSCache: true,
      });
    } else if (localModelPath !== undefined) {
      settings.allowRemoteModels = false;
    }
    return { model: candidate.id, settings };
  }

  function release(key: string, entry: SessionEntry): Promise<void> {
    entry.refs--;
    if (entry.refs > 0) return Promise.resolve();
    if (sessions.get(key) === entry) sessions.delete(key);
    return entry.loading.then(
      (session) => session.pipe.dispose(),
      () => undefined,
    );
  }

  async function load(
    candidate: ModelCandidate,
    task: Task,
    { dtype: askedDtype, signal }: { readonly dtype?: string; readonly signal?: AbortSignal } = {},
  ): Promise<TransformersJsLoadedModel> {
    signal?.throwIfAborted();
    const modelId = candidate.id;
    const pipelineTask = PIPELINE_OF_TASK[task];
    if (pipelineTask === undefined || !supports(candidate, task)) {
      throw new RunnerError({
        runner: name,
        modelId,
        reason: 'unsupported',
        message: `cannot run task '${task}' for this model`,
      });
    }
    const dtype = chooseDtype(candidate, askedDtype);
    const source = sourceOf(candidate);
    const started = performance.now();
    const baseKey = JSON.stringify([
      pipelineTask,
      source.model,
      source.settings,
      dtype,
      device,
      cacheDir ?? null,
    ]);
    const key = shareSessions ? baseKey : `${baseKey}#${loadCounter++}`;
    let entry = sessions.get(key);
    const sharedSession = entry !== undefined;
    if (entry === undefined) {
      const loading = (async (): Promise<Session> => {
        const transformers = await transformersModule();
        const factory = options.pipeline ?? transformers.factory;
        return withTransformersEnvironment(transformers.env, source.settings, async () => {
          // Every caller gave up (aborted) while this load waited for its turn.
          if (created.refs === 0) throw new Error('the load was abandoned');
          const before = process.memoryUsage.rss();
          const pipe = await factory(pipelineTask, source.model, {
            dtype,
            device,
            ...(cacheDir === undefined ? {} : { cache_dir: cacheDir }),
          });
          return { pipe, measuredMemoryBytes: Math.max(0, process.memoryUsage.rss() - before) };
        });
      })();
      const created: SessionEntry = { loading, refs: 0 };
      loading.catch(() => {
        if (sessions.get(key) === created) sessions.delete(key);
      });
      sessions.set(key, created);
      entry = created;
    }
    entry.refs++;
    const acquired = entry;
    let session: Session;
    try {
      session = await unlessAborted(acquired.loading, signal);
    } catch (error) {
      void release(key, acquired).catch(() => undefined);
      if (signal?.aborted) throw signal.reason;
      throw new RunnerError({
        runner: name,
        modelId,
        reason: 'load-failed',
        message: `loading ${dtype} weights failed: ${error instanceof Error ? error.message : String(error)}`,
        cause: error,
      });
    }
    const loadMs = performance.now() - started;
    const estimatedMemoryBytes = estimateMemoryBytes(candidate, dtype);
    const measuredMemoryBytes = sharedSession ? 0 : session.measuredMemoryBytes;
    const memoryBytes = Math.max(session.measuredMemoryBytes, estimatedMemoryBytes ?? 0);
    const { pipe } = session;
    const transformers = await transformersModule();
    const classifyDirectly =
      task === 'text-classification'
        ? directClassifier(pipe, transformers.textClassificationPipeline, transformers.softmax)
        : undefined;

    const malformed = (what: string) =>
      new RunnerError({
        runner: name,
        modelId,
        reason: 'malformed-output',
        message: `the pipeline returned ${what}`,
      });

    const countTokens = (text: string): number | undefined => {
      const tokenizer = pipe.tokenizer as
        | { encode?: (text: string, options?: object) => unknown }
        | undefined;
      try {
        const ids = tokenizer?.encode?.(text, { add_special_tokens: false });
        return Array.isArray(ids) ? ids.length : undefined;
      } catch {
        return undefined;
      }
    };

    const asText = (input: unknown, what: string): string => {
      if (typeof input !== 'string') {
        throw new InvalidArgumentError({
          argument: 'inputs',
          value: input,
          message: `a ${task} input is ${what}`,
        });
      }
      return input;
    };

    async function embed(texts: readonly string[], signal: AbortSignal | undefined): Promise<number[][]> {
      const vectors: number[][] = [];
      for (const chunk of chunks(texts, maxBatchSize)) {
        signal?.throwIfAborted();
        const tensor = await pipe(chunk, { pooling: 'mean', normalize: true });
        const rows = embeddingRows(tensor, chunk.length);
        (tensor as { dispose?: () => void } | null)?.dispose?.();
        if (rows === undefined) throw malformed('embeddings of an unexpected shape');
        vectors.push(...rows);
      }
      return vectors;
    }

    async function predictBatch(
      inputs: readonly unknown[],
      signal: AbortSignal | undefined,
    ): Promise<Prediction[]> {
      switch (task) {
        case 'text-classification': {
          const texts = inputs.map((input) => asText(input, 'text'));
          const predictions: Prediction[] = [];
          for (const chunk of chunks(texts, maxBatchSize)) {
            signal?.throwIfAborted();
            if (classifyDirectly !== undefined) {
              const direct = await classifyDirectly(chunk);
              if (direct === undefined) throw malformed('logits of an unexpected shape');
              predictions.push(...direct);
              continue;
            }
            const output = await pipe(chunk, { top_k: null });
            if (!Array.isArray(output) || output.length !== chunk.length)
              throw malformed('a wrong number of results');
            for (const item of output) {
              const prediction = classificationPrediction(item);
              if (prediction === undefined) throw malformed('labels without scores');
              predictions.push(prediction);
            }
          }
          return predictions;
        }
        case 'feature-extraction': {
          const vectors = await embed(
            inputs.map((input) => asText(input, 'text')),
            signal,
          );
          return vectors.map((vector) => ({ output: vector }));
        }
        case 'sentence-similarity': {
          const pairs = inputs.map((input) => {
            const { source: first, other } = (input ?? {}) as { source?: unknown; other?: unknown };
            if (typeof first !== 'string' || typeof other !== 'string') {
              throw new InvalidArgumentError({
                argument: 'inputs',
                value: input,
                message: 'a sentence-similarity input is { source, other }',
              });
            }
            return [first, other] as const;
          });
          const vectors = await embed(pairs.flat(), signal);
          return pairs.map((_, index) => ({
            output: cosineSimilarity(vectors[2 * index]!, vectors[2 * index + 1]!),
          }));
        }
        case 'token-classification': {
          const texts = inputs.map((input) => asText(input, 'text'));
          const predictions: Prediction[] = [];
          for (const chunk of chunks(texts, maxBatchSize)) {
            signal?.throwIfAborted();
            const output = await pipe(chunk, { aggregation_strategy: 'simple' });
            if (!Array.isArray(output) || output.length !== chunk.length)
              throw malformed('a wrong number of results');
            chunk.forEach((text, index) => {
              const spans = entitySpans(text, output[index]);
              if (spans === undefined) throw malformed('entities without a type or word');
              predictions.push({ output: spans });
            });
          }
          return predictions;
        }
        case 'question-answering': {
          const predictions: Prediction[] = [];
          for (const input of inputs) {
            const { question, context } = (input ?? {}) as { question?: unknown; context?: unknown };
            if (typeof question !== 'string' || typeof context !== 'string') {
              throw new InvalidArgumentError({
                argument: 'inputs',
                value: input,
                message: 'a question-answering input is { question, context }',
              });
            }
            signal?.throwIfAborted();
            const answer = answerText(await pipe(question, context));
            if (answer === undefined) throw malformed('no answer');
            predictions.push({ output: answer });
          }
          return predictions;
        }
        default: {
          // text-generation, summarization, translation: one input per call (no padding between prompts).
          const predictions: Prediction[] = [];
          for (const input of inputs) {
            let argument: unknown;
            if (task === 'text-generation') {
              const generation = normalizeGenerationInput(input);
              if (generation === undefined) {
                throw new InvalidArgumentError({
                  argument: 'inputs',
                  value: input,
                  message: 'a text-generation input is a prompt or chat messages',
                });
              }
              argument = generation.prompt ?? generation.messages;
            } else {
              argument = asText(input, 'text');
            }
            signal?.throwIfAborted();
            const started = performance.now();
            const output = await pipe(argument, {
              max_new_tokens: maxNewTokens,
              do_sample: false,
              ...(task === 'text-generation' ? { return_full_text: false } : {}),
              ...generationOptions,
            });
            const text = generatedText(output);
            if (text === undefined) throw malformed('no generated text');
            const tokens = countTokens(text);
            predictions.push({
              output: text,
              ...(tokens === undefined ? {} : { tokens }),
              timings: { totalMs: performance.now() - started },
            });
          }
          return predictions;
        }
      }
    }

    return createManagedModel<unknown, unknown, Omit<TransformersJsLoadedModel, keyof LoadedModel>>(
      {
        runner: name,
        modelId,
        task,
        loadMs,
        memoryBytes,
        dtype,
        predictBatch,
        release: () => release(key, acquired),
      },
      { measuredMemoryBytes, estimatedMemoryBytes, sharedSession },
    ) as TransformersJsLoadedModel;
  }

  return { specificationVersion: 'v1', name, supports, load };
}
