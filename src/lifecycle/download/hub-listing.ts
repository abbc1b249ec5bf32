import { listFiles, modelInfo } from '@huggingface/hub';
import { BLOB_ID_PATTERN, COMMIT_PATTERN } from './cache-paths.js';

/** How to reach a Hub: its base URL, a wrapped `fetch` (retries, typed errors), and the token. */
export interface HubConnection {
  /** Base URL without a trailing slash. */
  readonly hubUrl: string;
  readonly fetch: typeof fetch;
  readonly accessToken?: string;
}

/** One file entry of a listing: the blob id when the listing gives a valid one. */
export interface ListedFile {
  /** The path exactly as listed (not yet checked). */
  readonly path: string;
  readonly sizeBytes: number;
  /** `lfs.oid` (sha256) of Git LFS files, else the Git blob sha1 `oid`; `undefined` when neither is a valid id. */
  readonly blob: string | undefined;
}

function credentials(connection: HubConnection) {
  return {
    hubUrl: connection.hubUrl,
    fetch: connection.fetch,
    ...(connection.accessToken === undefined ? {} : { accessToken: connection.accessToken }),
  };
}

/**
 * The commit sha of `revision` (a branch, a tag or a commit) on the Hub, or `undefined` when
 * the answer has none. Failures are the `ApiCallError`s of the connection's fetch.
 */
export async function resolveRemoteCommit(
  connection: HubConnection,
  modelId: string,
  revision: string,
): Promise<string | undefined> {
  const info = await modelInfo({
    ...credentials(connection),
    name: modelId,
    revision,
    additionalFields: ['sha'],
  });
  const sha = (info as { sha?: unknown }).sha;
  return typeof sha === 'string' && COMMIT_PATTERN.test(sha) ? sha : undefined;
}

/** Every file of the repository at `commit` (sub-folders included), following the listing's pages. */
export async function listRemoteFiles(
  connection: HubConnection,
  modelId: string,
  commit: string,
): Promise<ListedFile[]> {
  const files: ListedFile[] = [];
  for await (const entry of listFiles({
    ...credentials(connection),
    repo: { type: 'model', name: modelId },
    revision: commit,
    recursive: true,
  })) {
    if (entry.type !== 'file') continue;
    const lfsOid = entry.lfs?.oid;
    const blob =
      typeof lfsOid === 'string' && BLOB_ID_PATTERN.test(lfsOid)
        ? lfsOid
        : typeof entry.oid === 'string' && BLOB_ID_PATTERN.test(entry.oid)
          ? entry.oid
          : undefined;
    const size = entry.lfs?.size ?? entry.size;
    files.push({
      path: String(entry.path),
      sizeBytes: Number.isSafeInteger(size) && size >= 0 ? size : -1,
      blob,
    });
  }
  return files;
}

/** The URL of one file of a repository at a commit: `{hub}/{id}/resolve/{commit}/{path}`, each segment encoded. */
export function resolveUrl(hubUrl: string, modelId: string, commit: string, filePath: string): string {
  const encodedPath = filePath.split('/').map(encodeURIComponent).join('/');
  return `${hubUrl}/${modelId}/resolve/${commit}/${encodedPath}`;
}
