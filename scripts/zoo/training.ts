// Deterministic training: minibatch Adam (lazy on sparse rows) over seeded shuffles, with the
// epoch chosen on the validation split. Plain float64 math, no threads: the same inputs give the
// same weights on every machine.
import { type RandomSource, sampleStandardNormal, seededRandom } from '../../src/random/index.js';
import {
  type EmbeddingMlpNetwork,
  type LinearBagNetwork,
  meanEmbedding,
  type Pooling,
  referenceLogits,
  softmax,
  type TokenEmbeddingNetwork,
} from './architectures.js';
import type { Example } from './data.js';
import { seededPermutation } from './data.js';

/**
 * A trainable tensor split into rows. A gradient only touches some rows (the tokens of the batch);
 * only those rows are updated ("lazy" Adam), which keeps sparse tables cheap to train.
 */
export class Parameter {
  readonly values: Float64Array;
  readonly gradient: Float64Array;
  private readonly firstMoment: Float64Array;
  private readonly secondMoment: Float64Array;
  private readonly touched: number[] = [];
  private readonly isTouched: Uint8Array;

  constructor(
    size: number,
    readonly rowSize: number,
    initial?: Float64Array,
  ) {
    this.values = initial ?? new Float64Array(size);
    this.gradient = new Float64Array(size);
    this.firstMoment = new Float64Array(size);
    this.secondMoment = new Float64Array(size);
    this.isTouched = new Uint8Array(size / rowSize);
  }

  /** Marks a row as having a gradient in this step. */
  touch(row: number): void {
    if (this.isTouched[row] === 0) {
      this.isTouched[row] = 1;
      this.touched.push(row);
    }
  }

  /** One Adam step on the touched rows (with L2 on those rows), then clears their gradient. */
  step(options: AdamOptions, stepNumber: number): void {
    const { learningRate, l2, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8 } = options;
    const correction1 = 1 - beta1 ** stepNumber;
    const correction2 = 1 - beta2 ** stepNumber;
    for (const row of this.touched) {
      const start = row * this.rowSize;
      for (let index = start; index < start + this.rowSize; index++) {
        const gradient = this.gradient[index]! + l2 * this.values[index]!;
        const first = beta1 * this.firstMoment[index]! + (1 - beta1) * gradient;
        const second = beta2 * this.secondMoment[index]! + (1 - beta2) * gradient * gradient;
        this.firstMoment[index] = first;
        this.secondMoment[index] = second;
        this.values[index] =
          this.values[index]! -
          (learningRate * (first / correction1)) / (Math.sqrt(second / correction2) + epsilon);
        this.gradient[index] = 0;
      }
      this.isTouched[row] = 0;
    }
    this.touched.length = 0;
  }
}

/** Adam's settings. */
export interface AdamOptions {
  readonly learningRate: number;
  /** L2 penalty added to the gradient of every updated weight. */
  readonly l2: number;
  readonly beta1?: number;
  readonly beta2?: number;
  readonly epsilon?: number;
}

/** A model under training. */
export interface Trainable<T> {
  readonly parameters: readonly Parameter[];
  /** Adds `scale` × the gradient of the loss on `example` to the parameters' gradients. */
  accumulate(example: T, scale: number): void;
}

/** Options of {@link trainWithEarlyStopping}. */
export interface TrainingOptions extends AdamOptions {
  readonly epochs: number;
  readonly batchSize: number;
  /** Seed of the shuffles (one permutation per epoch). */
  readonly seed: string;
  /** Stop after this many epochs without a better validation score. */
  readonly patience: number;
}

/** What {@link trainWithEarlyStopping} returns: the best epoch (1-based), its validation score, and every epoch's score. */
export interface TrainingResult {
  readonly bestEpoch: number;
  readonly bestScore: number;
  readonly scores: readonly number[];
}

/**
 * Trains for up to `epochs` epochs, scoring on validation after each, and leaves the parameters
 * at the best epoch (early stopping; ties keep the earlier epoch).
 */
