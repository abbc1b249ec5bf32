// The zoo's three architectures: what their parameters are, how each is written as an ONNX graph
// (per dtype), how a graph file is read back, and a plain-JS reference forward pass that tests
// hold the ONNX outputs against.
import { fromFloat16Bits, toFloat16Bits } from './float16.js';
import { GraphBuilder, readModel, type StoredModel, type StoredTensor } from './onnx-graph.js';

/** The dtypes the zoo ships, as transformers.js names them. */
export type Dtype = 'fp32' | 'fp16' | 'q8';

/** Every dtype, full precision first. */
export const DTYPES: readonly Dtype[] = ['fp32', 'fp16', 'q8'];

/** The file transformers.js loads for each dtype. */
export const DTYPE_FILES: Readonly<Record<Dtype, string>> = {
  fp32: 'onnx/model.onnx',
  fp16: 'onnx/model_fp16.onnx',
  q8: 'onnx/model_quantized.onnx',
};

/** How token scores are combined: summed (counts) or averaged over the tokens. */
export type Pooling = 'sum' | 'mean';

/**
 * Multinomial logistic regression over token counts: a `[V, C]` weight per token, optionally a
 * `[H, C]` weight per hashed bigram bucket (bucket = (first · V + second) mod H over adjacent
 * tokens, [CLS] and [SEP] included), pooled over the sequence, plus a bias.
 */
export interface LinearBagNetwork {
  readonly architecture: 'linear-bag';
  readonly vocabularySize: number;
  readonly classes: number;
  readonly pooling: Pooling;
  /** `[V, C]`, row-major. */
  readonly unigram: Float64Array;
  /** Number of bigram buckets H; 0 for no bigram features. */
  readonly bigramBuckets: number;
  /** `[H, C]`, row-major (empty when H is 0). */
  readonly bigram: Float64Array;
  /** `[C]`. */
  readonly bias: Float64Array;
}

/**
 * Token embeddings (a compacted table: `tokenRows` maps each of the V token ids to one of R rows;
 * row 0 is shared by rare and unseen tokens), averaged over the sequence, then a ReLU hidden layer
 * and a linear output layer.
 */
export interface EmbeddingMlpNetwork {
  readonly architecture: 'embedding-mlp';
  readonly vocabularySize: number;
  readonly classes: number;
  readonly dimension: number;
  readonly hidden: number;
  /** `[V]`: the embedding row of each token id. */
  readonly tokenRows: Int32Array;
  readonly rowCount: number;
  /** `[R, D]`. */
  readonly embedding: Float64Array;
  /** `[D, H]`. */
  readonly hiddenWeight: Float64Array;
  /** `[H]`. */
  readonly hiddenBias: Float64Array;
  /** `[H, C]`. */
  readonly outputWeight: Float64Array;
  /** `[C]`. */
  readonly outputBias: Float64Array;
}

/**
 * Per-token vectors for feature extraction: the compacted embedding table of {@link EmbeddingMlpNetwork},
 * output as `last_hidden_state` (zero at padded positions). The pipeline pools and normalizes.
 */
export interface TokenEmbeddingNetwork {
  readonly architecture: 'token-embedding';
  readonly vocabularySize: number;
  readonly dimension: number;
  readonly tokenRows: Int32Array;
  readonly rowCount: number;
  /** `[R, D]`. */
  readonly embedding: Float64Array;
}

export type Network = LinearBagNetwork | EmbeddingMlpNetwork | TokenEmbeddingNetwork;

/** The metadata key that records a graph's architecture and hyperparameters. */
export const ARCHITECTURE_METADATA_KEY = 'modelscout.architecture';
const OPSET = 17;
const IR_VERSION = 8;
const FLOAT = 1;

/** Number of parameters (weights and biases; the token-row map is an index, not a parameter). */
export function parameterCount(network: Network): number {
  switch (network.architecture) {
    case 'linear-bag':
      return network.unigram.length + network.bigram.length + network.bias.length;
    case 'embedding-mlp':
      return (
        network.embedding.length +
        network.hiddenWeight.length +
        network.hiddenBias.length +
        network.outputWeight.length +
        network.outputBias.length
      );
    case 'token-embedding':
      return network.embedding.length;
  }
}

