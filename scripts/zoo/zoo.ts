// The models of the zoo: what each one is, how it is trained, and how it is evaluated.
import {
  argmax,
  DTYPES,
  type Dtype,
  type LinearBagNetwork,
  type Network,
  type Pooling,
  readOnnx,
  referenceLogits,
  referenceSentenceEmbedding,
  type TokenEmbeddingNetwork,
  writeOnnx,
} from './architectures.js';
import { type Corpus, type Example, seededPermutation } from './data.js';
import { classificationMetrics, nearestNeighbourAccuracy, roundMetric } from './evaluation.js';
import { formatCount } from './format.js';
import {
  accuracy,
  embeddingMlpModel,
  linearBagModel,
  type TaskExample,
  type TrainingOptions,
  tokenEmbeddingModel,
  tokenRowsFrom,
  trainWithEarlyStopping,
} from './training.js';

/** The task of a zoo model, as a Hub pipeline tag. */
export type ZooTask = 'text-classification' | 'feature-extraction';

/** The data every model is trained from. */
export interface ZooData {
  readonly vocabularySize: number;
  readonly sst2: Corpus<Example>;
  readonly agnews: Corpus<Example>;
}

/** What training chose and reached on the validation split. */
export interface TrainingReport {
  readonly network: Network;
  /** Lines for the card: the fixed settings and, when there was a choice, what was tried and kept. */
  readonly settings: readonly string[];
  readonly validation: { readonly metric: string; readonly value: number };
  readonly epochs: number;
  /** Extra lines for the card's evaluation section (baselines). */
  readonly notes?: readonly string[];
}

/** One held-out metric of one dtype. */
export interface HeldOutMetric {
  /** model-index `type`, e.g. `accuracy`. */
  readonly type: string;
  readonly name: string;
  /** The column title in the card's table. */
  readonly column: string;
  readonly value: number;
  /** The held-out data it is measured on. */
  readonly dataset: 'sst2' | 'agnews';
  /** A named subset of that data (a separate model-index result). */
  readonly subset?: string;
}

/** Size of the seeded subset of SST-2 dev the embedding model's nearest-neighbour metric uses. */
export const SST2_RETRIEVAL_SUBSET_SIZE = 2000;

/** The SST-2 dev phrases of the retrieval metric: a seeded subset, in file order. */
export function sst2RetrievalSubset<T>(heldOut: readonly T[]): T[] {
  return seededPermutation(heldOut.length, 'zoo:sst2:retrieval')
    .slice(0, SST2_RETRIEVAL_SUBSET_SIZE)
    .sort((a, b) => a - b)
    .map((index) => heldOut[index]!);
}

/** A model of the zoo. */
export interface ZooModel {
  readonly name: string;
  readonly task: ZooTask;
  readonly corpus: 'sst2' | 'agnews' | 'sst2+agnews';
  readonly title: string;
  /** One paragraph on what the model is. */
  readonly summary: string;
  /** How the graph computes its output, for the card. */
  readonly architectureDescription: string;
  readonly limitations: readonly string[];
  readonly labels?: readonly string[];
  train(data: ZooData): TrainingReport;
  /** Metrics on the held-out data for the network as a dtype's file stores it. */
  evaluate(network: Network, data: ZooData): HeldOutMetric[];
}

const ADAM_LINEAR: Omit<TrainingOptions, 'seed'> = {
  learningRate: 0.01,
  l2: 1e-5,
  epochs: 10,
  batchSize: 32,
  patience: 2,
};

/** Trains a linear bag for each pooling, keeps the one with the best validation accuracy. */
function trainLinearBag(
  corpus: Corpus<Example>,
  vocabularySize: number,
  bigramBuckets: number,
  seed: string,
) {
  let best: { network: LinearBagNetwork; score: number; epochs: number; pooling: Pooling } | undefined;
  const tried: string[] = [];
  for (const pooling of ['sum', 'mean'] as const) {
    const model = linearBagModel({ vocabularySize, classes: corpus.labels.length, pooling, bigramBuckets });
    const result = trainWithEarlyStopping(
      model,
      corpus.train,
      () => accuracy(corpus.validation, (example) => argmax(referenceLogits(model.network, example.ids))),
      { ...ADAM_LINEAR, seed: `${seed}:${pooling}` },
    );
    tried.push(`${pooling}: ${result.bestScore.toFixed(4)} (epoch ${result.bestEpoch})`);
    if (!best || result.bestScore > best.score) {
      best = { network: model.network, score: result.bestScore, epochs: result.bestEpoch, pooling };
    }
  }
  if (!best) throw new Error('nothing trained');
  return {
    network: best.network,
    settings: [
      `Adam, learning rate ${ADAM_LINEAR.learningRate}, L2 ${ADAM_LINEAR.l2.toExponential()} on updated rows, batch ${ADAM_LINEAR.batchSize}, weights start at 0`,
      `up to ${ADAM_LINEAR.epochs} epochs, stopping after ${ADAM_LINEAR.patience} without a better validation accuracy; the best epoch is kept`,
      `pooling chosen on validation accuracy — ${tried.join('; ')} → **${best.pooling}**`,
    ],
    validation: { metric: 'accuracy', value: best.score },
    epochs: best.epochs,
  };
}

