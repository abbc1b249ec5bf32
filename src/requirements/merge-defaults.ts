import type { SharedContent, TaskContent } from './file-content.js';

/** Sections that are mappings: merged key by key, the task's values winning. */
const MAPPING_SECTIONS = ['targets', 'limits', 'license', 'objective', 'context'] as const;
/** Sections that are lists or numbers: the task's value replaces the default. */
const REPLACED_SECTIONS = ['domainHints', 'capabilities', 'fallbacks', 'ensembleSize'] as const;

/** A section of {@link SharedContent} that may come from the defaults. @internal */
export type SharedSection = (typeof MAPPING_SECTIONS)[number] | (typeof REPLACED_SECTIONS)[number];

/**
 * A task with the file's `defaults` applied: mappings (`targets`, `limits`, `license`,
 * `objective`, `context`) merged key by key with the task's values winning; lists and numbers
 * (`domainHints`, `capabilities`, `fallbacks`, `ensembleSize`) taken from the task when it has them.
 * @internal
 */
export function mergeDefaults(task: TaskContent, defaults: SharedContent | undefined): TaskContent {
  if (defaults === undefined) return task;
  const merged: Record<string, unknown> = { ...task };
  for (const section of MAPPING_SECTIONS) {
    const base = defaults[section];
    const own = task[section];
    if (base !== undefined || own !== undefined) merged[section] = { ...base, ...own };
  }
  for (const section of REPLACED_SECTIONS) {
    const value = task[section] ?? defaults[section];
    if (value !== undefined) merged[section] = value;
  }
  return merged as unknown as TaskContent;
}

/**
 * The JSON pointer segments where the merged value of `section` (and `key` in it) was written:
 * in the task when it sets it, otherwise in `defaults`.
 * @internal
 */
export function sourceOf(
  taskName: string,
  task: TaskContent,
  section: SharedSection,
  key?: string,
): readonly string[] {
  const own = task[section] as unknown;
  const inTask =
    key === undefined
      ? own !== undefined
      : own !== null && typeof own === 'object' && !Array.isArray(own) && Object.hasOwn(own, key);
  const base = inTask ? ['tasks', taskName, section] : ['defaults', section];
  return key === undefined ? base : [...base, key];
}
