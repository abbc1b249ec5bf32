import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parseFrontMatter } from './front-matter.js';
import type { LocalFile, RepositorySnapshot } from './repository-scanner.js';
import {
  type GgufSummary,
  type SafetensorsSummary,
  summarizeGguf,
  summarizeSafetensors,
} from './weights-metadata.js';

/** A model as the local hub describes it: the shape of `GET /api/models/{id}` on the Hub. */
export interface ModelRecord {
  readonly _id: string;
  readonly id: string;
  readonly modelId: string;
  readonly author?: string;
  readonly sha: string;
  readonly lastModified: string;
  readonly createdAt: string;
  readonly private: false;
  readonly gated: false;
  readonly disabled: false;
  readonly downloads: number;
  readonly likes: number;
  readonly pipeline_tag?: string;
  readonly library_name?: string;
  readonly tags: readonly string[];
  readonly cardData?: Record<string, unknown>;
  /** The card's `model-index` (evaluation results), copied to the top level as the Hub does. */
  readonly 'model-index'?: unknown;
  readonly config?: Record<string, unknown>;
  readonly siblings: readonly { readonly rfilename: string }[];
  readonly spaces: readonly string[];
  readonly usedStorage: number;
  readonly safetensors?: SafetensorsSummary;
  readonly gguf?: GgufSummary;
}

/** Config keys the Hub copies into `config` of a model record. */
const CONFIG_KEYS = ['architectures', 'model_type', 'quantization_config', 'task_specific_params'] as const;
const TOKENIZER_CONFIG_KEYS = ['bos_token', 'eos_token', 'pad_token', 'unk_token', 'chat_template'] as const;

/**
 * Builds the record of a repository snapshot from its files:
 * - `pipeline_tag`: README front matter `pipeline_tag`, else `config.json` `pipeline_tag`;
 * - `library_name`: README front matter `library_name`, else `transformers.js` when an `onnx/`
 *   folder exists, else `gguf` when a `.gguf` file exists, else `transformers` when a `config.json` exists;
 * - `tags`: the library, `onnx`/`safetensors`/`gguf` by file type, the config `model_type`, the
 *   pipeline tag, README `tags`, `license:{license}` and `base_model:{id}` from the front matter;
 * - `cardData`: the README front matter, when it has any;
 * - `config`: `architectures`, `model_type`, … of `config.json`, with `tokenizer_config` special tokens;
 * - `lastModified` / `createdAt`: newest / oldest file modification time;
 * - `downloads` and `likes`: 0 (a local folder has no such counts);
 * - `safetensors`: parameter counts per dtype from the `.safetensors` headers;
 * - `gguf`: parameter count, architecture, context length, chat template and special tokens of
 *   the first `.gguf` file (read with `@huggingface/gguf`);
 * - `model-index`: the front matter's evaluation results, at the top level as on the Hub.
 */
