import { licensePolicyAdmitsNothing } from '../../core/license.js';
import { isTask, MODALITIES, modalityOf } from '../../core/task.js';
import {
  assertKnownKeys,
  assertLicensePolicyShape,
  assertNumber,
  assertStrings,
} from '../../core/validate.js';
import { ContradictoryConstraintsError } from '../../errors/contradictory-constraints-error.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import { CANDIDATE_SORT_KEYS, type CandidateQuery, type CandidateSortOrder } from './candidate-query.js';

const QUERY_KEYS: readonly (keyof CandidateQuery)[] = [
  'text',
  'task',
  'modality',
  'library',
  'capabilities',
  'license',
  'provider',
  'minSizeBytes',
  'maxSizeBytes',
  'minParameters',
  'maxParameters',
  'maxMemoryBytes',
  'metrics',
  'sort',
  'order',
  'limit',
  'offset',
];
const ORDERS: readonly CandidateSortOrder[] = ['ascending', 'descending'];

function isPlainObject(value: unknown): value is object {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function assertString(argument: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'string') {
    throw new InvalidArgumentError({ argument, value, message: 'must be a string' });
  }
}

function assertOneOf(argument: string, value: unknown, allowed: readonly string[]): void {
  if (value !== undefined && !allowed.includes(value as string)) {
    throw new InvalidArgumentError({ argument, value, message: `must be one of ${allowed.join(', ')}` });
  }
}

function assertRange(
  [minimumName, minimum]: readonly [string, number | undefined],
  [maximumName, maximum]: readonly [string, number | undefined],
): void {
  if (minimum !== undefined && maximum !== undefined && minimum > maximum) {
    throw new ContradictoryConstraintsError({
      constraints: [minimumName, maximumName],
      message: `${minimumName} ${minimum} > ${maximumName} ${maximum}`,
    });
  }
}

function assertLicensePolicy(policy: unknown): void {
  if (policy === undefined) return;
  if (!isPlainObject(policy)) {
    throw new InvalidArgumentError({
      argument: 'query.license',
      value: policy,
      message: 'must be an object',
    });
  }
  assertLicensePolicyShape('query.license', policy);
  if (licensePolicyAdmitsNothing(policy)) {
    throw new ContradictoryConstraintsError({
      constraints: ['license.allow', 'license.deny'],
      message: 'every allowed license is also denied, and unknown licenses are not allowed',
    });
  }
}

function assertMetrics(metrics: unknown): void {
  if (metrics === undefined) return;
  if (!isPlainObject(metrics)) {
    throw new InvalidArgumentError({
      argument: 'query.metrics',
      value: metrics,
      message: 'must be an object',
    });
  }
  for (const [name, range] of Object.entries(metrics)) {
    const argument = `query.metrics.${name}`;
    if (!isPlainObject(range)) {
      throw new InvalidArgumentError({
        argument,
        value: range,
        message: 'must be an object with min and/or max',
      });
    }
    assertKnownKeys(argument, range, ['min', 'max']);
    const { min, max } = range as { min?: unknown; max?: unknown };
    if (min !== undefined) assertNumber(`${argument}.min`, min);
    if (max !== undefined) assertNumber(`${argument}.max`, max);
    assertRange(
      [`metrics.${name}.min`, min as number | undefined],
      [`metrics.${name}.max`, max as number | undefined],
    );
  }
}

/**
 * Throws an `InvalidArgumentError` unless `query` is a well-formed {@link CandidateQuery}, and a
 * `ContradictoryConstraintsError` when no candidate could ever match it (a minimum above its
 * maximum, a task of another modality, a license policy that admits nothing). @internal
 */
export function assertCandidateQuery(query: unknown): asserts query is CandidateQuery {
  if (!isPlainObject(query)) {
    throw new InvalidArgumentError({ argument: 'query', value: query, message: 'must be an object' });
  }
  assertKnownKeys('query', query, QUERY_KEYS);
  const candidateQuery = query as CandidateQuery;
  assertString('query.text', candidateQuery.text);
  if (candidateQuery.task !== undefined && !isTask(candidateQuery.task)) {
    throw new InvalidArgumentError({
      argument: 'query.task',
      value: candidateQuery.task,
      message: 'must be a task name of @huggingface/tasks, e.g. text-classification',
    });
  }
  assertOneOf('query.modality', candidateQuery.modality, MODALITIES);
  assertString('query.library', candidateQuery.library);
  assertStrings('query.capabilities', candidateQuery.capabilities);
  assertLicensePolicy(candidateQuery.license);
  assertString('query.provider', candidateQuery.provider);
  for (const name of [
    'minSizeBytes',
    'maxSizeBytes',
    'minParameters',
    'maxParameters',
    'maxMemoryBytes',
  ] as const) {
    const value = candidateQuery[name];
    if (value !== undefined) assertNumber(`query.${name}`, value, { minimum: 0 });
  }
  assertMetrics(candidateQuery.metrics);
  assertOneOf('query.sort', candidateQuery.sort, CANDIDATE_SORT_KEYS);
  assertOneOf('query.order', candidateQuery.order, ORDERS);
  if (candidateQuery.limit !== undefined) {
    assertNumber('query.limit', candidateQuery.limit, { minimum: 0, integer: true });
  }
  if (candidateQuery.offset !== undefined) {
    assertNumber('query.offset', candidateQuery.offset, { minimum: 0, integer: true });
  }
  assertRange(['minSizeBytes', candidateQuery.minSizeBytes], ['maxSizeBytes', candidateQuery.maxSizeBytes]);
  assertRange(
    ['minParameters', candidateQuery.minParameters],
    ['maxParameters', candidateQuery.maxParameters],
  );
  const { task, modality } = candidateQuery;
  if (task !== undefined && modality !== undefined && modalityOf(task) !== modality) {
    throw new ContradictoryConstraintsError({
      constraints: ['task', 'modality'],
      message: `task '${task}' is ${modalityOf(task)}, not ${modality}`,
    });
  }
}
