/**
 * Validation and counter helpers shared by the store implementations. Internal: not exported
 * from the package.
 *
 * @internal
 * @module
 */
import type { Clock } from '../clock/clock.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type { JsonValue, SetDocumentOptions } from './spec.js';

/** Throws an {@link InvalidArgumentError} unless `key` is a non-empty string. @internal */
export function assertKey(key: unknown, argument = 'key'): asserts key is string {
  if (typeof key !== 'string' || key.length === 0) {
    throw new InvalidArgumentError({ argument, value: key, message: 'must be a non-empty string' });
  }
}

/** Throws an {@link InvalidArgumentError} unless `keys` is an array of non-empty strings. @internal */
export function assertKeys(keys: unknown): asserts keys is readonly string[] {
  if (!Array.isArray(keys)) {
    throw new InvalidArgumentError({
      argument: 'keys',
      value: keys,
      message: 'must be an array of non-empty strings',
    });
  }
  for (let index = 0; index < keys.length; index++) {
    const key: unknown = keys[index];
    if (typeof key !== 'string' || key.length === 0) assertKey(key, `keys[${index}]`);
  }
}

/** Throws an {@link InvalidArgumentError} unless `prefix` is a string (the empty string matches every key). @internal */
export function assertPrefix(prefix: unknown): asserts prefix is string {
  if (typeof prefix !== 'string') {
    throw new InvalidArgumentError({ argument: 'prefix', value: prefix, message: 'must be a string' });
  }
}

/**
 * One field of one increment of an `increment()` call, as read (once) from the caller's objects.
 *
 * @internal
 */
export interface FieldIncrement {
  readonly key: string;
  readonly field: string;
  readonly delta: number;
}

/**
 * Validates a whole `increment()` call before anything is written, so an invalid call changes
 * nothing: an array of `{ key, deltas }` with non-empty keys and finite numeric deltas. Returns
 * the call's fields in order (increments without fields contribute none).
 *
 * Every value is read from the caller's objects exactly once, here: a store applies the returned
 * copy, never the caller's objects again, so getters or proxies that throw or change their values
 * on a second read cannot make a validated call fail or write something else halfway through.
 *
 * @internal
 */
export function readIncrements(increments: unknown): FieldIncrement[] {
  if (!Array.isArray(increments)) {
    throw new InvalidArgumentError({
      argument: 'increments',
      value: increments,
      message: 'must be an array of { key, deltas }',
    });
  }
  const fields: FieldIncrement[] = [];
  const count = increments.length;
  for (let index = 0; index < count; index++) {
    const increment: unknown = increments[index];
    if (increment === null || typeof increment !== 'object') {
      throw new InvalidArgumentError({
        argument: `increments[${index}]`,
        value: increment,
        message: 'must be an object { key, deltas }',
      });
    }
    const { key, deltas } = increment as { key?: unknown; deltas?: unknown };
    if (typeof key !== 'string' || key.length === 0) assertKey(key, `increments[${index}].key`);
    if (deltas === null || typeof deltas !== 'object' || Array.isArray(deltas)) {
      throw new InvalidArgumentError({
        argument: `increments[${index}].deltas`,
        value: deltas,
        message: 'must be an object of field names to finite numbers',
      });
    }
    // for…in rather than Object.keys: no array per call on the hot path (fields are the
    // enumerable properties of `deltas`, which for a plain object are its own).
    for (const field in deltas) {
      const delta: unknown = (deltas as Record<string, unknown>)[field];
      if (typeof delta !== 'number' || !Number.isFinite(delta)) {
        throw new InvalidArgumentError({
          argument: `increments[${index}].deltas[${JSON.stringify(field)}]`,
          value: delta,
          message: 'must be a finite number',
        });
      }
      fields.push({ key, field, delta });
    }
  }
  return fields;
}

/**
 * Validates the options of `setDocument` and returns the expiry time (milliseconds since the
 * epoch on `clock`), or `undefined` for a document that never expires.
 *
 * @internal
 */
export function expiryTime(options: SetDocumentOptions | undefined, clock: Clock): number | undefined {
  if (options === undefined) return undefined;
  if (options === null || typeof options !== 'object') {
    throw new InvalidArgumentError({ argument: 'options', value: options, message: 'must be an object' });
  }
  const { ttlMs } = options;
  if (ttlMs === undefined) return undefined;
  if (typeof ttlMs !== 'number' || !Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw new InvalidArgumentError({
      argument: 'options.ttlMs',
      value: ttlMs,
      message: 'must be a finite number of milliseconds > 0',
    });
  }
  return clock.now() + ttlMs;
}

