/**
 * One part of a store key, URI-encoded: `':'` separates the parts of a key, and no encoded part
 * contains one. @internal
 */
export function keyPart(text: string): string {
  return encodeURIComponent(text);
}