function hyperparameters(network: Network): Record<string, unknown> {
  switch (network.architecture) {
    case 'linear-bag':
      return {
        architecture: network.architecture,
        vocabularySize: network.vocabularySize,
        classes: network.classes,
        pooling: network.pooling,
        bigramBuckets: network.bigramBuckets,
      };
    case 'embedding-mlp':
      return {
        architecture: network.architecture,
        vocabularySize: network.vocabularySize,
        classes: network.classes,
        dimension: network.dimension,
        hidden: network.hidden,
        rowCount: network.rowCount,
      };
    case 'token-embedding':
      return {
        architecture: network.architecture,
        vocabularySize: network.vocabularySize,
        dimension: network.dimension,
        rowCount: network.rowCount,
      };
  }
}

// ---------------------------------------------------------------------------------------------
// Writing

/** Per-column symmetric int8 quantization along the last axis. */
function quantize(values: Float64Array, columns: number): { quantized: Int8Array; scales: Float32Array } {
  const scales = new Float32Array(columns);
  for (let index = 0; index < values.length; index++) {
    const column = index % columns;
    scales[column] = Math.max(scales[column]!, Math.abs(values[index]!));
  }
  for (let column = 0; column < columns; column++) {
    scales[column] = scales[column]! > 0 ? scales[column]! / 127 : 1;
  }
  const quantized = new Int8Array(values.length);
  for (let index = 0; index < values.length; index++) {
    const step = Math.round(values[index]! / scales[index % columns]!);
    quantized[index] = Math.max(-127, Math.min(127, step));
  }
  return { quantized, scales };
}

/** Emits weights in the file's dtype and converts them to float32 where they are used. */
class WeightWriter {
  constructor(
    private readonly graph: GraphBuilder,
    private readonly dtype: Dtype,
  ) {}

  /** `table[indices]` as float32 (rows gathered before any conversion, so only they are converted). */
  gatherRows(name: string, values: Float64Array, dims: readonly number[], indices: string): string {
    const graph = this.graph;
    const columns = dims[dims.length - 1]!;
    switch (this.dtype) {
      case 'fp32':
        graph.initializer(name, 'float32', dims, values);
        return graph.node('Gather', [name, indices], `${name}_rows`, { axis: 0 });
      case 'fp16': {
        graph.initializer(name, 'float16', dims, Array.from(values, toFloat16Bits));
        const rows = graph.node('Gather', [name, indices], `${name}_rows_fp16`, { axis: 0 });
        return graph.node('Cast', [rows], `${name}_rows`, { to: FLOAT });
      }
      case 'q8': {
        const { quantized, scales } = quantize(values, columns);
        graph.initializer(`${name}_quantized`, 'int8', dims, quantized);
        graph.initializer(`${name}_scale`, 'float32', [columns], scales);
        graph.initializer(`${name}_zero_point`, 'int8', [columns], new Int8Array(columns));
        const rows = graph.node('Gather', [`${name}_quantized`, indices], `${name}_rows_int8`, { axis: 0 });
        return graph.node('DequantizeLinear', [rows, `${name}_scale`, `${name}_zero_point`], `${name}_rows`, {
          axis: -1,
        });
      }
    }
  }

  /** A whole weight matrix as float32 (int8 per output column in q8). */
  matrix(name: string, values: Float64Array, dims: readonly number[]): string {
    const graph = this.graph;
    switch (this.dtype) {
      case 'fp32':
        return graph.initializer(name, 'float32', dims, values);
      case 'fp16':
        graph.initializer(name, 'float16', dims, Array.from(values, toFloat16Bits));
        return graph.node('Cast', [name], `${name}_float`, { to: FLOAT });
      case 'q8': {
        const columns = dims[dims.length - 1]!;
        const { quantized, scales } = quantize(values, columns);
        graph.initializer(`${name}_quantized`, 'int8', dims, quantized);
        graph.initializer(`${name}_scale`, 'float32', [columns], scales);
        graph.initializer(`${name}_zero_point`, 'int8', [columns], new Int8Array(columns));
        return graph.node(
          'DequantizeLinear',
          [`${name}_quantized`, `${name}_scale`, `${name}_zero_point`],
          `${name}_float`,
          { axis: -1 },
        );
      }
    }
  }

