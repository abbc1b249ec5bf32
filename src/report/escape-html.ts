const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * `text` with `&`, `<`, `>`, `"` and `'` replaced by character references: safe as HTML or SVG
 * text and inside a quoted attribute value.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ENTITIES[character]!);
}

/** `text` cut to at most `length` characters (code points), with `…` at the end when it was cut. @internal */
export function truncateText(text: string, length: number): string {
  const characters = Array.from(text);
  return characters.length <= length ? text : `${characters.slice(0, Math.max(1, length - 1)).join('')}…`;
}
