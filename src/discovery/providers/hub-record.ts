import { normalizeLicense } from '../../core/license.js';
import type { ModelCandidate, ModelFile } from '../../core/model-candidate.js';
import { isTask, type Modality, modalityOf, type Task } from '../../core/task.js';
import type { JsonValue } from '../../store/spec.js';
import { hasTransformersJsLayout, onnxDtypes } from './onnx-variants.js';

/**
 * A model record in the shape of the Hub's `GET /api/models/{id}` body (every field optional, as
 * `expand` and listings leave fields out). Values are checked before use: records come from the
 * network or from files.
 */
export type HubModelRecord = Readonly<Record<string, unknown>>;

/** Options of {@link normalizeHubRecord}. */
export interface NormalizeHubRecordOptions {
  /** The provider name written into the candidate, e.g. `'huggingface'`. */
  readonly provider: string;
  /**
   * Whether `downloads` and `likes` mean something (they do on the Hub; a local folder reports 0).
   * @default true
   */
  readonly popularity?: boolean;
  /**
   * Whether to infer the task from `config.architectures` (`BertForSequenceClassification` →
   * `text-classification`) when the record has no `pipeline_tag`. Useful for local folders,
   * whose `config.json` rarely names a task.
   * @default false
   */
  readonly inferTaskFromArchitecture?: boolean;
  /** File sizes (and hashes) known from elsewhere (a tree listing, blobs on disk), by path. */
  readonly files?: readonly ModelFile[];
}

/** Architecture-name endings that name one task unambiguously. */
const ARCHITECTURE_TASKS: readonly (readonly [ending: string, task: Task])[] = [
  ['ForSequenceClassification', 'text-classification'],
  ['ForTokenClassification', 'token-classification'],
  ['ForQuestionAnswering', 'question-answering'],
  ['ForMaskedLM', 'fill-mask'],
  ['ForCausalLM', 'text-generation'],
  ['ForImageClassification', 'image-classification'],
  ['ForObjectDetection', 'object-detection'],
  ['ForAudioClassification', 'audio-classification'],
  ['ForCTC', 'automatic-speech-recognition'],
];

/**
 * Normalizes a Hub model record to a {@link ModelCandidate}: `tasks` from `pipeline_tag` (when it
 * is a `@huggingface/tasks` name), `license` from `cardData.license` (or `license_name` when it is
 * `other`) else a `license:` tag, `parameters` from `safetensors.total` (else `gguf.total`),
 * `sizeBytes` from `usedStorage` (else the sum of known file sizes), `revision` from `sha`, `files`
 * from `siblings`, `dtypes` / the `transformers.js` capability from the ONNX files, and `metrics`
 * from the card's `model-index` (the first value of each metric type).
 */
export function normalizeHubRecord(
  record: HubModelRecord,
  options: NormalizeHubRecordOptions,
): ModelCandidate {
  const { provider, popularity = true, inferTaskFromArchitecture = false } = options;
  const id = stringValue(record.id) ?? stringValue(record.modelId) ?? '';
  const tags = stringList(record.tags);
  const cardData = objectValue(record.cardData);
  const config = objectValue(record.config);
  const gguf = objectValue(record.gguf);
  const files = recordFiles(record, options.files);

  const pipelineTag = stringValue(record.pipeline_tag);
  let tasks: Task[] = pipelineTag !== undefined && isTask(pipelineTag) ? [pipelineTag] : [];
  if (tasks.length === 0 && inferTaskFromArchitecture) tasks = architectureTasks(config);
  const modalities = [...new Set<Modality>(tasks.map((task) => modalityOf(task)))];

  const capabilities: string[] = [];
  if (hasTransformersJsLayout(files)) capabilities.push('transformers.js');
  const dtypes = onnxDtypes(files);

  const parameters = nonNegative(objectValue(record.safetensors)?.total) ?? nonNegative(gguf?.total);
  const knownSizes = files.filter((file) => file.sizeBytes !== undefined);
  const sizeBytes =
    nonNegative(record.usedStorage) ??
    (knownSizes.length > 0
      ? knownSizes.reduce((total, file) => total + (file.sizeBytes ?? 0), 0)
      : undefined);
  const gated = record.gated === undefined ? undefined : record.gated !== false;
  const lastModified = isoDate(record.lastModified);
  const metrics = modelIndexMetrics(record['model-index'] ?? cardData?.['model-index']);

  return {
    id,
    provider,
    ...(tasks.length > 0 ? { tasks } : {}),
    ...(modalities.length > 0 ? { modalities } : {}),
    ...(capabilities.length > 0 ? { capabilities } : {}),
    ...optional('library', stringValue(record.library_name) ?? stringValue(cardData?.library_name)),
    ...optional('family', stringValue(config?.model_type)),
    ...optional('license', recordLicense(cardData, tags)),
    ...(gated === undefined ? {} : { gated }),
    ...optional('sizeBytes', sizeBytes),
    ...optional('parameters', parameters),
    ...(dtypes.length > 0 ? { dtypes } : {}),
    ...(files.length > 0 ? { files } : {}),
    ...optional('revision', stringValue(record.sha)),
    ...optional('contextLength', nonNegative(gguf?.context_length)),
    ...(metrics ? { metrics } : {}),
    ...(popularity ? optional('downloads', nonNegative(record.downloads)) : {}),
    ...(popularity ? optional('likes', nonNegative(record.likes)) : {}),
    ...optional('lastModified', lastModified),
    raw: toJsonValue(record),
  };
}