  /** A bias: fp16 in fp16 files, float32 otherwise (quantizing biases saves nothing). */
  bias(name: string, values: Float64Array): string {
    if (this.dtype !== 'fp16') return this.graph.initializer(name, 'float32', [values.length], values);
    this.graph.initializer(name, 'float16', [values.length], Array.from(values, toFloat16Bits));
    return this.graph.node('Cast', [name], `${name}_float`, { to: FLOAT });
  }
}

/** Inputs every graph takes, and the mask in the forms the graphs use. */
function declareInputs(graph: GraphBuilder) {
  const ids = graph.input('input_ids', 'int64', ['batch_size', 'sequence_length']);
  const mask = graph.input('attention_mask', 'int64', ['batch_size', 'sequence_length']);
  const maskFloat = graph.node('Cast', [mask], 'mask_float', { to: FLOAT });
  const maskColumn = graph.node('Unsqueeze', [maskFloat, graph.int64('last_axis', [2])], 'mask_column');
  return { ids, maskFloat, maskColumn };
}

/** Σ_t mask_t · rows_t over the sequence: `[batch, width]`. */
function maskedSum(
  graph: GraphBuilder,
  rows: string,
  maskColumn: string,
  axis: string,
  name: string,
): string {
  const masked = graph.node('Mul', [rows, maskColumn], `${name}_masked`);
  return graph.node('ReduceSum', [masked, axis], name, { keepdims: 0 });
}

/** `sum / max(1, number of tokens)`. */
function divideByLength(graph: GraphBuilder, sum: string, maskFloat: string, axis: string): string {
  const count = graph.node('ReduceSum', [maskFloat, axis], 'token_count', { keepdims: 1 });
  const atLeastOne = graph.node('Max', [count, graph.scalar('one', 1)], 'token_count_at_least_one');
  return graph.node('Div', [sum, atLeastOne], 'pooled');
}

