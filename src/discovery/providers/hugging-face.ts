import { listFiles, listModels, type ModelAdditionalField, modelInfo } from '@huggingface/hub';
import type { ModelCandidate, ModelFile } from '../../core/model-candidate.js';
import { ApiCallError } from '../../errors/api-call-error.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import { isValidModelId } from '../local-hub/model-id.js';
import type { ModelProvider, ProviderQuery } from '../spec.js';
import type { HttpClientOptions } from './http-json.js';
import { hubErrorCode, hubFetch } from './hub-fetch.js';
import { type HubModelRecord, normalizeHubRecord } from './hub-record.js';
import { queryLimit } from './provider-query-filter.js';

/** Sort orders of the Hub's model listing. */
export type HuggingFaceSort = 'downloads' | 'likes' | 'lastModified' | 'trendingScore' | 'createdAt';

/**
 * Options of {@link huggingFace}. The {@link HttpClientOptions} (`fetch`, `timeoutMs` per
 * request, `maxAttempts`, `initialDelayMs`, `maxDelayMs`, `sleep`, `random`, `clock`) govern every
 * Hub request: retryable failures (network errors, timeouts, 408, 409, 429, 5xx) are tried again,
 * honoring `Retry-After`.
 */
export interface HuggingFaceOptions extends HttpClientOptions {
  /**
   * The Hub to call: the Hugging Face Hub, a mirror, or a `createLocalHub` URL.
   * @default 'https://huggingface.co'
   */
  readonly hubUrl?: string;
  /** An access token (`hf_…`) for gated and private models. It is sent only as a header, never logged. */
  readonly accessToken?: string;
  /** The fetch to use (a proxy, a test double). @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** The order of listings. @default the Hub's own order */
  readonly sort?: HuggingFaceSort;
  /**
   * Lists only this author's (user's or organization's) models, e.g. `'Xenova'`.
   * @default every author
   */
  readonly author?: string;
  /**
   * Lists only models carrying every one of these Hub tags, e.g. `['onnx', 'license:mit']`.
   * @default no tag required
   */
  readonly tags?: readonly string[];
  /**
   * Whether `getModel` also lists the repository's files to learn their sizes (one more request).
   * @default true
   */
  readonly fileSizes?: boolean;
}

/** The provider name of {@link huggingFace}. */
export const HUGGING_FACE_PROVIDER_NAME = 'huggingface';

/** Defaults of {@link huggingFace}'s options. */
export const HUGGING_FACE_DEFAULTS = Object.freeze({
  hubUrl: 'https://huggingface.co',
  fileSizes: true,
} as const);

/** Fields `@huggingface/hub` knows how to expand. */
const TYPED_FIELDS = [
  'author',
  'cardData',
  'config',
  'createdAt',
  'library_name',
  'safetensors',
  'sha',
  'tags',
] as const satisfies readonly ModelAdditionalField[];

/**
 * Expand keys the Hub accepts that `@huggingface/hub`'s types do not list (it passes any key on
 * and copies the field back): `siblings` (with sizes when the Hub sends them), `usedStorage`, `gguf`.
 */
const UNTYPED_FIELDS = ['siblings', 'usedStorage', 'gguf'] as unknown as readonly ModelAdditionalField[];

const FIELDS: ModelAdditionalField[] = [...TYPED_FIELDS, ...UNTYPED_FIELDS];

/**
 * Models of the Hugging Face Hub (or of any Hub-compatible server, such as `createLocalHub`),
 * through `@huggingface/hub`. `listModels` maps `text` to the Hub's search, `task` to
 * `pipeline_tag`, `library` to a tag filter, `limit` to the page size, follows `Link` pagination,
 * and filters `modality` itself. `getModel` reads the model info (at `revision` when given) and its
 * file tree; it answers `undefined` when the Hub does not know the model or revision. A renamed
 * repository (the Hub answers `307` to the new id) is described under its new id, with the id
 * asked for in `aliases`. Records are normalized with {@link normalizeHubRecord}. Retryable HTTP
 * failures are retried (see {@link HuggingFaceOptions}); the rest throw {@link ApiCallError}.
 *
 * @throws {InvalidArgumentError} when `hubUrl` is not an http(s) URL or `accessToken` does not start with `hf_`.
 */
