import type { ServerResponse } from 'node:http';

/** Hub error codes the local hub answers with in `X-Error-Code`. */
export type HubErrorCode =
  | 'RepoNotFound'
  | 'RevisionNotFound'
  | 'EntryNotFound'
  | 'BadRequest'
  | 'InternalError';

/** Headers every response carries, so browsers (transformers.js) may read the Hub headers. */
export const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers':
    'X-Repo-Commit,X-Error-Code,X-Error-Message,X-Linked-Size,X-Linked-Etag,ETag,Link,Accept-Ranges,Content-Range,Content-Length',
} as const;

/** Sends `body` as JSON with `status` and extra `headers`. HEAD requests get the headers only. */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const payload = Buffer.from(JSON.stringify(body));
  response.writeHead(status, {
    ...CORS_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(payload.length),
    ...headers,
  });
  response.end(response.req.method === 'HEAD' ? undefined : payload);
}

/** Sends a Hub-style error: `{ error }` as JSON, with `X-Error-Code` and `X-Error-Message`. */
export function sendError(
  response: ServerResponse,
  status: number,
  code: HubErrorCode,
  message: string,
): void {
  sendJson(response, status, { error: message }, { 'X-Error-Code': code, 'X-Error-Message': message });
}
