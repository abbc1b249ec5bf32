import type { ModelCandidate, ModelFile } from '../../core/model-candidate.js';
import { onnxVariants } from '../../discovery/providers/onnx-variants.js';

/**
 * Resident memory per byte of ONNX weights that a loaded transformers.js model takes on
 * onnxruntime-node's CPU provider: the weights themselves, plus the optimized graph, the arena
 * for activations and the tokenizer. 1.5 is a deliberately round, conservative figure for small
 * encoders; large generators with long contexts need more (their KV cache grows with the
 * context), so treat the estimate as a lower bound for them.
 */
export const ONNX_MEMORY_FACTOR = 1.5;

/** Parts a merged decoder replaces, so that their files are not counted twice. */
const REPLACED_BY_MERGED = new Set(['decoder_model', 'decoder_with_past_model']);

/**
 * The ONNX files transformers.js loads for `dtype`: every model part of that dtype (e.g. `model`,
 * or `encoder_model` and `decoder_model_merged`) with its external data (`…onnx_data`).
 */
export function onnxFilesFor(files: readonly ModelFile[], dtype: string): ModelFile[] {
  const variants = onnxVariants(files).filter((variant) => variant.dtype === dtype);
  const hasMerged = variants.some((variant) => variant.base === 'decoder_model_merged');
  const chosen = variants.filter((variant) => !(hasMerged && REPLACED_BY_MERGED.has(variant.base)));
  const paths = new Set(chosen.map((variant) => variant.path));
  return files.filter(
    (file) => paths.has(file.path) || chosen.some((variant) => file.path.startsWith(`${variant.path}_data`)),
  );
}

/**
 * An estimate of the memory `candidate` takes once transformers.js loaded it with `dtype`: the
 * size of the ONNX files of that dtype × {@link ONNX_MEMORY_FACTOR}.
 * `undefined` when the candidate lists no such files or their sizes are unknown.
 */
export function estimateMemoryBytes(candidate: ModelCandidate, dtype: string): number | undefined {
  const files = onnxFilesFor(candidate.files ?? [], dtype);
  if (files.length === 0 || files.some((file) => file.sizeBytes === undefined)) return undefined;
  const total = files.reduce((sum, file) => sum + (file.sizeBytes ?? 0), 0);
  return Math.round(total * ONNX_MEMORY_FACTOR);
}