/** The ONNX file of `network` in `dtype`. */
export function writeOnnx(network: Network, dtype: Dtype, description: string): Uint8Array {
  const graph = new GraphBuilder('modelscout_zoo');
  const weights = new WeightWriter(graph, dtype);
  const { ids, maskFloat, maskColumn } = declareInputs(graph);
  /** The axis every pooling reduces over (only declared by graphs that pool: unused initializers draw warnings). */
  const sequenceAxis = (): string =>
    graph.has('sequence_axis') ? 'sequence_axis' : graph.int64('sequence_axis', [1]);

  switch (network.architecture) {
    case 'linear-bag': {
      const classes = network.classes;
      const unigramRows = weights.gatherRows(
        'unigram_weight',
        network.unigram,
        [network.vocabularySize, classes],
        ids,
      );
      let total = maskedSum(graph, unigramRows, maskColumn, sequenceAxis(), 'unigram_sum');
      if (network.bigramBuckets > 0) {
        const start = graph.int64('slice_start_0', [0]);
        const start1 = graph.int64('slice_start_1', [1]);
        const endBeforeLast = graph.int64('slice_end_minus_1', [-1]);
        const endMax = graph.int64('slice_end_max', [Number.MAX_SAFE_INTEGER]);
        const first = graph.node('Slice', [ids, start, endBeforeLast, sequenceAxis()], 'first_ids');
        const second = graph.node('Slice', [ids, start1, endMax, sequenceAxis()], 'second_ids');
        const scaled = graph.node(
          'Mul',
          [first, graph.initializer('vocabulary_size', 'int64', [], [network.vocabularySize])],
          'first_ids_scaled',
        );
        const pair = graph.node('Add', [scaled, second], 'pair_ids');
        const bucket = graph.node(
          'Mod',
          [pair, graph.initializer('bigram_bucket_count', 'int64', [], [network.bigramBuckets])],
          'bigram_buckets',
          { fmod: 0 },
        );
        const firstMask = graph.node(
          'Slice',
          [maskFloat, start, endBeforeLast, sequenceAxis()],
          'first_mask',
        );
        const secondMask = graph.node('Slice', [maskFloat, start1, endMax, sequenceAxis()], 'second_mask');
        const pairMask = graph.node('Mul', [firstMask, secondMask], 'pair_mask');
        const pairMaskColumn = graph.node('Unsqueeze', [pairMask, 'last_axis'], 'pair_mask_column');
        const bigramRows = weights.gatherRows(
          'bigram_weight',
          network.bigram,
          [network.bigramBuckets, classes],
          bucket,
        );
        const bigramSum = maskedSum(graph, bigramRows, pairMaskColumn, sequenceAxis(), 'bigram_sum');
        total = graph.node('Add', [total, bigramSum], 'feature_sum');
      }
      if (network.pooling === 'mean') total = divideByLength(graph, total, maskFloat, sequenceAxis());
      graph.node('Add', [total, weights.bias('bias', network.bias)], 'logits');
      graph.output('logits', 'float32', ['batch_size', classes]);
      break;
    }
    case 'embedding-mlp': {
      const rows = graph.initializer('token_rows', 'int32', [network.vocabularySize], network.tokenRows);
      const rowIds = graph.node('Gather', [rows, ids], 'row_ids', { axis: 0 });
      const vectors = weights.gatherRows(
        'embedding',
        network.embedding,
        [network.rowCount, network.dimension],
        rowIds,
      );
      const sum = maskedSum(graph, vectors, maskColumn, sequenceAxis(), 'embedding_sum');
      const pooled = divideByLength(graph, sum, maskFloat, sequenceAxis());
      const hiddenWeight = weights.matrix('hidden_weight', network.hiddenWeight, [
        network.dimension,
        network.hidden,
      ]);
      const hiddenLinear = graph.node('MatMul', [pooled, hiddenWeight], 'hidden_linear');
      const hiddenBiased = graph.node(
        'Add',
        [hiddenLinear, weights.bias('hidden_bias', network.hiddenBias)],
        'hidden_biased',
      );
      const hidden = graph.node('Relu', [hiddenBiased], 'hidden');
      const outputWeight = weights.matrix('output_weight', network.outputWeight, [
        network.hidden,
        network.classes,
      ]);
      const outputLinear = graph.node('MatMul', [hidden, outputWeight], 'output_linear');
      graph.node('Add', [outputLinear, weights.bias('output_bias', network.outputBias)], 'logits');
      graph.output('logits', 'float32', ['batch_size', network.classes]);
      break;
    }
    case 'token-embedding': {
      const rows = graph.initializer('token_rows', 'int32', [network.vocabularySize], network.tokenRows);
      const rowIds = graph.node('Gather', [rows, ids], 'row_ids', { axis: 0 });
      const vectors = weights.gatherRows(
        'embedding',
        network.embedding,
        [network.rowCount, network.dimension],
        rowIds,
      );
      graph.node('Mul', [vectors, maskColumn], 'last_hidden_state');
      graph.output('last_hidden_state', 'float32', ['batch_size', 'sequence_length', network.dimension]);
      break;
    }
  }

  return graph.toBytes({
    opset: OPSET,
    irVersion: IR_VERSION,
    producerName: 'modelscout-zoo',
    producerVersion: '1',
    docString: description,
    metadata: {
      [ARCHITECTURE_METADATA_KEY]: JSON.stringify(hyperparameters(network)),
      'modelscout.dtype': dtype,
    },
  });
}

// ---------------------------------------------------------------------------------------------
// Reading

