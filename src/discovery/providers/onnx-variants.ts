import type { ModelFile } from '../../core/model-candidate.js';

/**
 * File-name suffixes transformers.js appends to an ONNX model's base name for each dtype
 * (`onnx/model.onnx` is fp32, `onnx/model_quantized.onnx` is q8, `onnx/model_q4f16.onnx` is q4f16).
 * Longer suffixes are listed before their shorter look-alikes.
 */
export const ONNX_DTYPE_SUFFIXES: readonly (readonly [suffix: string, dtype: string])[] = [
  ['_q4f16', 'q4f16'],
  ['_q2f16', 'q2f16'],
  ['_q1f16', 'q1f16'],
  ['_quantized', 'q8'],
  ['_fp16', 'fp16'],
  ['_uint8', 'uint8'],
  ['_int8', 'int8'],
  ['_bnb4', 'bnb4'],
  ['_q4', 'q4'],
  ['_q2', 'q2'],
  ['_q1', 'q1'],
];

/** Dtypes in the order they are reported: full precision first, then by decreasing size. */
const DTYPE_ORDER = [
  'fp32',
  'fp16',
  'q8',
  'int8',
  'uint8',
  'q4',
  'q4f16',
  'bnb4',
  'q2',
  'q2f16',
  'q1',
  'q1f16',
];

/**
 * Optimum's own variant names (`model_O3.onnx`, `model_qint8_arm64.onnx`, `model_quint8_avx2.onnx`):
 * not transformers.js dtypes, so they are not reported (and never mistaken for fp32).
 */
const FOREIGN_VARIANT = /_(O\d|q?u?int8_[a-z0-9_]+)$/i;

/** One ONNX weight file and the dtype its name stands for. */
export interface OnnxVariant {
  /** Path inside the repository, e.g. `'onnx/model_fp16.onnx'`. */
  readonly path: string;
  /** The model part it belongs to, e.g. `'model'`, `'decoder_model_merged'`. */
  readonly base: string;
  /** The dtype in transformers.js terms, e.g. `'fp32'`, `'q8'`, `'q4f16'`. */
  readonly dtype: string;
  /** Size in bytes, when known. */
  readonly sizeBytes?: number;
}

/** The dtype a single ONNX file name stands for, or `undefined` when it is not a transformers.js weight file. */
export function onnxVariantOf(filePath: string): Omit<OnnxVariant, 'sizeBytes'> | undefined {
  const name = filePath.slice(filePath.lastIndexOf('/') + 1);
  if (!name.endsWith('.onnx')) return undefined;
  const stem = name.slice(0, -'.onnx'.length);
  if (stem === '' || FOREIGN_VARIANT.test(stem)) return undefined;
  for (const [suffix, dtype] of ONNX_DTYPE_SUFFIXES) {
    if (stem.endsWith(suffix) && stem.length > suffix.length) {
      return { path: filePath, base: stem.slice(0, -suffix.length), dtype };
    }
  }
  return { path: filePath, base: stem, dtype: 'fp32' };
}

/** Every ONNX weight file of a repository with its dtype, in file order. */
export function onnxVariants(files: readonly ModelFile[]): OnnxVariant[] {
  const variants: OnnxVariant[] = [];
  for (const file of files) {
    const variant = onnxVariantOf(file.path);
    if (variant)
      variants.push(file.sizeBytes === undefined ? variant : { ...variant, sizeBytes: file.sizeBytes });
  }
  return variants;
}

/** The distinct dtypes of a repository's ONNX files (`['fp32', 'fp16', 'q8']`), in a stable order. */
export function onnxDtypes(files: readonly ModelFile[]): string[] {
  const found = new Set(onnxVariants(files).map((variant) => variant.dtype));
  return [...found].sort((a, b) => rank(a) - rank(b));
}

function rank(dtype: string): number {
  const index = DTYPE_ORDER.indexOf(dtype);
  return index === -1 ? DTYPE_ORDER.length : index;
}

/** Whether a repository has an `onnx/` folder, the layout transformers.js loads. */
export function hasTransformersJsLayout(files: readonly ModelFile[]): boolean {
  return files.some((file) => file.path.startsWith('onnx/') && file.path.endsWith('.onnx'));
}
