import type { Prediction } from '../spec.js';

/** The parts of a transformers.js `TextClassificationPipeline` the direct path uses. */
interface ClassificationPipelineParts {
  readonly tokenizer: (texts: string[], options: { padding: boolean; truncation: boolean }) => unknown;
  readonly model: ((inputs: unknown) => Promise<{ logits?: unknown }>) & {
    readonly config?: { readonly problem_type?: unknown; readonly id2label?: Record<string, string> };
  };
}

interface LogitsTensor {
  readonly dims: readonly number[];
  readonly data: Float32Array;
}

function isLogitsTensor(value: unknown): value is LogitsTensor {
  const tensor = value as LogitsTensor | null | undefined;
  return (
    tensor !== null &&
    typeof tensor === 'object' &&
    Array.isArray(tensor.dims) &&
    tensor.dims.length === 2 &&
    tensor.data instanceof Float32Array
  );
}

/**
 * Text classification without the pipeline's top-k step: the same tokenizer call, the same model
 * call and the same softmax (transformers.js's own, on the same float32 logits) or sigmoid as
 * `TextClassificationPipeline` with `top_k: null`, but every label's probability is read from the
 * logits in JavaScript instead of through a second ONNX session run (the `TopK` operator), which
 * costs a trip through the event loop per call. Labels and scores are those the pipeline returns
 * (float32 values; ties go to the lower label index, as ONNX `TopK` orders them).
 *
 * Returns `undefined` when `pipe` is not a `TextClassificationPipeline` of `pipelineClass` (an
 * injected pipeline, another version): the caller then calls the pipeline itself.
 * @internal
 */
export function directClassifier(
  pipe: unknown,
  pipelineClass: unknown,
  softmax: (values: Float32Array) => Float32Array,
): ((texts: string[]) => Promise<Prediction<string>[] | undefined>) | undefined {
  if (typeof pipelineClass !== 'function' || !(pipe instanceof pipelineClass)) return undefined;
  const { tokenizer, model } = pipe as unknown as ClassificationPipelineParts;
  if (typeof tokenizer !== 'function' || typeof model !== 'function') return undefined;
  return async (texts) => {
    const inputs = tokenizer(texts, { padding: true, truncation: true });
    const outputs = await model(inputs);
    const logits = outputs?.logits;
    if (!isLogitsTensor(logits) || logits.dims[0] !== texts.length) return undefined;
    const columns = logits.dims[1]!;
    const { problem_type: problemType, id2label: labels } = model.config ?? {};
    const multiLabel = problemType === 'multi_label_classification';
    const predictions: Prediction<string>[] = [];
    for (let row = 0; row < texts.length; row++) {
      const slice = logits.data.subarray(row * columns, (row + 1) * columns);
      const probabilities = multiLabel ? slice.map((value) => 1 / (1 + Math.exp(-value))) : softmax(slice);
      const scores: Record<string, number> = {};
      let top = 0;
      for (let index = 0; index < columns; index++) {
        scores[labels?.[index] ?? `LABEL_${index}`] = probabilities[index]!;
        if (probabilities[index]! > probabilities[top]!) top = index;
      }
      predictions.push({ output: labels?.[top] ?? `LABEL_${top}`, scores });
    }
    return predictions;
  };
}