function classifierMetrics(network: Network, corpus: Corpus<Example>): HeldOutMetric[] {
  if (network.architecture === 'token-embedding') throw new Error('not a classifier');
  const predictions = corpus.heldOut.map((example) => argmax(referenceLogits(network, example.ids)));
  const labels = corpus.heldOut.map((example) => example.label);
  const { accuracy: heldOutAccuracy, macroF1 } = classificationMetrics(
    predictions,
    labels,
    corpus.labels.length,
  );
  const dataset = corpus.name;
  const metrics: HeldOutMetric[] = [
    { type: 'accuracy', name: 'Accuracy', column: 'accuracy', value: roundMetric(heldOutAccuracy), dataset },
    { type: 'f1', name: 'Macro F1', column: 'macro F1', value: roundMetric(macroF1), dataset },
  ];
  return metrics;
}

/** 1-NN leave-one-out same-label accuracy of the pipeline's mean-pooled, normalized embeddings. */
export function embeddingNearestNeighbour(
  network: TokenEmbeddingNetwork,
  examples: readonly Example[],
): number {
  return nearestNeighbourAccuracy(
    examples.map((example) => referenceSentenceEmbedding(network, example.ids)),
    examples.map((example) => example.label),
  );
}

/** The probability that two texts drawn at random share a label: Σ_c p_c². */
function chanceMatch(examples: readonly Example[]): number {
  const counts = new Map<number, number>();
  for (const example of examples) counts.set(example.label, (counts.get(example.label) ?? 0) + 1);
  let sum = 0;
  for (const count of counts.values()) sum += (count / examples.length) ** 2;
  return roundMetric(sum);
}

const SST2_LIMITATIONS = [
  'English only, lower-cased; trained on movie-review phrases, so other domains (product reviews, social media) will score lower.',
  'A bag of tokens: word order is invisible beyond adjacent pairs (bigram model) or not at all; negation and contrast ("not bad", "good but…") are handled poorly.',
  'The held-out accuracy is optimistic for text unlike SST-2: `sst2/dev.tsv` and `sst2/train.tsv` split the phrases of the same review sentences (see Evaluation). On sentence-level held-out data a bag-of-words model is expected near 0.80–0.83.',
  'Not calibrated: scores are softmax outputs of a linear/MLP model, not probabilities you can rely on.',
];

