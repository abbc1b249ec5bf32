import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleListModels, handleModelInfo, handlePathsInfo, handleTree } from './api-handlers.js';
import { CORS_HEADERS, sendError } from './http-responses.js';
import type { HubContext } from './hub-context.js';
import { parseHubRoute } from './hub-route.js';
import { handleResolve } from './resolve-handler.js';
import { decodePathSegments } from './safe-path.js';

const HOST_PATTERN = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/**
 * Answers one request of the local hub. The raw path is split and decoded segment by segment
 * before anything else looks at it; an unsafe segment (`..`, `%2e%2e`, `%2f`, `\`, NUL, an empty
 * segment) is answered with 400 and never reaches the file system.
 */
export async function handleHubRequest(
  context: HubContext,
  request: IncomingMessage,
  response: ServerResponse,
  serverUrl: string,
): Promise<void> {
  const method = request.method ?? 'GET';
  if (method === 'OPTIONS') {
    response.writeHead(204, {
      ...CORS_HEADERS,
      'Access-Control-Allow-Methods': 'GET, HEAD, POST, OPTIONS',
      'Access-Control-Allow-Headers': 'Authorization, Content-Type, Range, If-None-Match',
    });
    response.end();
    return;
  }
  const rawUrl = request.url ?? '/';
  const queryAt = rawUrl.indexOf('?');
  const rawPath = queryAt < 0 ? rawUrl : rawUrl.slice(0, queryAt);
  const parameters = new URLSearchParams(queryAt < 0 ? '' : rawUrl.slice(queryAt + 1));
  const segments = decodePathSegments(rawPath);
  if (!segments) {
    sendError(response, 400, 'BadRequest', 'Invalid path');
    return;
  }
  const route = parseHubRoute(segments);
  if (route.kind === 'invalid') {
    sendError(response, 400, 'BadRequest', route.message);
    return;
  }
  if (route.kind === 'unknown') {
    sendError(response, 404, 'EntryNotFound', 'Not found');
    return;
  }
  const allowed = route.kind === 'paths-info' ? ['POST'] : ['GET', 'HEAD'];
  if (!allowed.includes(method)) {
    response.setHeader('Allow', allowed.join(', '));
    sendError(response, 405, 'BadRequest', `Method ${method} not allowed`);
    return;
  }
  const host = request.headers.host;
  const baseUrl = host !== undefined && HOST_PATTERN.test(host) ? `http://${host}` : serverUrl;
  if (route.kind === 'list-models') {
    await handleListModels(context, response, parameters, baseUrl);
    return;
  }
  const snapshot = await context.snapshot(route.id, route.revision);
  if (snapshot === 'RepoNotFound') {
    sendError(response, 404, 'RepoNotFound', `Repository not found: ${route.id}`);
    return;
  }
  if (snapshot === 'RevisionNotFound') {
    sendError(response, 404, 'RevisionNotFound', `Invalid rev id: ${route.revision}`);
    return;
  }
  switch (route.kind) {
    case 'model-info':
      return handleModelInfo(context, response, snapshot, parameters);
    case 'tree':
      return handleTree(context, response, snapshot, route.path, parameters, rawPath, baseUrl);
    case 'paths-info':
      return handlePathsInfo(context, request, response, snapshot);
    case 'resolve':
      return handleResolve(context, request, response, snapshot, route.path);
  }
}
