import { realpath } from 'node:fs/promises';
import path from 'node:path';

/**
 * Splits the raw path of a request (before any normalization) into decoded segments, or returns
 * `undefined` when any segment is unsafe: empty (`//`, an absolute path after a prefix), `.` or
 * `..` (also percent-encoded as `%2e%2e`), containing a `/` or `\` (also encoded as `%2f`, `%5c`),
 * a NUL byte, or an invalid percent-encoding. A trailing `/` is ignored.
 */
export function decodePathSegments(rawPath: string): string[] | undefined {
  if (!rawPath.startsWith('/')) return undefined;
  const trimmed = rawPath.length > 1 && rawPath.endsWith('/') ? rawPath.slice(1, -1) : rawPath.slice(1);
  if (trimmed === '') return [];
  const segments: string[] = [];
  for (const encoded of trimmed.split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(encoded);
    } catch {
      return undefined;
    }
    if (!isSafeSegment(decoded)) return undefined;
    segments.push(decoded);
  }
  return segments;
}

/** Whether one decoded path segment may be joined to a directory without leaving it. */
export function isSafeSegment(segment: string): boolean {
  return (
    segment !== '' &&
    segment !== '.' &&
    segment !== '..' &&
    !segment.includes('/') &&
    !segment.includes('\\') &&
    !segment.includes('\0')
  );
}

/** Whether a repository-relative file path (`onnx/model.onnx`) is made only of safe segments. */
export function isSafeRelativePath(relativePath: string): boolean {
  return (
    relativePath !== '' && !path.isAbsolute(relativePath) && relativePath.split('/').every(isSafeSegment)
  );
}

/** Whether the absolute, already resolved `candidate` is `root` itself or lies inside it. */
export function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return (
    relative === '' ||
    (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative))
  );
}

/**
 * The real path (symlinks resolved) of `candidate`, when it exists and lies inside `realRoot`
 * (itself a real path); otherwise `undefined`. This is the check that keeps symlinks pointing out
 * of the root from being served.
 */
export async function realPathInside(realRoot: string, candidate: string): Promise<string | undefined> {
  let resolved: string;
  try {
    resolved = await realpath(candidate);
  } catch {
    return undefined;
  }
  return isInside(realRoot, resolved) ? resolved : undefined;
}
