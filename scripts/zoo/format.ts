// Number formatting for the cards, independent of the locale and of Node's ICU build.

/** An integer with thousands separators: 61754 → "61,754". */
export function formatCount(count: number): string {
  return String(Math.trunc(count)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A file size in kB (below 1 MiB) or MB, binary units. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(2)} MB`;
  return `${(bytes / 1024).toFixed(1)} kB`;
}
