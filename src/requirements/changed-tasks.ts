import type { Requirements } from './requirements.js';

/**
 * The names of the tasks that differ between `previous` and `next`: added or changed ones in
 * `next`'s order, then removed ones in `previous`'s order. Key order inside a task does not count.
 * @internal
 */
export function changedTasks(previous: Requirements, next: Requirements): string[] {
  const changed: string[] = [];
  for (const [name, task] of Object.entries(next.tasks)) {
    const before = previous.tasks[name];
    if (before === undefined || canonicalJson(before) !== canonicalJson(task)) changed.push(name);
  }
  for (const name of Object.keys(previous.tasks)) {
    if (!Object.hasOwn(next.tasks, name)) changed.push(name);
  }
  return changed;
}

/** JSON with object keys sorted, so that equal values give equal text. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_, entry: unknown) => {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return entry;
    return Object.fromEntries(Object.entries(entry).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  });
}