export function huggingFace(options: HuggingFaceOptions = {}): ModelProvider {
  const {
    hubUrl = HUGGING_FACE_DEFAULTS.hubUrl,
    accessToken,
    sort,
    fileSizes = HUGGING_FACE_DEFAULTS.fileSizes,
    author: authorOption,
    tags: tagsOption,
    ...httpOptions
  } = options;
  const author = authorOption?.trim();
  if (authorOption !== undefined && (typeof authorOption !== 'string' || !isValidModelId(author ?? ''))) {
    throw new InvalidArgumentError({
      argument: 'author',
      value: authorOption,
      message: 'must be a user or organization name',
    });
  }
  if (
    tagsOption !== undefined &&
    (!Array.isArray(tagsOption) || tagsOption.some((tag) => typeof tag !== 'string' || tag.trim() === ''))
  ) {
    throw new InvalidArgumentError({
      argument: 'tags',
      value: tagsOption,
      message: 'must be an array of non-empty strings',
    });
  }
  const tags = (tagsOption ?? []).map((tag) => tag.trim());
  let parsed: URL | undefined;
  try {
    parsed = new URL(hubUrl);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new InvalidArgumentError({ argument: 'hubUrl', value: hubUrl, message: 'must be an http(s) URL' });
  }
  if (accessToken !== undefined && !accessToken.startsWith('hf_')) {
    // The value is not kept on the error: it is a secret.
    throw new InvalidArgumentError({ argument: 'accessToken', message: "must start with 'hf_'" });
  }
  const baseUrl = hubUrl.replace(/\/+$/, '');
  const common = (signal: AbortSignal | undefined) => ({
    hubUrl: baseUrl,
    fetch: hubFetch({ ...httpOptions, ...(signal ? { signal } : {}) }),
    ...(accessToken ? { accessToken } : {}),
  });
  const normalize = (record: HubModelRecord, files?: readonly ModelFile[]) =>
    normalizeHubRecord(record, { provider: HUGGING_FACE_PROVIDER_NAME, ...(files ? { files } : {}) });

  return {
    specificationVersion: 'v1',
    name: HUGGING_FACE_PROVIDER_NAME,
    async *listModels(query: ProviderQuery): AsyncIterable<ModelCandidate> {
      const limit = queryLimit(query);
      query.signal?.throwIfAborted();
      if (limit === 0) return;
      // Modality has no Hub filter: filter here, so the Hub's limit cannot count skipped models.
      const filterModality = query.modality !== undefined && query.task === undefined;
      const text = query.text?.trim();
      const entries = listModels({
        ...common(query.signal),
        search: {
          ...(text ? { query: text } : {}),
          ...(query.task ? { task: query.task } : {}),
          ...(author ? { owner: author } : {}),
          ...(query.library || tags.length > 0
            ? { tags: [...tags, ...(query.library ? [query.library] : [])] }
            : {}),
        },
        additionalFields: FIELDS,
        ...(sort ? { sort } : {}),
        ...(Number.isFinite(limit) && !filterModality ? { limit } : {}),
      });
      let count = 0;
      for await (const entry of entries) {
        query.signal?.throwIfAborted();
        const candidate = normalize(entryToRecord(entry));
        if (filterModality && !(candidate.modalities ?? []).includes(query.modality!)) continue;
        yield candidate;
        count += 1;
        if (count >= limit) return;
      }
    },
    async getModel(id, options = {}) {
      options.signal?.throwIfAborted();
      if (typeof id !== 'string' || !isValidModelId(id)) return undefined;
      const { revision, signal } = options;
      // Revisions go into URL paths unencoded by @huggingface/hub: refuse anything that could
      // leave the repository's path (a `..` segment, a leading slash, `?`, `#`, `%`, `\`).
      if (revision !== undefined && !isSafeRevision(revision)) return undefined;
      try {
        const entry = await modelInfo({
          ...common(signal),
          name: id,
          additionalFields: FIELDS,
          ...(revision ? { revision } : {}),
        });
        const record = entryToRecord(entry);
        // A renamed repository redirects to its new id: describe it under that id.
        const resolvedId = typeof record.id === 'string' && record.id !== '' ? record.id : id;
        const commit = typeof record.sha === 'string' && isSafeRevision(record.sha) ? record.sha : revision;
        const files = fileSizes ? await treeFiles(resolvedId, commit, common(signal)) : undefined;
        const candidate = normalize({ ...record, id: resolvedId }, files);
        if (resolvedId === id) return candidate;
        const { raw, ...described } = candidate;
        return { ...described, aliases: [id], ...(raw === undefined ? {} : { raw }) };
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },
  };
}

/** Files with sizes from the recursive tree; `undefined` when the Hub has no tree for it. */
async function treeFiles(
  id: string,
  revision: string | undefined,
  common: { hubUrl: string; fetch: typeof fetch; accessToken?: string },
): Promise<ModelFile[] | undefined> {
  const files: ModelFile[] = [];
  try {
    for await (const entry of listFiles({
      ...common,
      repo: { type: 'model', name: id },
      recursive: true,
      ...(revision ? { revision } : {}),
    })) {
      if (entry.type !== 'file') continue;
      files.push({
        path: entry.path,
        sizeBytes: entry.lfs?.size ?? entry.size,
        ...(entry.lfs?.oid ? { sha256: entry.lfs.oid } : {}),
      });
    }
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
  return files;
}

function isNotFound(error: unknown): boolean {
  if (!ApiCallError.isInstance(error)) return false;
  const code = hubErrorCode(error);
  return error.statusCode === 404 || code === 'RepoNotFound' || code === 'RevisionNotFound';
}

/**
 * The Hub's record back from a `@huggingface/hub` entry, which renames fields (`_id` → `id`,
 * `id` → `name`, `pipeline_tag` → `task`, `lastModified` → `updatedAt`).
 */
function entryToRecord(entry: object): HubModelRecord {
  const { id: objectId, name, task, updatedAt, ...rest } = entry as Record<string, unknown>;
  const record: Record<string, unknown> = { _id: objectId, id: name, ...rest };
  if (task !== undefined) record.pipeline_tag = task;
  if (updatedAt instanceof Date && !Number.isNaN(updatedAt.getTime())) {
    record.lastModified = updatedAt.toISOString();
  }
  for (const key of Object.keys(record)) if (record[key] === undefined) delete record[key];
  return record;
}

/** Whether `revision` is a branch, tag or commit name that cannot escape a URL path segment. */
function isSafeRevision(revision: string): boolean {
  return (
    typeof revision === 'string' &&
    /^[A-Za-z0-9._\-/]{1,256}$/.test(revision) &&
    !revision.startsWith('/') &&
    !revision.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')
  );
}
