import path from 'node:path';
import { cacheFolderName } from '../../discovery/providers/hf-cache-layout.js';

/** The folders of one model in the Hugging Face cache. */
export interface RepositoryCachePaths {
  /** The cache folder (the one holding `models--org--name/`), absolute. */
  readonly root: string;
  /** `root/models--org--name`. */
  readonly repository: string;
  /** `…/blobs`: one file per content, named by its etag (sha256, or Git blob sha1 for small files). */
  readonly blobs: string;
  /** `…/refs`: one file per branch or tag, holding its commit. */
  readonly refs: string;
  /** `…/snapshots`: one folder per commit, whose entries link to blobs. */
  readonly snapshots: string;
  /** `root/.locks/models--org--name`: the cross-process locks of the blobs. */
  readonly locks: string;
}

/** The cache folders of `modelId` (already validated) under `cacheDirectory`. */
export function repositoryCachePaths(cacheDirectory: string, modelId: string): RepositoryCachePaths {
  const root = path.resolve(cacheDirectory);
  const folder = cacheFolderName(modelId);
  const repository = path.join(root, folder);
  return {
    root,
    repository,
    blobs: path.join(repository, 'blobs'),
    refs: path.join(repository, 'refs'),
    snapshots: path.join(repository, 'snapshots'),
    locks: path.join(root, '.locks', folder),
  };
}

/** A blob id: a sha256 (64 hex digits, Git LFS files) or a Git blob sha1 (40 hex digits). */
export const BLOB_ID_PATTERN = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** A commit sha: 40 hex digits. */
export const COMMIT_PATTERN = /^[0-9a-f]{40}$/;

/** The suffix of a blob being downloaded (`blobs/{etag}.incomplete`), as `huggingface_hub` names it. */
export const INCOMPLETE_SUFFIX = '.incomplete';