export function trainWithEarlyStopping<T>(
  model: Trainable<T>,
  train: readonly T[],
  validate: () => number,
  options: TrainingOptions,
): TrainingResult {
  let best = { epoch: 0, score: Number.NEGATIVE_INFINITY, values: [] as Float64Array[] };
  const scores: number[] = [];
  let stepNumber = 0;
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    const order = seededPermutation(train.length, `${options.seed}:epoch-${epoch}`);
    for (let start = 0; start < order.length; start += options.batchSize) {
      const end = Math.min(order.length, start + options.batchSize);
      const scale = 1 / (end - start);
      for (let position = start; position < end; position++)
        model.accumulate(train[order[position]!]!, scale);
      stepNumber++;
      for (const parameter of model.parameters) parameter.step(options, stepNumber);
    }
    const score = validate();
    scores.push(score);
    if (score > best.score) {
      best = { epoch, score, values: model.parameters.map((parameter) => parameter.values.slice()) };
    } else if (epoch - best.epoch >= options.patience) {
      break;
    }
  }
  for (const [index, parameter] of model.parameters.entries()) parameter.values.set(best.values[index]!);
  return { bestEpoch: best.epoch, bestScore: best.score, scores };
}

/** Accuracy of `predict` on labeled examples. */
export function accuracy<T extends { readonly label: number }>(
  examples: readonly T[],
  predict: (example: T) => number,
): number {
  let correct = 0;
  for (const example of examples) if (predict(example) === example.label) correct++;
  return examples.length === 0 ? 0 : correct / examples.length;
}

/** Adds `scale · (softmax(logits) − onehot(label))` into `into`: the cross-entropy gradient w.r.t. the logits. */
function logitGradient(logits: Float64Array, label: number, scale: number): Float64Array {
  const gradient = softmax(logits);
  gradient[label] = gradient[label]! - 1;
  for (let index = 0; index < gradient.length; index++) gradient[index] = gradient[index]! * scale;
  return gradient;
}

function gaussian(size: number, standardDeviation: number, random: RandomSource): Float64Array {
  return Float64Array.from({ length: size }, () => sampleStandardNormal(random) * standardDeviation);
}

// ---------------------------------------------------------------------------------------------

/** Hyperparameters of a {@link LinearBagNetwork}. */
export interface LinearBagShape {
  readonly vocabularySize: number;
  readonly classes: number;
  readonly pooling: Pooling;
  readonly bigramBuckets: number;
}

/** Logistic regression over token (and hashed bigram) counts, weights starting at zero. */
export function linearBagModel(shape: LinearBagShape): Trainable<Example> & { network: LinearBagNetwork } {
  const { vocabularySize, classes, pooling, bigramBuckets } = shape;
  const unigram = new Parameter(vocabularySize * classes, classes);
  const bigram = new Parameter(bigramBuckets * classes, classes);
  const bias = new Parameter(classes, classes);
  const network: LinearBagNetwork = {
    architecture: 'linear-bag',
    vocabularySize,
    classes,
    pooling,
    unigram: unigram.values,
    bigramBuckets,
    bigram: bigram.values,
    bias: bias.values,
  };
  return {
    network,
    parameters: bigramBuckets > 0 ? [unigram, bigram, bias] : [unigram, bias],
    accumulate(example, scale) {
      const { ids } = example;
      const gradient = logitGradient(referenceLogits(network, ids), example.label, scale);
      const featureScale = pooling === 'mean' ? 1 / ids.length : 1;
      for (let t = 0; t < ids.length; t++) {
        const row = ids[t]!;
        unigram.touch(row);
        for (let c = 0; c < classes; c++) unigram.gradient[row * classes + c]! += featureScale * gradient[c]!;
      }
      if (bigramBuckets > 0) {
        for (let t = 0; t + 1 < ids.length; t++) {
          const row = (ids[t]! * vocabularySize + ids[t + 1]!) % bigramBuckets;
          bigram.touch(row);
          for (let c = 0; c < classes; c++)
            bigram.gradient[row * classes + c]! += featureScale * gradient[c]!;
        }
      }
      bias.touch(0);
      for (let c = 0; c < classes; c++) bias.gradient[c]! += gradient[c]!;
    },
  };
}

// ---------------------------------------------------------------------------------------------

/**
 * The compacted embedding rows: tokens in at least `minimumDocuments` training texts get their
 * own row (1…R−1, by token id); every other token shares row 0.
 */
