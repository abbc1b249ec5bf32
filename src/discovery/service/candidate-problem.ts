/** Fields of a `ModelCandidate` that must be strings when present. */
const STRING_FIELDS = ['provider', 'library', 'family', 'license', 'revision', 'lastModified', 'localPath'];
/** Fields that must be arrays of strings when present. */
const STRING_ARRAY_FIELDS = ['tasks', 'modalities', 'capabilities', 'dtypes', 'aliases', 'providers'];
/** Fields that must be finite numbers ≥ 0 when present. */
const COUNT_FIELDS = ['sizeBytes', 'parameters', 'memoryBytes', 'contextLength', 'downloads', 'likes'];

function isStringArray(value: unknown): boolean {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function isCount(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/**
 * What is wrong with a value a provider returned as a `ModelCandidate`, or `undefined` when it
 * has the documented shape: an object with a non-empty string `id`, strings, string arrays and
 * non-negative finite numbers where the type says so, a boolean `gated`, finite `metrics`, and
 * `files` with string paths, and `localCopies` of that shape. Unknown task names are not a
 * problem (they match no task filter).
 */
export function candidateProblem(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return 'a candidate is not an object';
  const candidate = value as Readonly<Record<string, unknown>>;
  const { id } = candidate;
  if (typeof id !== 'string' || id.trim() === '') return 'a candidate has no id (a non-empty string)';
  for (const field of STRING_FIELDS) {
    if (candidate[field] !== undefined && typeof candidate[field] !== 'string')
      return `${id}: ${field} is not a string`;
  }
  for (const field of STRING_ARRAY_FIELDS) {
    if (candidate[field] !== undefined && !isStringArray(candidate[field])) {
      return `${id}: ${field} is not an array of strings`;
    }
  }
  for (const field of COUNT_FIELDS) {
    if (candidate[field] !== undefined && !isCount(candidate[field])) {
      return `${id}: ${field} is not a finite number ≥ 0`;
    }
  }
  if (candidate.gated !== undefined && typeof candidate.gated !== 'boolean')
    return `${id}: gated is not a boolean`;
  const { metrics, files, pricing } = candidate;
  if (metrics !== undefined) {
    if (metrics === null || typeof metrics !== 'object' || Array.isArray(metrics))
      return `${id}: metrics is not an object`;
    for (const [name, metric] of Object.entries(metrics)) {
      if (typeof metric !== 'number' || !Number.isFinite(metric))
        return `${id}: metric ${name} is not a finite number`;
    }
  }
  if (pricing !== undefined && (pricing === null || typeof pricing !== 'object' || Array.isArray(pricing))) {
    return `${id}: pricing is not an object`;
  }
  const filesProblem = filesProblemOf(files);
  if (filesProblem !== undefined) return `${id}: ${filesProblem}`;
  const { localCopies } = candidate;
  if (localCopies !== undefined) {
    if (!Array.isArray(localCopies)) return `${id}: localCopies is not an array`;
    for (const copy of localCopies) {
      if (copy === null || typeof copy !== 'object' || Array.isArray(copy))
        return `${id}: a local copy is not an object`;
      const fields = copy as Readonly<Record<string, unknown>>;
      if (typeof fields.provider !== 'string') return `${id}: a local copy has no provider`;
      for (const field of ['path', 'revision']) {
        if (fields[field] !== undefined && typeof fields[field] !== 'string')
          return `${id}: a local copy's ${field} is not a string`;
      }
      if (fields.dtypes !== undefined && !isStringArray(fields.dtypes))
        return `${id}: a local copy's dtypes is not an array of strings`;
      if (fields.sizeBytes !== undefined && !isCount(fields.sizeBytes))
        return `${id}: a local copy's sizeBytes is not a finite number ≥ 0`;
      const copyFilesProblem = filesProblemOf(fields.files);
      if (copyFilesProblem !== undefined) return `${id}: a local copy's ${copyFilesProblem}`;
    }
  }
  return undefined;
}

/** What is wrong with a `files` field, or `undefined` when it is absent or an array of files with paths. */
function filesProblemOf(files: unknown): string | undefined {
  if (files === undefined) return undefined;
  if (!Array.isArray(files)) return 'files is not an array';
  for (const file of files) {
    if (file === null || typeof file !== 'object' || typeof (file as { path?: unknown }).path !== 'string') {
      return 'a file has no path';
    }
  }
  return undefined;
}
