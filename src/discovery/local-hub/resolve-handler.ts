import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { parseByteRange } from './byte-range.js';
import { CORS_HEADERS, sendError } from './http-responses.js';
import type { HubContext } from './hub-context.js';
import type { RepositorySnapshot } from './repository-scanner.js';
import { realPathInside } from './safe-path.js';

const CONTENT_TYPES: Record<string, string> = {
  '.json': 'application/json; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * `GET|HEAD /{id}/resolve/{rev}/{path}`: streams one file. Headers: `ETag` and `X-Linked-Etag`
 * (the quoted sha256 of the content), `X-Linked-Size`, `X-Repo-Commit`, `Content-Length`,
 * `Accept-Ranges: bytes`. `Range` gives 206 with `Content-Range`, or 416; `If-None-Match` with
 * the current ETag gives 304. Only files found by the repository walk are served, and only when
 * their real path is still inside the root.
 */
export async function handleResolve(
  context: HubContext,
  request: IncomingMessage,
  response: ServerResponse,
  snapshot: RepositorySnapshot,
  filePath: string,
): Promise<void> {
  const file = snapshot.files.find((candidate) => candidate.path === filePath);
  const realPath = file ? await realPathInside(context.realRoot, file.realPath) : undefined;
  const stats = realPath ? await stat(realPath).catch(() => undefined) : undefined;
  if (!file || !realPath || !stats?.isFile()) {
    sendError(response, 404, 'EntryNotFound', `${filePath} does not exist on "${snapshot.repository.id}"`);
    return;
  }
  const size = stats.size;
  const digest = await context.digests.digest({ realPath, size, mtimeMs: stats.mtimeMs });
  const etag = `"${digest.sha256}"`;
  const extension = /\.[^./]+$/.exec(filePath)?.[0] ?? '';
  const headers: Record<string, string> = {
    ...CORS_HEADERS,
    'Content-Type': CONTENT_TYPES[extension] ?? 'application/octet-stream',
    'Accept-Ranges': 'bytes',
    ETag: etag,
    'X-Linked-Etag': etag,
    'X-Linked-Size': String(size),
    'X-Repo-Commit': snapshot.commit,
    'Last-Modified': stats.mtime.toUTCString(),
  };
  const ifNoneMatch = request.headers['if-none-match'];
  if (ifNoneMatch?.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
    response.writeHead(304, headers);
    response.end();
    return;
  }
  const range = parseByteRange(request.headers.range, size);
  if (range === 'unsatisfiable') {
    response.writeHead(416, { ...headers, 'Content-Range': `bytes */${size}`, 'Content-Length': '0' });
    response.end();
    return;
  }
  const start = range?.start ?? 0;
  const end = range?.end ?? size - 1;
  response.writeHead(range ? 206 : 200, {
    ...headers,
    'Content-Length': String(end - start + 1 > 0 ? end - start + 1 : 0),
    ...(range ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {}),
  });
  if (request.method === 'HEAD' || size === 0) {
    response.end();
    return;
  }
  await pipeline(createReadStream(realPath, { start, end }), response).catch(() => response.destroy());
}
