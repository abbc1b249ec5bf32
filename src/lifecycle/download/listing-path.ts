import path from 'node:path';
import { isSafeRelativePath } from '../../discovery/local-hub/safe-path.js';

/**
 * Whether a file path of a Hub listing may become a path under a snapshot folder: relative,
 * `/`-separated, with no empty, `.` or `..` segment, no backslash, NUL or other control
 * character, no drive letter, and the same once percent-decoded (so `%2e%2e` and `%2f` are
 * refused too, whatever a later layer might decode; `%252e` is decoded again).
 */
export function isSafeListingPath(filePath: string): boolean {
  if (typeof filePath !== 'string' || filePath.length === 0 || filePath.length > 4096) return false;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused.
  if (/[\u0000-\u001f\u007f]/.test(filePath) || /^[A-Za-z]:/.test(filePath)) return false;
  if (!isSafeRelativePath(filePath) || path.posix.isAbsolute(filePath)) return false;
  let decoded: string;
  try {
    decoded = decodeURIComponent(filePath);
  } catch {
    // Not valid percent-encoding: no layer decodes it, so the literal name is what counts.
    return true;
  }
  return decoded === filePath || isSafeListingPath(decoded);
}