export async function buildModelRecord(snapshot: RepositorySnapshot): Promise<ModelRecord> {
  const { repository, commit, files } = snapshot;
  const byPath = new Map(files.map((file) => [file.path, file]));
  const config = await readJsonObject(byPath.get('config.json'));
  const tokenizerConfig = await readJsonObject(byPath.get('tokenizer_config.json'));
  const readme = byPath.get('README.md');
  const frontMatter = readme ? parseFrontMatter(await readFile(readme.realPath, 'utf8')) : undefined;

  const hasOnnx = files.some((file) => file.path.startsWith('onnx/'));
  const hasGguf = files.some((file) => file.path.endsWith('.gguf'));
  const hasSafetensors = files.some((file) => file.path.endsWith('.safetensors'));
  const pipelineTag = stringValue(frontMatter?.pipeline_tag) ?? stringValue(config?.pipeline_tag);
  const libraryName =
    stringValue(frontMatter?.library_name) ??
    (hasOnnx ? 'transformers.js' : hasGguf ? 'gguf' : config ? 'transformers' : undefined);
  const license = stringValue(frontMatter?.license);
  const modelType = stringValue(config?.model_type);

  const tags = new Set<string>();
  if (libraryName) tags.add(libraryName);
  if (hasOnnx) tags.add('onnx');
  if (hasSafetensors) tags.add('safetensors');
  if (hasGguf) tags.add('gguf');
  if (modelType) tags.add(modelType);
  if (pipelineTag) tags.add(pipelineTag);
  for (const tag of stringList(frontMatter?.tags)) tags.add(tag);
  for (const language of stringList(frontMatter?.language)) tags.add(language);
  for (const baseModel of stringList(frontMatter?.base_model)) tags.add(`base_model:${baseModel}`);
  if (license) tags.add(`license:${license}`);

  const safetensors = hasSafetensors ? await summarizeSafetensors(files) : undefined;
  const ggufSummary = hasGguf ? await summarizeGguf(files) : undefined;
  const modelIndex = frontMatter?.['model-index'];

  const modificationTimes = files.map((file) => file.mtimeMs);
  const newest = modificationTimes.length > 0 ? Math.max(...modificationTimes) : 0;
  const oldest = modificationTimes.length > 0 ? Math.min(...modificationTimes) : 0;
  const slash = repository.id.indexOf('/');

  return {
    _id: createHash('sha1').update(repository.id).digest('hex').slice(0, 24),
    id: repository.id,
    modelId: repository.id,
    ...(slash > 0 ? { author: repository.id.slice(0, slash) } : {}),
    sha: commit,
    lastModified: new Date(Math.trunc(newest)).toISOString(),
    createdAt: new Date(Math.trunc(oldest)).toISOString(),
    private: false,
    gated: false,
    disabled: false,
    downloads: 0,
    likes: 0,
    ...(pipelineTag ? { pipeline_tag: pipelineTag } : {}),
    ...(libraryName ? { library_name: libraryName } : {}),
    tags: [...tags],
    ...(frontMatter && Object.keys(frontMatter).length > 0 ? { cardData: frontMatter } : {}),
    ...(modelIndex === undefined ? {} : { 'model-index': modelIndex }),
    ...(config ? { config: hubConfig(config, tokenizerConfig) } : {}),
    siblings: files.map((file) => ({ rfilename: file.path })),
    spaces: [],
    usedStorage: files.reduce((total, file) => total + file.size, 0),
    ...(safetensors ? { safetensors } : {}),
    ...(ggufSummary ? { gguf: ggufSummary } : {}),
  };
}

/** Fields every listing entry carries, whatever `expand` asks for. */
const ALWAYS_PRESENT = ['_id', 'id'] as const;

/** Fields of a listing entry when the request names no `expand`. */
export const DEFAULT_LISTING_FIELDS = [
  '_id',
  'id',
  'modelId',
  'likes',
  'downloads',
  'private',
  'gated',
  'pipeline_tag',
  'library_name',
  'tags',
  'createdAt',
  'lastModified',
] as const;

/**
 * The record restricted to `_id`, `id` and the `expand`ed fields, as the Hub answers when
 * `expand` is given. Unknown field names are ignored.
 */
export function pickFields(record: ModelRecord, fields: readonly string[]): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  const source = record as unknown as Record<string, unknown>;
  for (const field of [...ALWAYS_PRESENT, ...fields]) {
    if (Object.hasOwn(source, field)) picked[field] = source[field];
  }
  return picked;
}

function hubConfig(
  config: Record<string, unknown>,
  tokenizerConfig: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const key of CONFIG_KEYS) if (config[key] !== undefined) result[key] = config[key];
  if (tokenizerConfig) {
    const tokens: Record<string, unknown> = {};
    for (const key of TOKENIZER_CONFIG_KEYS)
      if (tokenizerConfig[key] !== undefined) tokens[key] = tokenizerConfig[key];
    result.tokenizer_config = tokens;
  }
  return result;
}

async function readJsonObject(file: LocalFile | undefined): Promise<Record<string, unknown> | undefined> {
  if (!file || file.size > 16 * 1024 * 1024) return undefined;
  try {
    const value: unknown = JSON.parse(await readFile(file.realPath, 'utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function stringValue(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function stringList(value: unknown): string[] {
  if (typeof value === 'string') return stringValue(value) ? [value.trim()] : [];
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) => (typeof item === 'string' && item.trim() !== '' ? [item.trim()] : []));
}
