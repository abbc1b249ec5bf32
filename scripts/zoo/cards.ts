// config.json and README.md (model card with Hub front matter) of each zoo model, and the
// provenance notes of the zoo and of the bundled samples.
import { stringify } from 'yaml';
import { DTYPE_FILES, DTYPES, parameterCount } from './architectures.js';
import type { Corpus, Example } from './data.js';
import { formatBytes, formatCount } from './format.js';
import { ZOO_ORGANIZATION } from './paths.js';
import type { BuiltModel, HeldOutMetric } from './zoo.js';

/** The files of a model folder besides the tokenizer and the ONNX files. */
export interface ModelTexts {
  readonly 'config.json': string;
  readonly 'README.md': string;
}

const DATASET_IDS = { sst2: 'stanfordnlp/sst2', agnews: 'fancyzhx/ag_news' } as const;
const DATASET_NAMES = {
  sst2: 'SST-2 (dev.tsv of the forest-snow/alps split, held out)',
  agnews: 'AG News (2,000 texts held out from the forest-snow/alps slice)',
} as const;

const CITATIONS = {
  sst2: 'Socher et al., "Recursive Deep Models for Semantic Compositionality Over a Sentiment Treebank", EMNLP 2013.',
  agnews:
    'Zhang, Zhao and LeCun, "Character-level Convolutional Networks for Text Classification", NeurIPS 2015 (AG\'s corpus of news articles).',
  alps: 'Yuan et al., "Cold-start Active Learning through Self-supervised Language Modeling", EMNLP 2020 (repository forest-snow/alps, MIT license, commit 3c7ef2c98249fc975a897b27f275695f97d5b7a9).',
} as const;

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function corporaOf(built: BuiltModel): ('sst2' | 'agnews')[] {
  return built.model.corpus === 'sst2+agnews' ? ['sst2', 'agnews'] : [built.model.corpus];
}

/** The config transformers.js reads (`model_type` picks the BERT classes; the graph is not a BERT). */
export function modelConfig(built: BuiltModel): string {
  const { model, report } = built;
  const network = report.network;
  const labels = model.labels;
  const architecture: Record<string, unknown> = { name: network.architecture };
  if (network.architecture === 'linear-bag') {
    architecture.pooling = network.pooling;
    architecture.bigram_buckets = network.bigramBuckets;
  } else {
    architecture.embedding_rows = network.rowCount;
    architecture.embedding_dimension = network.dimension;
    if (network.architecture === 'embedding-mlp') architecture.hidden_size = network.hidden;
  }
  return json({
    architectures: [model.task === 'feature-extraction' ? 'BertModel' : 'BertForSequenceClassification'],
    model_type: 'bert',
    ...(labels
      ? {
          id2label: Object.fromEntries(labels.map((label, index) => [String(index), label])),
          label2id: Object.fromEntries(labels.map((label, index) => [label, index])),
          problem_type: 'single_label_classification',
        }
      : {}),
    ...(network.architecture === 'token-embedding' ? { hidden_size: network.dimension } : {}),
    vocab_size: network.vocabularySize,
    max_position_embeddings: 512,
    pad_token_id: 0,
    modelscout_zoo: architecture,
  });
}

function majorityShare(corpus: Corpus<Example>): number {
  const counts = new Array<number>(corpus.labels.length).fill(0);
  for (const example of corpus.heldOut) counts[example.label]!++;
  return Math.max(...counts) / corpus.heldOut.length;
}

