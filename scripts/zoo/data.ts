// The zoo's data: SST-2 and AG News from ../shared/datasets, split deterministically, and
// tokenized with the real WordPiece tokenizer exactly as the transformers.js pipelines will.
import { readFile } from 'node:fs/promises';
import { AutoTokenizer, env, type PreTrainedTokenizer } from '@huggingface/transformers';
import { seededRandom } from '../../src/random/index.js';
import { formatCount } from './format.js';
import { sharedInput } from './paths.js';

/** One labeled text; `label` is the class index. */
export interface LabeledText {
  readonly text: string;
  readonly label: number;
  /** The row as it is in the source file (for samples copied unchanged). */
  readonly line: string;
}

/** A labeled text with its token ids ([CLS] … [SEP], truncated as the pipeline truncates). */
export interface Example extends LabeledText {
  readonly ids: Int32Array;
}

/** A dataset split three ways: `train` to fit, `validation` (carved from train) to choose, `heldOut` to report. */
export interface Corpus<T extends LabeledText = LabeledText> {
  readonly name: 'sst2' | 'agnews';
  /** Class names by index. */
  readonly labels: readonly string[];
  readonly train: readonly T[];
  readonly validation: readonly T[];
  readonly heldOut: readonly T[];
  /** How the held-out split was made, for the model cards. */
  readonly heldOutDescription: string;
  /**
   * SST-2 only: of a seeded sample of held-out phrases, how many occur inside some phrase of the
   * training file (as a run of whole words). SST-2 holds every sub-phrase of each review sentence,
   * and the files split phrases, not sentences, so most held-out phrases were seen in training.
   */
  readonly overlap?: { readonly sampled: number; readonly insideTrain: number };
}

export const SST2_LABELS = ['NEGATIVE', 'POSITIVE'] as const;
export const AGNEWS_LABELS = ['World', 'Sports', 'Business', 'Sci/Tech'] as const;

/** Size of the AG News held-out split (drawn with the seed below from agnews/train.tsv). */
export const AGNEWS_HELD_OUT_SIZE = 2000;
/** Held-out SST-2 phrases checked for containment in the training file (a search each: 0.4 ms). */
const OVERLAP_SAMPLE_SIZE = 500;
/** The share of each training file carved out as the validation split. */
const VALIDATION_SHARE = 0.1;

/** A permutation of 0..count-1 (Fisher–Yates on the project's seeded generator). */
export function seededPermutation(count: number, seed: string): number[] {
  const random = seededRandom(seed);
  const order = Array.from({ length: count }, (_, index) => index);
  for (let index = count - 1; index > 0; index--) {
    const other = Math.floor(random.next() * (index + 1));
    [order[index], order[other]] = [order[other]!, order[index]!];
  }
  return order;
}

/** Rows of a `text<TAB>label` file; the label is the text after the last tab. */
interface TsvRow {
  readonly text: string;
  readonly label: string;
  readonly line: string;
}

async function readTsv(file: string, hasHeader: boolean): Promise<TsvRow[]> {
  const lines = (await readFile(file, 'utf8')).split('\n');
  const rows: TsvRow[] = [];
  for (const [index, line] of lines.entries()) {
    if ((hasHeader && index === 0) || line.trim() === '') continue;
    const tab = line.lastIndexOf('\t');
    if (tab < 0) throw new Error(`${file}:${index + 1}: no tab`);
    rows.push({ text: line.slice(0, tab), label: line.slice(tab + 1).trim(), line });
  }
  return rows;
}

function labelIndex(labels: readonly string[], label: string, where: string): number {
  const index = labels.indexOf(label);
  if (index < 0) throw new Error(`${where}: unknown label ${JSON.stringify(label)}`);
  return index;
}

/**
 * SST-2: `sst2/train.tsv` minus a seeded 10 % validation split to train, `sst2/dev.tsv` held out.
 * Labels 0/1 become NEGATIVE/POSITIVE.
 */
