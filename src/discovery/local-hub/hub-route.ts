import { isValidModelId, isValidRevision } from './model-id.js';

/** A request of the Hub API, recognized from its decoded path segments. */
export type HubRoute =
  | { readonly kind: 'list-models' }
  | { readonly kind: 'model-info'; readonly id: string; readonly revision: string }
  | { readonly kind: 'tree'; readonly id: string; readonly revision: string; readonly path: string }
  | { readonly kind: 'paths-info'; readonly id: string; readonly revision: string }
  | { readonly kind: 'resolve'; readonly id: string; readonly revision: string; readonly path: string }
  | { readonly kind: 'invalid'; readonly message: string }
  | { readonly kind: 'unknown' };

const API_KEYWORDS = new Set(['revision', 'tree', 'paths-info']);

/**
 * Recognizes the Hub routes the local hub serves:
 * `/api/models`, `/api/models/{id}`, `/api/models/{id}/revision/{rev}`,
 * `/api/models/{id}/tree/{rev}[/{path}]`, `/api/models/{id}/paths-info/{rev}` and
 * `/{id}/resolve/{rev}/{path}`, where `{id}` is `name` or `org/name`. When both readings are
 * possible, the two-segment id wins (as on the Hub).
 */
export function parseHubRoute(segments: readonly string[]): HubRoute {
  if (segments[0] === 'api' && segments[1] === 'models') return parseApiRoute(segments.slice(2));
  const resolveAt =
    segments[2] === 'resolve' && segments.length >= 5 ? 2 : segments[1] === 'resolve' ? 1 : -1;
  if (resolveAt < 0 || segments.length < resolveAt + 3) return { kind: 'unknown' };
  const id = segments.slice(0, resolveAt).join('/');
  const revision = segments[resolveAt + 1] ?? '';
  const invalid = validate(id, revision);
  if (invalid) return invalid;
  return { kind: 'resolve', id, revision, path: segments.slice(resolveAt + 2).join('/') };
}

function parseApiRoute(rest: readonly string[]): HubRoute {
  if (rest.length === 0) return { kind: 'list-models' };
  if (rest.length <= 2) {
    const id = rest.join('/');
    return validate(id, 'main') ?? { kind: 'model-info', id, revision: 'main' };
  }
  const keywordAt = API_KEYWORDS.has(rest[2] ?? '') ? 2 : API_KEYWORDS.has(rest[1] ?? '') ? 1 : -1;
  if (keywordAt < 0) return { kind: 'unknown' };
  const id = rest.slice(0, keywordAt).join('/');
  const keyword = rest[keywordAt];
  const revision = rest[keywordAt + 1];
  const after = rest.slice(keywordAt + 2);
  if (revision === undefined) return { kind: 'unknown' };
  const invalid = validate(id, revision);
  if (invalid) return invalid;
  if (keyword === 'tree') return { kind: 'tree', id, revision, path: after.join('/') };
  if (after.length > 0) return { kind: 'unknown' };
  return keyword === 'revision' ? { kind: 'model-info', id, revision } : { kind: 'paths-info', id, revision };
}

function validate(id: string, revision: string): HubRoute | undefined {
  if (!isValidModelId(id)) return { kind: 'invalid', message: `Invalid model id: ${JSON.stringify(id)}` };
  if (!isValidRevision(revision))
    return { kind: 'invalid', message: `Invalid revision: ${JSON.stringify(revision)}` };
  return undefined;
}