/** The float32 values a graph computes with for a logical weight, whatever its stored dtype. */
function floatWeight(model: StoredModel, name: string): Float64Array {
  const stored = model.initializers.get(name);
  if (stored) return toFloat(stored, name);
  const quantized = model.initializers.get(`${name}_quantized`);
  const scales = model.initializers.get(`${name}_scale`);
  const zeroPoints = model.initializers.get(`${name}_zero_point`);
  if (!quantized || !scales || !zeroPoints) throw new Error(`weight ${name} not found`);
  const columns = scales.data.length;
  const values = new Float64Array(quantized.data.length);
  for (let index = 0; index < values.length; index++) {
    const column = index % columns;
    values[index] = Math.fround((quantized.data[index]! - zeroPoints.data[column]!) * scales.data[column]!);
  }
  return values;
}

function toFloat(stored: StoredTensor, name: string): Float64Array {
  if (stored.type === 'float32') return stored.data;
  if (stored.type === 'float16') return stored.data.map(fromFloat16Bits);
  throw new Error(`weight ${name} has type ${stored.type}`);
}

function integerTensor(model: StoredModel, name: string): Int32Array {
  const stored = model.initializers.get(name);
  if (!stored) throw new Error(`tensor ${name} not found`);
  return Int32Array.from(stored.data);
}

/** Reads a file written by {@link writeOnnx} back into a network, weights as the graph sees them. */
export function readOnnx(bytes: Uint8Array): Network & { readonly dtype: Dtype } {
  const model = readModel(bytes);
  const text = model.metadata[ARCHITECTURE_METADATA_KEY];
  if (text === undefined) throw new Error('not a modelscout zoo model: no architecture metadata');
  const meta = JSON.parse(text) as Record<string, unknown>;
  const dtype = model.metadata['modelscout.dtype'] as Dtype;
  const number = (key: string): number => {
    const value = meta[key];
    if (typeof value !== 'number') throw new Error(`architecture metadata: ${key} is missing`);
    return value;
  };
  switch (meta.architecture) {
    case 'linear-bag': {
      const bigramBuckets = number('bigramBuckets');
      return {
        dtype,
        architecture: 'linear-bag',
        vocabularySize: number('vocabularySize'),
        classes: number('classes'),
        pooling: meta.pooling === 'sum' ? 'sum' : 'mean',
        unigram: floatWeight(model, 'unigram_weight'),
        bigramBuckets,
        bigram: bigramBuckets > 0 ? floatWeight(model, 'bigram_weight') : new Float64Array(),
        bias: floatWeight(model, 'bias'),
      };
    }
    case 'embedding-mlp':
      return {
        dtype,
        architecture: 'embedding-mlp',
        vocabularySize: number('vocabularySize'),
        classes: number('classes'),
        dimension: number('dimension'),
        hidden: number('hidden'),
        rowCount: number('rowCount'),
        tokenRows: integerTensor(model, 'token_rows'),
        embedding: floatWeight(model, 'embedding'),
        hiddenWeight: floatWeight(model, 'hidden_weight'),
        hiddenBias: floatWeight(model, 'hidden_bias'),
        outputWeight: floatWeight(model, 'output_weight'),
        outputBias: floatWeight(model, 'output_bias'),
      };
    case 'token-embedding':
      return {
        dtype,
        architecture: 'token-embedding',
        vocabularySize: number('vocabularySize'),
        dimension: number('dimension'),
        rowCount: number('rowCount'),
        tokenRows: integerTensor(model, 'token_rows'),
        embedding: floatWeight(model, 'embedding'),
      };
    default:
      throw new Error(`unknown architecture ${String(meta.architecture)}`);
  }
}

/** The network with every weight rounded as `dtype` stores it (what the file of that dtype computes with). */
export function asStored(network: Network, dtype: Dtype): Network {
  return readOnnx(writeOnnx(network, dtype, ''));
}

// ---------------------------------------------------------------------------------------------
// Reference forward pass (plain JS, one unpadded sequence of token ids)