const ZOO_MODELS: readonly ZooModel[] = [
  {
    name: 'sst2-bow-logreg',
    task: 'text-classification',
    corpus: 'sst2',
    title: 'SST-2 sentiment: bag-of-words logistic regression',
    summary:
      'Binary sentiment (NEGATIVE / POSITIVE) of English movie-review phrases. Multinomial logistic regression over WordPiece token counts — the smallest and fastest model of the zoo, and its baseline.',
    architectureDescription:
      'logits = b + pool_t(W[input_ids_t]) with W of shape [30522, 2]; pool is a masked sum (or mean) over the sequence, [CLS] and [SEP] included.',
    limitations: SST2_LIMITATIONS,
    labels: ['NEGATIVE', 'POSITIVE'],
    train: (data) => trainLinearBag(data.sst2, data.vocabularySize, 0, 'zoo:sst2-bow-logreg'),
    evaluate: (network, data) => classifierMetrics(network, data.sst2),
  },
  {
    name: 'sst2-bigram-hashed',
    task: 'text-classification',
    corpus: 'sst2',
    title: 'SST-2 sentiment: logistic regression on tokens and hashed bigrams',
    summary:
      'Binary sentiment (NEGATIVE / POSITIVE) of English movie-review phrases. Logistic regression over WordPiece token counts plus adjacent-token pairs hashed into 65,521 buckets, so short patterns such as "not good" get their own weight.',
    architectureDescription:
      'logits = b + pool(Σ_t U[id_t] + Σ_t B[(id_t · 30522 + id_{t+1}) mod 65521]) with U [30522, 2] and B [65521, 2]; the bucket ids are computed in the graph (Slice, Mul, Add, Mod on int64), pairs with a padded token are masked out.',
    limitations: [
      ...SST2_LIMITATIONS,
      'Hash collisions: 65,521 buckets for far more distinct pairs, so unrelated pairs share weights.',
    ],
    labels: ['NEGATIVE', 'POSITIVE'],
    train: (data) => trainLinearBag(data.sst2, data.vocabularySize, 65_521, 'zoo:sst2-bigram-hashed'),
    evaluate: (network, data) => classifierMetrics(network, data.sst2),
  },
  {
    name: 'sst2-embedding-mlp',
    task: 'text-classification',
    corpus: 'sst2',
    title: 'SST-2 sentiment: averaged token embeddings and a small MLP',
    summary:
      'Binary sentiment (NEGATIVE / POSITIVE) of English movie-review phrases. Each token gets a 32-dimensional embedding; their average goes through a 32-unit ReLU layer and a linear output layer (a "deep averaging network" without dropout).',
    architectureDescription:
      'rows = token_rows[input_ids] (tokens in fewer than 2 training phrases share row 0); pooled = masked mean of E[rows] with E [R, 32]; logits = W2 · relu(W1 · pooled + b1) + b2 with W1 [32, 32], W2 [32, 2].',
    limitations: SST2_LIMITATIONS,
    labels: ['NEGATIVE', 'POSITIVE'],
    train(data) {
      const corpus = data.sst2;
      const { tokenRows, rowCount } = tokenRowsFrom(corpus.train, data.vocabularySize, 2);
      const model = embeddingMlpModel({
        vocabularySize: data.vocabularySize,
        classes: 2,
        dimension: 32,
        hidden: 32,
        tokenRows,
        rowCount,
        seed: 'zoo:sst2-embedding-mlp:init',
      });
      const options: TrainingOptions = {
        learningRate: 0.003,
        l2: 0,
        epochs: 10,
        batchSize: 32,
        patience: 2,
        seed: 'zoo:sst2-embedding-mlp',
      };
      const result = trainWithEarlyStopping(
        model,
        corpus.train,
        () => accuracy(corpus.validation, (example) => argmax(referenceLogits(model.network, example.ids))),
        options,
      );
      return {
        network: model.network,
        settings: [
          `embedding rows: ${formatCount(rowCount)} (the tokens found in at least 2 training phrases, plus a shared row 0 for the rest); Gaussian initial weights (embeddings σ 0.1, He for the hidden layer) from a fixed seed`,
          `Adam, learning rate ${options.learningRate}, no weight decay, batch ${options.batchSize}`,
          `up to ${options.epochs} epochs, stopping after ${options.patience} without a better validation accuracy; the best epoch (${result.bestEpoch}) is kept`,
        ],
        validation: { metric: 'accuracy', value: result.bestScore },
        epochs: result.bestEpoch,
      };
    },
    evaluate: (network, data) => classifierMetrics(network, data.sst2),
  },
  {
    name: 'agnews-bow',
    task: 'text-classification',
    corpus: 'agnews',
    title: 'AG News topics: bag-of-words logistic regression',
    summary:
      'Four-way topic classification of English news snippets (World, Sports, Business, Sci/Tech). Multinomial logistic regression over WordPiece token counts.',
    architectureDescription:
      'logits = b + pool_t(W[input_ids_t]) with W of shape [30522, 4]; pool is a masked sum (or mean) over the sequence.',
    limitations: [
      'English only; news wire text from the mid-2000s. Topics outside the four classes are forced into one of them.',
      'Trained on only 7,201 texts (the AG News slice in ../shared holds 10,001), so rare vocabulary is poorly covered; the full AG News training set (120,000) would do better.',
      'Not calibrated.',
    ],
    labels: ['World', 'Sports', 'Business', 'Sci/Tech'],
    train: (data) => trainLinearBag(data.agnews, data.vocabularySize, 0, 'zoo:agnews-bow'),
    evaluate: (network, data) => classifierMetrics(network, data.agnews),
  },
  {
    name: 'sentence-embedding-mini',
    task: 'feature-extraction',
    corpus: 'sst2+agnews',
    title: 'Sentence embeddings: 32-dimensional averaged token vectors',
    summary:
      'Feature extraction for English sentences: one 32-dimensional vector per token (`last_hidden_state`); with `{ pooling: "mean", normalize: true }` the pipeline returns a unit sentence vector for cosine similarity, search and clustering. The token vectors were trained jointly on sentiment (SST-2) and news topics (AG News), so similarity reflects those two axes — not general meaning.',
    architectureDescription:
      'last_hidden_state = E[token_rows[input_ids]] · attention_mask with E [R, 32] (tokens in fewer than 2 training texts share row 0). Training put a cosine classifier head per task on the mean-pooled, L2-normalized vector (softmax over 5 · u·w_c + b_c); the heads are not exported.',
    limitations: [
      'English only; it knows sentiment and four news topics, nothing finer. Two texts about different subjects with the same tone can look similar.',
      'A bag of tokens: word order is ignored.',
      'The SST-2 metric is optimistic: dev phrases are often sub-phrases of one another (and of training phrases), so a near-duplicate neighbour often exists.',
      'Not a replacement for a trained sentence-transformer; it exists so the project can run feature-extraction end to end without downloads.',
    ],
    train(data) {
      const both: TaskExample[] = [
        ...data.sst2.train.map((example) => ({ ...example, task: 0 })),
        ...data.agnews.train.map((example) => ({ ...example, task: 1 })),
      ];
      const { tokenRows, rowCount } = tokenRowsFrom(both, data.vocabularySize, 2);
      const model = tokenEmbeddingModel({
        vocabularySize: data.vocabularySize,
        dimension: 32,
        tokenRows,
        rowCount,
        taskClasses: [2, 4],
        temperature: 5,
        seed: 'zoo:sentence-embedding-mini:init',
      });
      const untrained: TokenEmbeddingNetwork = {
        ...model.network,
        embedding: model.network.embedding.slice(),
      };
      const sst2Validation = data.sst2.validation.map((example) => ({ ...example, task: 0 }));
      const agnewsValidation = data.agnews.validation.map((example) => ({ ...example, task: 1 }));
      const options: TrainingOptions = {
        learningRate: 0.003,
        l2: 0,
        epochs: 8,
        batchSize: 32,
        patience: 2,
        seed: 'zoo:sentence-embedding-mini',
      };
      const result = trainWithEarlyStopping(
        model,
        both,
        () => (accuracy(sst2Validation, model.predict) + accuracy(agnewsValidation, model.predict)) / 2,
        options,
      );
      return {
        network: model.network,
        settings: [
          `training texts: the SST-2 and AG News training splits together (${formatCount(both.length)}), shuffled per epoch`,
          `embedding rows: ${formatCount(rowCount)} (the tokens found in at least 2 training texts, plus a shared row 0); Gaussian initial weights (σ 0.1) from a fixed seed`,
          `Adam, learning rate ${options.learningRate}, batch ${options.batchSize}; up to ${options.epochs} epochs, stopping after ${options.patience} without a better mean validation accuracy of the two heads; the best epoch (${result.bestEpoch}) is kept`,
        ],
        validation: { metric: 'mean head accuracy (SST-2, AG News)', value: result.bestScore },
        epochs: result.bestEpoch,
        notes: [
          `The same architecture with its untrained (random) embeddings scores ${roundMetric(embeddingNearestNeighbour(untrained, data.agnews.heldOut)).toFixed(4)} on AG News and ${roundMetric(embeddingNearestNeighbour(untrained, sst2RetrievalSubset(data.sst2.heldOut))).toFixed(4)} on SST-2; a neighbour drawn at random would share the label ${chanceMatch(data.agnews.heldOut).toFixed(4)} and ${chanceMatch(sst2RetrievalSubset(data.sst2.heldOut)).toFixed(4)} of the time.`,
        ],
      };
    },
    evaluate(network, data) {
      if (network.architecture !== 'token-embedding') throw new Error('not an embedding model');
      return [
        {
          type: 'nearest_neighbor_accuracy',
          name: '1-NN same-label accuracy (leave-one-out, cosine)',
          column: 'AG News 1-NN accuracy',
          value: roundMetric(embeddingNearestNeighbour(network, data.agnews.heldOut)),
          dataset: 'agnews',
        },
        {
          type: 'nearest_neighbor_accuracy',
          name: '1-NN same-label accuracy (leave-one-out, cosine)',
          column: 'SST-2 1-NN accuracy',
          value: roundMetric(embeddingNearestNeighbour(network, sst2RetrievalSubset(data.sst2.heldOut))),
          dataset: 'sst2',
          subset: `${formatCount(SST2_RETRIEVAL_SUBSET_SIZE)} of its phrases drawn with a fixed seed (zoo:sst2:retrieval)`,
        },
      ];
    },
  },
];

export function zooModels(): readonly ZooModel[] {
  return ZOO_MODELS;
}

/** A trained model with its files and metrics per dtype. */
export interface BuiltModel {
  readonly model: ZooModel;
  readonly report: TrainingReport;
  readonly files: Readonly<Record<Dtype, Uint8Array>>;
  readonly metrics: Readonly<Record<Dtype, readonly HeldOutMetric[]>>;
}

/** Trains, writes every dtype, and evaluates each file as written. */
export function buildModel(model: ZooModel, data: ZooData): BuiltModel {
  const report = model.train(data);
  const files = {} as Record<Dtype, Uint8Array>;
  const metrics = {} as Record<Dtype, HeldOutMetric[]>;
  for (const dtype of DTYPES) {
    files[dtype] = writeOnnx(report.network, dtype, `modelscout/${model.name} (${dtype}): ${model.title}`);
    metrics[dtype] = model.evaluate(readOnnx(files[dtype]), data);
  }
  return { model, report, files, metrics };
}