export function tokenRowsFrom(
  texts: readonly { readonly ids: Int32Array }[],
  vocabularySize: number,
  minimumDocuments: number,
): { tokenRows: Int32Array; rowCount: number } {
  const documents = new Int32Array(vocabularySize);
  const seen = new Int32Array(vocabularySize).fill(-1);
  texts.forEach((text, index) => {
    for (const id of text.ids) {
      if (seen[id] !== index) {
        seen[id] = index;
        documents[id]!++;
      }
    }
  });
  const tokenRows = new Int32Array(vocabularySize);
  let rowCount = 1;
  for (let id = 0; id < vocabularySize; id++)
    if (documents[id]! >= minimumDocuments) tokenRows[id] = rowCount++;
  return { tokenRows, rowCount };
}

/** Hyperparameters of an {@link EmbeddingMlpNetwork}. */
export interface EmbeddingMlpShape {
  readonly vocabularySize: number;
  readonly classes: number;
  readonly dimension: number;
  readonly hidden: number;
  readonly tokenRows: Int32Array;
  readonly rowCount: number;
  /** Seed of the initial weights. */
  readonly seed: string;
}

/** Averaged token embeddings → ReLU layer → linear layer, with Gaussian initial weights. */
export function embeddingMlpModel(
  shape: EmbeddingMlpShape,
): Trainable<Example> & { network: EmbeddingMlpNetwork } {
  const { vocabularySize, classes, dimension, hidden, tokenRows, rowCount } = shape;
  const random = seededRandom(shape.seed);
  const embedding = new Parameter(
    rowCount * dimension,
    dimension,
    gaussian(rowCount * dimension, 0.1, random),
  );
  const hiddenWeight = new Parameter(
    dimension * hidden,
    dimension * hidden,
    gaussian(dimension * hidden, Math.sqrt(2 / dimension), random),
  );
  const hiddenBias = new Parameter(hidden, hidden);
  const outputWeight = new Parameter(
    hidden * classes,
    hidden * classes,
    gaussian(hidden * classes, Math.sqrt(1 / hidden), random),
  );
  const outputBias = new Parameter(classes, classes);
  const network: EmbeddingMlpNetwork = {
    architecture: 'embedding-mlp',
    vocabularySize,
    classes,
    dimension,
    hidden,
    tokenRows,
    rowCount,
    embedding: embedding.values,
    hiddenWeight: hiddenWeight.values,
    hiddenBias: hiddenBias.values,
    outputWeight: outputWeight.values,
    outputBias: outputBias.values,
  };
  return {
    network,
    parameters: [embedding, hiddenWeight, hiddenBias, outputWeight, outputBias],
    accumulate(example, scale) {
      const { ids } = example;
      const pooled = meanEmbedding(network, ids);
      const activation = new Float64Array(hidden);
      for (let h = 0; h < hidden; h++) {
        let sum = hiddenBias.values[h]!;
        for (let d = 0; d < dimension; d++) sum += pooled[d]! * hiddenWeight.values[d * hidden + h]!;
        activation[h] = Math.max(0, sum);
      }
      const logits = new Float64Array(classes);
      for (let c = 0; c < classes; c++) {
        let sum = outputBias.values[c]!;
        for (let h = 0; h < hidden; h++) sum += activation[h]! * outputWeight.values[h * classes + c]!;
        logits[c] = sum;
      }
      const gradient = logitGradient(logits, example.label, scale);
      const hiddenGradient = new Float64Array(hidden);
      outputWeight.touch(0);
      outputBias.touch(0);
      for (let c = 0; c < classes; c++) outputBias.gradient[c]! += gradient[c]!;
      for (let h = 0; h < hidden; h++) {
        if (activation[h]! <= 0) continue;
        let back = 0;
        for (let c = 0; c < classes; c++) {
          outputWeight.gradient[h * classes + c]! += activation[h]! * gradient[c]!;
          back += outputWeight.values[h * classes + c]! * gradient[c]!;
        }
        hiddenGradient[h] = back;
      }
      hiddenWeight.touch(0);
      hiddenBias.touch(0);
      const pooledGradient = new Float64Array(dimension);
      for (let h = 0; h < hidden; h++) {
        const back = hiddenGradient[h]!;
        if (back === 0) continue;
        hiddenBias.gradient[h]! += back;
        for (let d = 0; d < dimension; d++) {
          hiddenWeight.gradient[d * hidden + h]! += pooled[d]! * back;
          pooledGradient[d]! += hiddenWeight.values[d * hidden + h]! * back;
        }
      }
      addToTokenRows(embedding, tokenRows, ids, pooledGradient);
    },
  };
}

