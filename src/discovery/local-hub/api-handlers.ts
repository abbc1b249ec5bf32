import type { IncomingMessage, ServerResponse } from 'node:http';
import { directoriesOf, directoryEntry, type FileEntry, fileEntry } from './file-entries.js';
import { sendError, sendJson } from './http-responses.js';
import type { HubContext } from './hub-context.js';
import { encodeCursor, filterAndSort, isListingQueryProblem, parseListingQuery } from './model-listing.js';
import { DEFAULT_LISTING_FIELDS, pickFields } from './model-record.js';
import type { RepositorySnapshot } from './repository-scanner.js';
import { isSafeRelativePath } from './safe-path.js';

/** Entries of one `/tree` page (the Hub's page size without `expand`). */
const TREE_PAGE_SIZE = 1000;
/** The largest `/paths-info` request body accepted. */
const MAX_BODY_BYTES = 1024 * 1024;

/** `GET /api/models`: filters, sorts and pages the models; the next page is in `Link`. */
export async function handleListModels(
  context: HubContext,
  response: ServerResponse,
  parameters: URLSearchParams,
  baseUrl: string,
): Promise<void> {
  const query = parseListingQuery(parameters, context.maxPageSize);
  if (isListingQueryProblem(query)) {
    sendError(response, 400, 'BadRequest', `Invalid '${query.parameter}': ${query.message}`);
    return;
  }
  const listing = await context.listing(query.snapshotId);
  const matching = filterAndSort(listing.records, query);
  const page = matching.slice(query.offset, query.offset + query.limit);
  const fields = query.full ? undefined : query.expand.length > 0 ? query.expand : DEFAULT_LISTING_FIELDS;
  const body = page.map((record) => (fields ? pickFields(record, fields) : record));
  const headers: Record<string, string> = { 'X-Total-Count': String(matching.length) };
  const nextOffset = query.offset + page.length;
  if (page.length > 0 && nextOffset < matching.length) {
    const next = new URLSearchParams(parameters);
    next.set('cursor', encodeCursor(nextOffset, listing.snapshotId));
    headers.Link = `<${baseUrl}/api/models?${next.toString()}>; rel="next"`;
  }
  sendJson(response, 200, body, headers);
}

/** `GET /api/models/{id}[/revision/{rev}]`: the model record, restricted to `expand` when given. */
export async function handleModelInfo(
  context: HubContext,
  response: ServerResponse,
  snapshot: RepositorySnapshot,
  parameters: URLSearchParams,
): Promise<void> {
  const record = await context.record(snapshot);
  const expand = parameters.getAll('expand').filter((field) => field !== '');
  sendJson(response, 200, expand.length > 0 ? pickFields(record, expand) : record);
}

/** `GET /api/models/{id}/tree/{rev}[/{path}]?recursive=&expand=`: a folder's entries, paged with `Link`. */
export async function handleTree(
  context: HubContext,
  response: ServerResponse,
  snapshot: RepositorySnapshot,
  folder: string,
  parameters: URLSearchParams,
  requestPath: string,
  baseUrl: string,
): Promise<void> {
  const recursive = parameters.get('recursive') === 'true' || parameters.get('recursive') === '1';
  const expand = parameters.get('expand') === 'true' || parameters.get('expand') === '1';
  const directories = directoriesOf(snapshot);
  if (folder !== '' && !directories.includes(folder)) {
    sendError(response, 404, 'EntryNotFound', `${folder} does not exist on "${snapshot.repository.id}"`);
    return;
  }
  const prefix = folder === '' ? '' : `${folder}/`;
  const isListed = (entryPath: string): boolean =>
    entryPath.startsWith(prefix) && (recursive || !entryPath.slice(prefix.length).includes('/'));
  const paths = [
    ...directories.filter(isListed).map((path) => ({ path, directory: true })),
    ...snapshot.files
      .filter((file) => isListed(file.path))
      .map((file) => ({ path: file.path, directory: false })),
  ].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

  const cursor = parameters.get('cursor');
  const offset = cursor === null ? 0 : Number.parseInt(Buffer.from(cursor, 'base64url').toString('utf8'), 10);
  if (!Number.isInteger(offset) || offset < 0) {
    sendError(response, 400, 'BadRequest', "Invalid 'cursor'");
    return;
  }
  const page = paths.slice(offset, offset + TREE_PAGE_SIZE);
  const byPath = new Map(snapshot.files.map((file) => [file.path, file]));
  const entries: FileEntry[] = [];
  for (const item of page) {
    const file = item.directory ? undefined : byPath.get(item.path);
    entries.push(
      file
        ? await fileEntry(snapshot, file, context.digests, expand)
        : directoryEntry(snapshot, item.path, expand),
    );
  }
  const headers: Record<string, string> = {};
  if (offset + page.length < paths.length) {
    const next = new URLSearchParams(parameters);
    next.set('cursor', Buffer.from(String(offset + page.length)).toString('base64url'));
    headers.Link = `<${baseUrl}${requestPath}?${next.toString()}>; rel="next"`;
  }
  sendJson(response, 200, entries, headers);
}

/**
 * `POST /api/models/{id}/paths-info/{rev}` with `{ "paths": [...], "expand": bool }` as JSON or as
 * a form (`paths=a&paths=b`): the entries of the paths that exist; others are left out.
 */
export async function handlePathsInfo(
  context: HubContext,
  request: IncomingMessage,
  response: ServerResponse,
  snapshot: RepositorySnapshot,
): Promise<void> {
  const body = await readBody(request);
  if (body === undefined) {
    sendError(response, 413, 'BadRequest', 'Request body too large');
    return;
  }
  const parsed = parsePathsInfoBody(body, request.headers['content-type']);
  if (!parsed) {
    sendError(response, 400, 'BadRequest', "Expected a body with 'paths'");
    return;
  }
  const byPath = new Map(snapshot.files.map((file) => [file.path, file]));
  const directories = new Set(directoriesOf(snapshot));
  const entries: FileEntry[] = [];
  for (const requested of new Set(parsed.paths.map((path) => path.replace(/\/+$/, '')))) {
    if (!isSafeRelativePath(requested)) continue;
    const file = byPath.get(requested);
    if (file) entries.push(await fileEntry(snapshot, file, context.digests, parsed.expand));
    else if (directories.has(requested)) entries.push(directoryEntry(snapshot, requested, parsed.expand));
  }
  sendJson(response, 200, entries);
}

function parsePathsInfoBody(
  body: string,
  contentType: string | undefined,
): { paths: string[]; expand: boolean } | undefined {
  if (contentType?.includes('application/x-www-form-urlencoded')) {
    const form = new URLSearchParams(body);
    const expand = form.get('expand');
    return { paths: form.getAll('paths'), expand: expand === 'true' || expand === '1' };
  }
  try {
    const value: unknown = JSON.parse(body);
    if (typeof value !== 'object' || value === null) return undefined;
    const { paths, expand } = value as { paths?: unknown; expand?: unknown };
    const list = typeof paths === 'string' ? [paths] : Array.isArray(paths) ? paths : undefined;
    if (!list?.every((path): path is string => typeof path === 'string')) return undefined;
    return { paths: list, expand: expand === true };
  } catch {
    return undefined;
  }
}

async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    length += buffer.length;
    if (length > MAX_BODY_BYTES) return undefined;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