/** The bigram bucket of two adjacent token ids. */
export function bigramBucket(first: number, second: number, vocabularySize: number, buckets: number): number {
  return (first * vocabularySize + second) % buckets;
}

/** Classifier logits for one sequence (`[CLS] … [SEP]` ids). */
export function referenceLogits(
  network: LinearBagNetwork | EmbeddingMlpNetwork,
  ids: ArrayLike<number>,
): Float64Array {
  if (network.architecture === 'linear-bag') {
    const classes = network.classes;
    const logits = new Float64Array(classes);
    for (let t = 0; t < ids.length; t++) {
      const row = ids[t]! * classes;
      for (let c = 0; c < classes; c++) logits[c]! += network.unigram[row + c]!;
    }
    if (network.bigramBuckets > 0) {
      for (let t = 0; t + 1 < ids.length; t++) {
        const row =
          bigramBucket(ids[t]!, ids[t + 1]!, network.vocabularySize, network.bigramBuckets) * classes;
        for (let c = 0; c < classes; c++) logits[c]! += network.bigram[row + c]!;
      }
    }
    const scale = network.pooling === 'mean' ? 1 / Math.max(1, ids.length) : 1;
    for (let c = 0; c < classes; c++) logits[c] = logits[c]! * scale + network.bias[c]!;
    return logits;
  }
  const pooled = meanEmbedding(network, ids);
  const hidden = new Float64Array(network.hidden);
  for (let h = 0; h < network.hidden; h++) {
    let sum = network.hiddenBias[h]!;
    for (let d = 0; d < network.dimension; d++)
      sum += pooled[d]! * network.hiddenWeight[d * network.hidden + h]!;
    hidden[h] = Math.max(0, sum);
  }
  const logits = new Float64Array(network.classes);
  for (let c = 0; c < network.classes; c++) {
    let sum = network.outputBias[c]!;
    for (let h = 0; h < network.hidden; h++)
      sum += hidden[h]! * network.outputWeight[h * network.classes + c]!;
    logits[c] = sum;
  }
  return logits;
}

/** The average of the token vectors of one sequence. */
export function meanEmbedding(
  network: EmbeddingMlpNetwork | TokenEmbeddingNetwork,
  ids: ArrayLike<number>,
): Float64Array {
  const pooled = new Float64Array(network.dimension);
  for (let t = 0; t < ids.length; t++) {
    const row = network.tokenRows[ids[t]!]! * network.dimension;
    for (let d = 0; d < network.dimension; d++) pooled[d]! += network.embedding[row + d]!;
  }
  const scale = 1 / Math.max(1, ids.length);
  for (let d = 0; d < network.dimension; d++) pooled[d] = pooled[d]! * scale;
  return pooled;
}

/** What `pipeline('feature-extraction')` returns with `{ pooling: 'mean', normalize: true }`. */
export function referenceSentenceEmbedding(
  network: TokenEmbeddingNetwork,
  ids: ArrayLike<number>,
): Float64Array {
  const pooled = meanEmbedding(network, ids);
  let norm = 0;
  for (const value of pooled) norm += value * value;
  norm = Math.sqrt(norm);
  return pooled.map((value) => (norm > 0 ? value / Math.max(norm, 1e-12) : 0));
}

/** Softmax of logits (what the text-classification pipeline reports as scores). */
export function softmax(logits: ArrayLike<number>): Float64Array {
  let max = Number.NEGATIVE_INFINITY;
  for (let index = 0; index < logits.length; index++) max = Math.max(max, logits[index]!);
  const result = new Float64Array(logits.length);
  let sum = 0;
  for (let index = 0; index < logits.length; index++) {
    result[index] = Math.exp(logits[index]! - max);
    sum += result[index]!;
  }
  for (let index = 0; index < result.length; index++) result[index] = result[index]! / sum;
  return result;
}

/** Index of the largest value (the first on ties, as the pipeline's top-k). */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let index = 1; index < values.length; index++) if (values[index]! > values[best]!) best = index;
  return best;
}
