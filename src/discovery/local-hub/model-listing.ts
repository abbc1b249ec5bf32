import type { ModelRecord } from './model-record.js';
import { compareStrings } from './repository-scanner.js';

/** Sort keys `GET /api/models` accepts. */
export const LISTING_SORT_KEYS = ['downloads', 'likes', 'lastModified', 'createdAt', 'id'] as const;
export type ListingSortKey = (typeof LISTING_SORT_KEYS)[number];

/** A parsed `GET /api/models` query. */
export interface ListingQuery {
  /** Case-insensitive substring of the id. */
  readonly search?: string;
  /** The organization (case-insensitive). */
  readonly author?: string;
  readonly pipelineTag?: string;
  /** Tags every model must carry (`filter`, repeated or comma-separated, and `library`). */
  readonly tags: readonly string[];
  readonly sort?: ListingSortKey;
  /** 1 ascending, -1 descending. */
  readonly direction: 1 | -1;
  readonly limit: number;
  /** Position of the first model of the page. */
  readonly offset: number;
  /** Fields to return (`expand`, repeated); empty for the default fields. */
  readonly expand: readonly string[];
  /** `full=true`: every field. */
  readonly full: boolean;
  /** The listing snapshot the cursor refers to, if any. */
  readonly snapshotId?: string;
}

/** A problem with a query parameter. */
export interface ListingQueryProblem {
  readonly parameter: string;
  readonly message: string;
}

/**
 * Parses the query of `GET /api/models`. `limit` defaults to `maxPageSize` and is capped by it.
 * `direction` defaults to -1 (descending, as on the Hub) when sorting by a count or date, and to 1
 * when sorting by `id`. The cursor is opaque: base64url of `{ "o": offset, "s": snapshot }`.
 */
export function parseListingQuery(
  parameters: URLSearchParams,
  maxPageSize: number,
): ListingQuery | ListingQueryProblem {
  const sort = parameters.get('sort') ?? undefined;
  if (sort !== undefined && !(LISTING_SORT_KEYS as readonly string[]).includes(sort)) {
    return { parameter: 'sort', message: `must be one of ${LISTING_SORT_KEYS.join(', ')}` };
  }
  const directionText = parameters.get('direction');
  if (directionText !== null && directionText !== '1' && directionText !== '-1') {
    return { parameter: 'direction', message: 'must be 1 or -1' };
  }
  const limitText = parameters.get('limit');
  const limit = limitText === null ? maxPageSize : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1)
    return { parameter: 'limit', message: 'must be a positive integer' };
  let offset = 0;
  let snapshotId: string | undefined;
  const cursor = parameters.get('cursor');
  if (cursor !== null) {
    const decoded = decodeCursor(cursor);
    if (!decoded) return { parameter: 'cursor', message: 'is not a cursor this hub issued' };
    offset = decoded.offset;
    snapshotId = decoded.snapshotId;
  }
  const tags = [...parameters.getAll('filter'), ...parameters.getAll('library')]
    .flatMap((value) => value.split(','))
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '');
  const sortKey = sort as ListingSortKey | undefined;
  return {
    ...optional('search', parameters.get('search')),
    ...optional('author', parameters.get('author')),
    ...optional('pipelineTag', parameters.get('pipeline_tag')),
    tags,
    ...(sortKey ? { sort: sortKey } : {}),
    direction:
      directionText === null
        ? sortKey === undefined || sortKey === 'id'
          ? 1
          : -1
        : directionText === '1'
          ? 1
          : -1,
    limit: Math.min(limit, maxPageSize),
    offset,
    expand: parameters.getAll('expand').filter((field) => field !== ''),
    full: parameters.get('full') === 'true' || parameters.get('full') === '1',
    ...(snapshotId ? { snapshotId } : {}),
  };
}

/** Whether {@link parseListingQuery} returned a problem. */
export function isListingQueryProblem(
  value: ListingQuery | ListingQueryProblem,
): value is ListingQueryProblem {
  return 'parameter' in value;
}

/** The records matching `query`, sorted (ties broken by id, ascending), not yet paged. */
export function filterAndSort(records: readonly ModelRecord[], query: ListingQuery): ModelRecord[] {
  const search = query.search?.toLowerCase();
  const author = query.author?.toLowerCase();
  const matching = records.filter(
    (record) =>
      (search === undefined || record.id.toLowerCase().includes(search)) &&
      (author === undefined || record.author?.toLowerCase() === author) &&
      (query.pipelineTag === undefined || record.pipeline_tag === query.pipelineTag) &&
      query.tags.every((tag) => record.tags.includes(tag) || record.library_name === tag),
  );
  const sort = query.sort;
  if (sort === undefined) return matching.sort((a, b) => compareStrings(a.id, b.id));
  return matching.sort((a, b) => {
    const primary =
      sort === 'id'
        ? compareStrings(a.id, b.id)
        : sort === 'lastModified' || sort === 'createdAt'
          ? Date.parse(a[sort]) - Date.parse(b[sort])
          : a[sort] - b[sort];
    return primary !== 0 ? primary * query.direction : compareStrings(a.id, b.id);
  });
}

/** An opaque cursor for the page starting at `offset` of listing snapshot `snapshotId`. */
export function encodeCursor(offset: number, snapshotId: string): string {
  return Buffer.from(JSON.stringify({ o: offset, s: snapshotId })).toString('base64url');
}

function decodeCursor(cursor: string): { offset: number; snapshotId?: string } | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof value !== 'object' || value === null) return undefined;
    const { o, s } = value as { o?: unknown; s?: unknown };
    if (typeof o !== 'number' || !Number.isInteger(o) || o < 0) return undefined;
    return typeof s === 'string' ? { offset: o, snapshotId: s } : { offset: o };
  } catch {
    return undefined;
  }
}

function optional<K extends string>(key: K, value: string | null): { [P in K]?: string } {
  return (value === null || value === '' ? {} : { [key]: value }) as { [P in K]?: string };
}