/** The model card: Hub front matter (license, task, library, tags, datasets, model-index) and a body. */
export function modelCard(
  built: BuiltModel,
  corpora: { sst2: Corpus<Example>; agnews: Corpus<Example> },
  tokenizerBytes: number,
): string {
  const { model, report, files, metrics } = built;
  const id = `${ZOO_ORGANIZATION}/${model.name}`;
  const used = corporaOf(built);
  const fp32 = metrics.fp32;
  const tags = [
    'onnx',
    'transformers.js',
    model.task,
    ...(model.task === 'text-classification'
      ? model.corpus === 'sst2'
        ? ['sentiment-analysis']
        : ['topic-classification', 'news']
      : ['sentence-embeddings', 'sentence-similarity']),
    'modelscout-zoo',
    'small',
  ];
  const groups = new Map<string, HeldOutMetric[]>();
  for (const metric of fp32) {
    const key = `${metric.dataset}\u0000${metric.subset ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), metric]);
  }
  const results = [...groups.values()].map((group) => {
    const { dataset, subset } = group[0]!;
    return {
      task:
        model.task === 'text-classification'
          ? {
              type: 'text-classification',
              name: model.corpus === 'sst2' ? 'Sentiment analysis' : 'Topic classification',
            }
          : { type: 'feature-extraction', name: 'Nearest-neighbour retrieval' },
      dataset: {
        name: subset ? `${DATASET_NAMES[dataset]}: ${subset}` : DATASET_NAMES[dataset],
        type: DATASET_IDS[dataset],
        split: dataset === 'sst2' ? 'dev' : 'held-out',
      },
      metrics: group.map((metric) => ({ type: metric.type, value: metric.value, name: metric.name })),
    };
  });
  const frontMatter = {
    license: 'apache-2.0',
    library_name: 'transformers.js',
    pipeline_tag: model.task,
    language: ['en'],
    tags,
    datasets: used.map((corpus) => DATASET_IDS[corpus]),
    metrics: [...new Set(fp32.map((metric) => metric.type))],
    'model-index': [{ name: id, results }],
  };

  const network = report.network;
  const parameters = parameterCount(network);
  const totalBytes = DTYPES.reduce((sum, dtype) => sum + files[dtype].length, 0) + tokenizerBytes;
  const metricNames = fp32.map((metric) => metric.column);
  const lines: string[] = [];
  lines.push(`---\n${stringify(frontMatter, { lineWidth: 0 })}---`, '');
  lines.push(`# ${id}`, '', model.summary, '');
  lines.push(
    'Trained by the modelscout project from scratch on the real data in `../shared/datasets` (no pretrained weights), written in transformers.js layout, and regenerated byte for byte by `npx tsx scripts/zoo/build.ts`. It is small on purpose: a real model to exercise discovery, evaluation and selection offline, not a state-of-the-art one.',
    '',
  );

  lines.push('## Use', '', '```js', "import { env, pipeline } from '@huggingface/transformers';", '');
  lines.push(
    "// Serve examples/models with modelscout's createLocalHub, then:",
    "env.remoteHost = hub.url + '/';",
    'env.allowLocalModels = false;',
  );
  if (model.task === 'text-classification') {
    lines.push(
      `const classifier = await pipeline('text-classification', '${id}', { dtype: 'fp32' }); // or 'fp16', 'q8'`,
      model.corpus === 'sst2'
        ? "await classifier('a gripping , beautifully acted film');"
        : "await classifier('Shares of the chip maker rose after strong quarterly earnings.');",
    );
  } else {
    lines.push(
      `const extractor = await pipeline('feature-extraction', '${id}', { dtype: 'fp32' }); // or 'fp16', 'q8'`,
      "const vectors = await extractor(['a gripping film', 'stocks fell sharply'], { pooling: 'mean', normalize: true });",
      '// vectors.dims = [2, 32]; the dot product of two rows is their cosine similarity',
    );
  }
  lines.push('```', '');

  lines.push(
    '## Files and sizes',
    '',
    `${formatCount(parameters)} parameters. The folder holds one copy of the tokenizer (${formatBytes(tokenizerBytes)}) and one ONNX file per dtype; ${formatBytes(totalBytes)} in all.`,
    '',
    `| dtype | file | size | ${metricNames.join(' | ')} |`,
    `| --- | --- | --- |${metricNames.map(() => ' --- |').join('')}`,
  );
  for (const dtype of DTYPES) {
    lines.push(
      `| ${dtype} | \`${DTYPE_FILES[dtype]}\` | ${formatBytes(files[dtype].length)} | ${metrics[dtype].map((metric) => metric.value.toFixed(4)).join(' | ')} |`,
    );
  }
  lines.push(
    '',
    '- **fp32**: float32 weights.',
    '- **fp16**: weights stored as float16 and cast to float32 right after the lookup, so inputs and outputs are the same as fp32 (`dtype: "fp16"`).',
    '- **q8**: weights stored as int8 with one float32 scale per output column (symmetric, zero point 0) and expanded by `DequantizeLinear` after the lookup; biases stay float32 (`dtype: "q8"`).',
    '',
  );

  lines.push('## Evaluation', '');
  for (const corpus of used) {
    const subset = fp32.find((metric) => metric.dataset === corpus && metric.subset !== undefined);
    lines.push(
      `- Held-out data: ${corpora[corpus].heldOutDescription}${model.task === 'feature-extraction' && subset ? `; the metric uses ${subset.subset}` : ''}.`,
    );
  }
  lines.push(
    '- Every number above is computed by the build from the ONNX file of that dtype. `test/zoo.test.ts` recomputes them from the files, and the fp32 ones also through `pipeline()` of transformers.js served by the local hub.',
  );
  if (model.task === 'text-classification') {
    const corpus = corpora[used[0]!];
    lines.push(
      `- Predicting the majority class would score ${majorityShare(corpus).toFixed(4)} accuracy.`,
      '- Macro F1 is the unweighted mean of the per-class F1 scores.',
    );
    if (used[0] === 'sst2') {
      lines.push(
        `- **Read the SST-2 numbers with care.** SST-2 holds every sub-phrase of each review sentence, and \`dev.tsv\` and \`train.tsv\` split phrases, not sentences: of ${corpus.overlap?.sampled ?? 0} dev phrases drawn at random, ${corpus.overlap?.insideTrain ?? 0} occur word for word inside some training phrase, and the rest are mostly longer phrases, often whole sentences, whose sub-phrases are training phrases. Held-out accuracy here is therefore well above what the same model reaches on unseen sentences (about 0.80–0.83 is typical for bag-of-words models on sentence-level SST-2).`,
      );
      lines.push(
        '- Reference points for sentence-level binary SST (Socher et al. 2013, Table 1): Naive Bayes 81.8, SVM 79.4, bigram NB 83.1, averaged word vectors 80.1, RNTN 85.4 (accuracy %; a different evaluation set, so only a rough guide).',
      );
    }
  } else {
    lines.push(
      '- The metric embeds every held-out text with `{ pooling: "mean", normalize: true }`, finds its most cosine-similar other text, and counts how often the two share a label.',
    );
  }
  for (const note of report.notes ?? []) lines.push(`- ${note}`);
  lines.push('');

  lines.push('## Architecture', '', model.architectureDescription, '');
  if (network.architecture === 'linear-bag') {
    lines.push(`This model pools by **${network.pooling}** (chosen on the validation split).`, '');
  }
  lines.push(
    'The graph (ONNX opset 17, IR version 8) takes `input_ids` and `attention_mask` (int64, `[batch_size, sequence_length]`) and uses only standard operators (Gather, Cast, Unsqueeze, Mul, ReduceSum, …), so it runs on onnxruntime-node and onnxruntime-web. `config.json` says `model_type: "bert"` only so that transformers.js picks its BERT classes for the task: the network is not a transformer. Its real shape is under `modelscout_zoo` in `config.json` and in the ONNX metadata (`modelscout.architecture`).',
    '',
  );

  lines.push('## Training', '');
  lines.push(
    '- Tokenizer: the real WordPiece tokenizer of `bert-base-uncased` (30,522 tokens, lower-casing), loaded with `AutoTokenizer` of transformers.js; training sees exactly the ids the pipeline produces (`[CLS] … [SEP]`, truncated to 512).',
  );
  for (const corpus of used) {
    const data = corpora[corpus];
    lines.push(
      `- ${corpus === 'sst2' ? 'SST-2' : 'AG News'}: ${formatCount(data.train.length)} training texts and ${formatCount(data.validation.length)} validation texts (${corpus === 'sst2' ? '10 % of `sst2/train.tsv`' : '10 % of what remains of `agnews/train.tsv` after the held-out split'}, drawn with a fixed seed). The held-out data were used for nothing but the numbers above.`,
    );
  }
  for (const setting of report.settings) lines.push(`- ${setting}`);
  lines.push(
    `- Validation ${report.validation.metric} at the kept epoch: ${report.validation.value.toFixed(4)}.`,
    '- Deterministic: seeded shuffles and initial weights (`seededRandom` of modelscout), float64 arithmetic in one thread, weights rounded to the file dtype at export.',
    '',
  );

  lines.push('## Limitations', '');
  for (const limitation of model.limitations) lines.push(`- ${limitation}`);
  lines.push('');

  lines.push('## License, data and citation', '');
  lines.push(
    '- The weights and this card: Apache-2.0, like the modelscout project.',
    '- Tokenizer files: copied unchanged from `Xyntopia/all-MiniLM-L6-v2` (commit 48a5a372879ed2ed147ab84836e345977276d9b2), a transformers.js packaging of `sentence-transformers/all-MiniLM-L6-v2` (apache-2.0); the vocabulary is that of `bert-base-uncased`.',
    `- Training data: ${used.map((corpus) => (corpus === 'sst2' ? '`sst2/train.tsv`' : '`agnews/train.tsv`')).join(' and ')} as packaged by ${CITATIONS.alps} The datasets keep their original terms; check them before commercial use. Please cite:`,
  );
  for (const corpus of used) lines.push(`  - ${CITATIONS[corpus]}`);
  lines.push('');
  return lines.join('\n');
}

/** examples/models/PROVENANCE.md. */
export function zooProvenance(built: readonly BuiltModel[]): string {
  const lines = [
    '# Model zoo — provenance',
    '',
    'Small models trained by the modelscout project itself, served by `createLocalHub({ root: "examples/models" })` as',
    '`modelscout/<name>`. Nothing here was downloaded: `scripts/zoo/build.ts` trains every model from',
    '`../shared/datasets` with the tokenizer in `../shared/tokenizers/bert-base-uncased` and writes this folder.',
    '',
    '- Regenerate: `npx tsx scripts/zoo/build.ts` (deterministic: the same bytes on every run).',
    '- Verify: `npx tsx scripts/zoo/build.ts --check` rebuilds into a temporary folder and compares bytes (exit 1 on a difference).',
    '- Each model folder has a model card (`README.md`) with its task, license, held-out metrics, sizes, training and limits.',
    '',
    '| model | task | data | parameters |',
    '| --- | --- | --- | --- |',
  ];
  for (const { model, report } of built) {
    lines.push(
      `| \`${ZOO_ORGANIZATION}/${model.name}\` | ${model.task} | ${model.corpus} | ${formatCount(parameterCount(report.network))} |`,
    );
  }
  lines.push(
    '',
    'Licenses: weights and cards Apache-2.0; tokenizer files from `Xyntopia/all-MiniLM-L6-v2` (apache-2.0); training',
    'data from `forest-snow/alps` (MIT, see `../shared/datasets/PROVENANCE.md` and `examples/data/LICENSE.alps-repo.txt`),',
    'originally SST-2 (Socher et al., EMNLP 2013) and AG News (Zhang, Zhao and LeCun, NeurIPS 2015).',
    '',
  );
  return lines.join('\n');
}

/** examples/data/PROVENANCE.md. */
export function samplesProvenance(sampleSize: number): string {
  return [
    '# Bundled samples — provenance',
    '',
    'Labeled text for the demo and for anything that must run without `../shared`. Every row is copied unchanged',
    'from the files in `../shared/datasets` (see its PROVENANCE.md), chosen by `scripts/zoo/build.ts` with fixed seeds.',
    '',
    `- \`sst2-sample.tsv\`: ${sampleSize} rows of \`sst2/dev.tsv\` (the SST-2 held-out split of the zoo), with its header`,
    '  `sentence<TAB>label`; labels 0 = negative (NEGATIVE), 1 = positive (POSITIVE).',
    `- \`agnews-sample.tsv\`: ${sampleSize} rows of the zoo's AG News held-out split (texts of \`agnews/train.tsv\` that no`,
    '  zoo model was trained on), with a header line `text<TAB>label` added; labels World, Sports, Business, Sci/Tech.',
    '',
    'Source: GitHub repository `forest-snow/alps` (Yuan et al., EMNLP 2020), commit',
    '`3c7ef2c98249fc975a897b27f275695f97d5b7a9`, MIT licensed (`LICENSE.alps-repo.txt`, copied beside this file). Cite the',
    'original datasets when you use them: SST-2 — Socher et al., "Recursive Deep Models for Semantic Compositionality',
    'Over a Sentiment Treebank", EMNLP 2013; AG News — Zhang, Zhao and LeCun, "Character-level Convolutional Networks',
    'for Text Classification", NeurIPS 2015.',
    '',
  ].join('\n');
}