/**
 * Throws an {@link InvalidArgumentError} naming the first part of `value` that is not JSON:
 * `undefined`, functions, symbols, bigints, NaN and ±Infinity, array holes, circular references
 * and objects that are not plain (Date, Map, class instances…).
 *
 * @internal
 */
export function assertJsonValue(value: unknown, argument = 'value'): asserts value is JsonValue {
  const problem = findJsonProblem(value, argument, new Set());
  if (problem !== undefined) {
    throw new InvalidArgumentError({ argument, value, message: `must be a JSON value, but ${problem}` });
  }
}

function findJsonProblem(value: unknown, path: string, ancestors: Set<object>): string | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : `${path} is ${value}`;
    case 'object': {
      if (value === null) return undefined;
      if (ancestors.has(value)) return `${path} is a circular reference`;
      ancestors.add(value);
      const problem = Array.isArray(value)
        ? findArrayProblem(value, path, ancestors)
        : findObjectProblem(value, path, ancestors);
      ancestors.delete(value);
      return problem;
    }
    default:
      return `${path} is ${typeof value === 'function' ? 'a function' : `of type ${typeof value}`}`;
  }
}

function findArrayProblem(
  array: readonly unknown[],
  path: string,
  ancestors: Set<object>,
): string | undefined {
  for (let index = 0; index < array.length; index++) {
    if (!(index in array)) return `${path}[${index}] is a hole`;
    const problem = findJsonProblem(array[index], `${path}[${index}]`, ancestors);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function findObjectProblem(object: object, path: string, ancestors: Set<object>): string | undefined {
  const prototype: unknown = Object.getPrototypeOf(object);
  if (prototype !== Object.prototype && prototype !== null) {
    const name = (object as { constructor?: { name?: unknown } }).constructor?.name;
    return `${path} is ${typeof name === 'string' && name !== '' ? `a ${name}` : 'not a plain object'}`;
  }
  for (const property of Object.keys(object)) {
    const problem = findJsonProblem(
      (object as Record<string, unknown>)[property],
      `${path}[${JSON.stringify(property)}]`,
      ancestors,
    );
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/**
 * Adds `delta` to `fields[field]` (0 when missing). Safe for field names that are members of
 * `Object.prototype` (`constructor`, `toString`, `__proto__`…): they become ordinary own fields.
 *
 * @internal
 */
export function addToField(fields: Record<string, number>, field: string, delta: number): void {
  const current: unknown = fields[field];
  // Object.prototype has no numeric members, so a number here is always the field's own value.
  if (typeof current === 'number') fields[field] = current + delta;
  else addNewField(fields, field, delta);
}

function addNewField(fields: Record<string, number>, field: string, delta: number): void {
  if (field === '__proto__') {
    Object.defineProperty(fields, field, {
      value: delta,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  } else {
    fields[field] = delta;
  }
}

/**
 * Throws an {@link InvalidArgumentError} unless `options` is an object (or `undefined` when
 * `optional`) whose keys are all in `allowedKeys`.
 *
 * @internal
 */
export function assertOptions(
  options: unknown,
  argument: string,
  allowedKeys: readonly string[],
  optional: boolean,
): void {
  if (options === undefined && optional) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new InvalidArgumentError({ argument, value: options, message: 'must be an object' });
  }
  for (const key of Object.keys(options)) {
    if (!allowedKeys.includes(key)) {
      throw new InvalidArgumentError({
        argument: `${argument}.${key}`,
        message: `is not a known option (known: ${allowedKeys.join(', ')})`,
      });
    }
  }
}

/** Throws an {@link InvalidArgumentError} unless `clock` is `undefined` or has a `now()` method. @internal */
export function assertClock(clock: unknown, argument: string): asserts clock is Clock | undefined {
  if (clock !== undefined && (clock === null || typeof (clock as Partial<Clock>).now !== 'function')) {
    throw new InvalidArgumentError({
      argument,
      value: clock,
      message: 'must be a Clock (an object with now())',
    });
  }
}
