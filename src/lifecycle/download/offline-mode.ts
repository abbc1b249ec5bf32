const TRUTHY = new Set(['1', 'true', 'yes', 'on']);

/**
 * Whether `HF_HUB_OFFLINE` asks for offline mode, as `huggingface_hub` reads it: `1`, `true`,
 * `yes` or `on`, in any case. Offline, downloads resolve from the cache only.
 */
export function isHuggingFaceOffline(
  environment: Readonly<Record<string, string | undefined>> = process.env,
): boolean {
  const value = environment.HF_HUB_OFFLINE;
  return value !== undefined && TRUTHY.has(value.trim().toLowerCase());
}