export async function loadSst2(): Promise<Corpus> {
  const toLabeled = (rows: TsvRow[], file: string): LabeledText[] =>
    rows.map((row) => ({ text: row.text, label: labelIndex(['0', '1'], row.label, file), line: row.line }));
  const trainFile = sharedInput('datasets/sst2/train.tsv');
  const all = toLabeled(await readTsv(trainFile, true), trainFile);
  const order = seededPermutation(all.length, 'zoo:sst2:validation');
  const validationCount = Math.round(all.length * VALIDATION_SHARE);
  const devFile = sharedInput('datasets/sst2/dev.tsv');
  const heldOut = toLabeled(await readTsv(devFile, true), devFile);
  // SST-2 text is tokenized with single spaces, so padding with spaces matches whole words only.
  const trainText = ` ${all.map((row) => row.text.trim()).join(' \n ')} `;
  const overlapSample = seededPermutation(heldOut.length, 'zoo:sst2:overlap').slice(0, OVERLAP_SAMPLE_SIZE);
  const insideTrain = overlapSample.filter((index) => trainText.includes(` ${heldOut[index]!.text.trim()} `));
  return {
    name: 'sst2',
    labels: SST2_LABELS,
    train: order.slice(validationCount).map((index) => all[index]!),
    validation: order.slice(0, validationCount).map((index) => all[index]!),
    heldOut,
    heldOutDescription: `sst2/dev.tsv (${formatCount(heldOut.length)} phrases, never used for training or for any choice)`,
    overlap: { sampled: overlapSample.length, insideTrain: insideTrain.length },
  };
}

/**
 * AG News: `agnews/train.tsv` (10,001 texts) permuted with a fixed seed; the first 2,000 are held
 * out, the next 10 % of the rest validate, the remainder trains.
 */
export async function loadAgNews(): Promise<Corpus> {
  const file = sharedInput('datasets/agnews/train.tsv');
  const all = (await readTsv(file, false)).map((row) => ({
    text: row.text,
    label: labelIndex(AGNEWS_LABELS, row.label, file),
    line: row.line,
  }));
  const order = seededPermutation(all.length, 'zoo:agnews:split');
  const rest = order.slice(AGNEWS_HELD_OUT_SIZE);
  const validationCount = Math.round(rest.length * VALIDATION_SHARE);
  return {
    name: 'agnews',
    labels: AGNEWS_LABELS,
    train: rest.slice(validationCount).map((index) => all[index]!),
    validation: rest.slice(0, validationCount).map((index) => all[index]!),
    heldOut: order.slice(0, AGNEWS_HELD_OUT_SIZE).map((index) => all[index]!),
    heldOutDescription: `${formatCount(AGNEWS_HELD_OUT_SIZE)} texts of agnews/train.tsv held out with a fixed seed (zoo:agnews:split)`,
  };
}

/** The tokenizer folder every zoo model ships a copy of. */
export function tokenizerDirectory(): string {
  return sharedInput('tokenizers/bert-base-uncased');
}

/** The files of the tokenizer folder copied into each model. */
export const TOKENIZER_FILES = [
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
] as const;

/** Encodes texts as the pipelines do: [CLS] … [SEP], truncated to `model_max_length`. */
export interface TextEncoder {
  readonly vocabularySize: number;
  readonly maxLength: number;
  encode(text: string): Int32Array;
}

/**
 * The real WordPiece tokenizer, loaded offline from ../shared/tokenizers/bert-base-uncased (an
 * absolute path with `local_files_only`; transformers.js' `env` is left as it is).
 */
export async function loadEncoder(): Promise<TextEncoder> {
  const directory = tokenizerDirectory();
  if (!env.allowLocalModels)
    throw new Error('loadEncoder reads a local folder: env.allowLocalModels must be true');
  const tokenizer: PreTrainedTokenizer = await AutoTokenizer.from_pretrained(directory, {
    local_files_only: true,
  });
  const maxLength = tokenizer.model_max_length;
  const separator = tokenizer.sep_token_id;
  if (typeof separator !== 'number') throw new Error('tokenizer has no [SEP]');
  return {
    vocabularySize: vocabularySize(tokenizer.get_vocab()),
    maxLength,
    encode(text: string): Int32Array {
      const ids = tokenizer.encode(text);
      if (ids.length > maxLength) {
        // Truncation of a single sequence keeps the head and re-appends [SEP], as the pipeline does.
        ids.length = maxLength;
        ids[maxLength - 1] = separator;
      }
      return Int32Array.from(ids);
    },
  };
}

function vocabularySize(vocabulary: unknown): number {
  if (vocabulary instanceof Map) return vocabulary.size;
  if (typeof vocabulary === 'object' && vocabulary !== null) return Object.keys(vocabulary).length;
  throw new Error('tokenizer has no vocabulary');
}

/** Tokenizes every split of a corpus. */
export function encodeCorpus(corpus: Corpus, encoder: TextEncoder): Corpus<Example> {
  const encode = (rows: readonly LabeledText[]): Example[] =>
    rows.map((row) => ({ ...row, ids: encoder.encode(row.text) }));
  return {
    ...corpus,
    train: encode(corpus.train),
    validation: encode(corpus.validation),
    heldOut: encode(corpus.heldOut),
  };
}