/** Spreads the gradient of a mean-pooled vector over the rows of its tokens. */
function addToTokenRows(
  embedding: Parameter,
  tokenRows: Int32Array,
  ids: Int32Array,
  pooledGradient: Float64Array,
): void {
  const dimension = embedding.rowSize;
  const share = 1 / ids.length;
  for (let t = 0; t < ids.length; t++) {
    const row = tokenRows[ids[t]!]!;
    embedding.touch(row);
    for (let d = 0; d < dimension; d++)
      embedding.gradient[row * dimension + d]! += pooledGradient[d]! * share;
  }
}

// ---------------------------------------------------------------------------------------------

/** A labeled example of one of several tasks (for multi-task training of shared embeddings). */
export interface TaskExample extends Example {
  readonly task: number;
}

/** Hyperparameters of a {@link TokenEmbeddingNetwork} trained with one linear head per task. */
export interface TokenEmbeddingShape {
  readonly vocabularySize: number;
  readonly dimension: number;
  readonly tokenRows: Int32Array;
  readonly rowCount: number;
  /** Classes of each task's head. */
  readonly taskClasses: readonly number[];
  readonly seed: string;
}

/**
 * Shared token embeddings, averaged and then L2-normalized (as the feature-extraction pipeline
 * does), with one linear softmax head per task on top of `temperature` × the unit vector. The
 * heads are dropped at export: the embeddings are the model.
 */
export function tokenEmbeddingModel(
  shape: TokenEmbeddingShape & { readonly temperature: number },
): Trainable<TaskExample> & {
  network: TokenEmbeddingNetwork;
  predict(example: TaskExample): number;
} {
  const { vocabularySize, dimension, tokenRows, rowCount, taskClasses, temperature } = shape;
  const random = seededRandom(shape.seed);
  const embedding = new Parameter(
    rowCount * dimension,
    dimension,
    gaussian(rowCount * dimension, 0.1, random),
  );
  const heads = taskClasses.map((classes) => ({
    classes,
    weight: new Parameter(
      dimension * classes,
      dimension * classes,
      gaussian(dimension * classes, 0.1, random),
    ),
    bias: new Parameter(classes, classes),
  }));
  const network: TokenEmbeddingNetwork = {
    architecture: 'token-embedding',
    vocabularySize,
    dimension,
    tokenRows,
    rowCount,
    embedding: embedding.values,
  };
  const forward = (example: TaskExample) => {
    const pooled = meanEmbedding(network, example.ids);
    let norm = 0;
    for (const value of pooled) norm += value * value;
    norm = Math.max(Math.sqrt(norm), 1e-12);
    const unit = pooled.map((value) => value / norm);
    const head = heads[example.task]!;
    const logits = new Float64Array(head.classes);
    for (let c = 0; c < head.classes; c++) {
      let sum = head.bias.values[c]!;
      for (let d = 0; d < dimension; d++)
        sum += temperature * unit[d]! * head.weight.values[d * head.classes + c]!;
      logits[c] = sum;
    }
    return { unit, norm, head, logits };
  };
  return {
    network,
    parameters: [embedding, ...heads.flatMap((head) => [head.weight, head.bias])],
    predict(example) {
      const { logits } = forward(example);
      let best = 0;
      for (let c = 1; c < logits.length; c++) if (logits[c]! > logits[best]!) best = c;
      return best;
    },
    accumulate(example, scale) {
      const { unit, norm, head, logits } = forward(example);
      const gradient = logitGradient(logits, example.label, scale);
      head.weight.touch(0);
      head.bias.touch(0);
      const unitGradient = new Float64Array(dimension);
      for (let c = 0; c < head.classes; c++) {
        head.bias.gradient[c]! += gradient[c]!;
        for (let d = 0; d < dimension; d++) {
          head.weight.gradient[d * head.classes + c]! += temperature * unit[d]! * gradient[c]!;
          unitGradient[d]! += temperature * head.weight.values[d * head.classes + c]! * gradient[c]!;
        }
      }
      // d(u)/d(p) = (I − u uᵀ) / ‖p‖.
      let along = 0;
      for (let d = 0; d < dimension; d++) along += unitGradient[d]! * unit[d]!;
      const pooledGradient = unitGradient.map((value, d) => (value - along * unit[d]!) / norm);
      addToTokenRows(embedding, tokenRows, example.ids, pooledGradient);
    },
  };
}
