/**
 * A model id the local hub accepts: `name` or `org/name`, each segment starting with a letter or
 * digit and holding only letters, digits, `_`, `.` and `-`. Anything else (`..`, `%2e`, `\`, NUL,
 * empty segments) never reaches the file system.
 */
export const MODEL_ID_PATTERN = /^[A-Za-z0-9][\w.-]*(\/[A-Za-z0-9][\w.-]*)?$/;

/** One segment of a model id (an organization or a model name). */
export const MODEL_ID_SEGMENT_PATTERN = /^[A-Za-z0-9][\w.-]*$/;

/** A revision: a branch or tag name (`main`, `v1.0`), `HEAD`, or a commit sha. */
export const REVISION_PATTERN = /^[A-Za-z0-9][\w.-]*$/;

/** Whether `id` is a model id the local hub serves. */
export function isValidModelId(id: string): boolean {
  return MODEL_ID_PATTERN.test(id) && !id.split('/').some((segment) => segment.includes('..'));
}

/** Whether `revision` is a revision name the local hub accepts. */
export function isValidRevision(revision: string): boolean {
  return REVISION_PATTERN.test(revision) && !revision.includes('..');
}