/** The license of a record: `cardData.license` (its `license_name` when `other`), else a `license:` tag. */
export function recordLicense(
  cardData: Readonly<Record<string, unknown>> | undefined,
  tags: readonly string[],
): string | undefined {
  const declared = cardData?.license;
  const fromCard = Array.isArray(declared) ? stringValue(declared[0]) : stringValue(declared);
  if (fromCard !== undefined) {
    const licenseName = stringValue(cardData?.license_name);
    return normalizeLicense(fromCard.toLowerCase() === 'other' && licenseName ? licenseName : fromCard);
  }
  const tag = tags.find((candidate) => candidate.toLowerCase().startsWith('license:'));
  return tag === undefined ? undefined : normalizeLicense(tag);
}

function architectureTasks(config: Readonly<Record<string, unknown>> | undefined): Task[] {
  const tasks = new Set<Task>();
  for (const architecture of stringList(config?.architectures)) {
    for (const [ending, task] of ARCHITECTURE_TASKS) if (architecture.endsWith(ending)) tasks.add(task);
  }
  return [...tasks];
}

/**
 * The metrics a card's `model-index` reports, by metric `type` (e.g. `accuracy`, `f1`), from the
 * first result that names each type; `undefined` when it reports no finite numeric metric.
 * Numbers written as strings (`"0.82"`) are accepted, as cards often quote them.
 */
export function modelIndexMetrics(modelIndex: unknown): Readonly<Record<string, number>> | undefined {
  const metrics: Record<string, number> = {};
  for (const model of Array.isArray(modelIndex) ? modelIndex : []) {
    const results = objectValue(model)?.results;
    for (const result of Array.isArray(results) ? results : []) {
      const reported = objectValue(result)?.metrics;
      for (const metric of Array.isArray(reported) ? reported : []) {
        const entry = objectValue(metric);
        const type = stringValue(entry?.type);
        const raw = entry?.value;
        const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
        if (
          type === undefined ||
          type === '__proto__' ||
          typeof value !== 'number' ||
          !Number.isFinite(value)
        )
          continue;
        if (!Object.hasOwn(metrics, type)) metrics[type] = value;
      }
    }
  }
  return Object.keys(metrics).length > 0 ? metrics : undefined;
}

function recordFiles(record: HubModelRecord, known: readonly ModelFile[] | undefined): ModelFile[] {
  const byPath = new Map((known ?? []).map((file) => [file.path, file]));
  const siblings = Array.isArray(record.siblings) ? record.siblings : [];
  const files: ModelFile[] = [];
  const seen = new Set<string>();
  for (const sibling of siblings) {
    const entry = objectValue(sibling);
    const path = stringValue(entry?.rfilename);
    if (path === undefined || seen.has(path)) continue;
    seen.add(path);
    const lfs = objectValue(entry?.lfs);
    const fromRecord: ModelFile = {
      path,
      ...optional('sizeBytes', nonNegative(lfs?.size) ?? nonNegative(entry?.size)),
      ...optional('sha256', stringValue(lfs?.sha256)),
    };
    files.push({ ...fromRecord, ...byPath.get(path) });
  }
  for (const file of known ?? []) if (!seen.has(file.path)) files.push(file);
  return files;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function stringValue(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function stringList(value: unknown): string[] {
  if (typeof value === 'string') return stringValue(value) ? [value.trim()] : [];
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) => (typeof item === 'string' && item.trim() !== '' ? [item.trim()] : []));
}

function objectValue(value: unknown): Readonly<Record<string, unknown>> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function nonNegative(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

function isoDate(value: unknown): string | undefined {
  if (typeof value !== 'string' && !(value instanceof Date)) return undefined;
  const time = new Date(value).getTime();
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

/** A JSON copy of `value` (dates as ISO strings; functions, `undefined` and non-finite numbers dropped). */
export function toJsonValue(value: unknown): JsonValue {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Array.isArray(value)) return value.map((item) => toJsonValue(item));
  if (typeof value === 'object') {
    const result: Record<string, JsonValue> = {};
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
      // A plain assignment of `__proto__` would set the prototype instead of keeping the data.
      Object.defineProperty(result, key, {
        value: toJsonValue(item),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return result;
  }
  return null;
}
