import type { ErrorObject, ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ConfigurationProblem, ConfigurationProblemKind } from '../errors/configuration-error.js';
import { closestMatch } from './closest-match.js';
import { REQUIREMENTS_SCHEMA } from './requirements-schema.js';
import type { SourceLocator } from './source-locator.js';

let validate: ValidateFunction | undefined;

/** The compiled validator of {@link REQUIREMENTS_SCHEMA}, built on first use. */
function validator(): ValidateFunction {
  if (validate === undefined) {
    const ajv = new Ajv2020({
      allErrors: true,
      verbose: true,
      strict: true,
      strictTypes: false,
      allowUnionTypes: true,
      validateFormats: false,
    });
    // VS Code's message keywords: annotations for ajv, read back when describing errors.
    ajv.addKeyword({ keyword: 'errorMessage', schemaType: 'string' });
    ajv.addKeyword({ keyword: 'patternErrorMessage', schemaType: 'string' });
    validate = ajv.compile(REQUIREMENTS_SCHEMA as Record<string, unknown>);
  }
  return validate;
}

/** The segments of a JSON pointer (`/a/b~1c` → `['a', 'b/c']`). @internal */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The JSON pointer of `segments`. @internal */
export function toPointer(segments: readonly string[]): string {
  return segments.map((segment) => `/${segment.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/**
 * The problems {@link REQUIREMENTS_SCHEMA} finds in `value`, each placed with `locator`: one per
 * offending value, with "did you mean" suggestions for unknown keys and values.
 * @internal
 */
export function schemaProblems(value: unknown, locator: SourceLocator): ConfigurationProblem[] {
  const check = validator();
  if (check(value)) return [];
  const problems: ConfigurationProblem[] = [];
  const seen = new Set<string>();
  for (const error of check.errors ?? []) {
    // Errors inside `propertyNames` are reported once, by the `propertyNames` error itself.
    if ((error as ErrorObject & { propertyName?: string }).propertyName !== undefined) continue;
    const problem = describe(error, locator);
    const key = `${problem.path}\u0000${problem.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      problems.push(problem);
    }
  }
  return problems;
}

function describe(error: ErrorObject, locator: SourceLocator): ConfigurationProblem {
  const segments = pointerSegments(error.instancePath);
  const parentSchema = (error.parentSchema ?? {}) as Readonly<Record<string, unknown>>;
  const custom = typeof parentSchema.errorMessage === 'string' ? parentSchema.errorMessage : undefined;
  const at = (
    kind: ConfigurationProblemKind,
    message: string,
    target: readonly string[] = segments,
    where: 'value' | 'key' = 'value',
    suggestion?: string,
  ): ConfigurationProblem => ({
    kind,
    message: suggestion === undefined ? message : `${message}; did you mean '${suggestion}'?`,
    path: toPointer(target),
    ...(where === 'key' ? locator.keyAt(target) : locator.valueAt(target)),
    ...(suggestion === undefined ? {} : { suggestion }),
  });
  const params = error.params as Readonly<Record<string, unknown>>;
  switch (error.keyword) {
    case 'required': {
      const missing = String(params.missingProperty);
      // Placed at the mapping's own key, where the missing key belongs.
      const problem = at('missing-key', `missing required key '${missing}'`, segments, 'key');
      return { ...problem, path: toPointer([...segments, missing]) };
    }
    case 'additionalProperties': {
      const extra = String(params.additionalProperty);
      const known = Object.keys((parentSchema.properties ?? {}) as object);
      const message =
        known.length === 0
          ? `unknown key '${extra}'`
          : `unknown key '${extra}' (expected ${known.join(', ')})`;
      const suggestion = closestMatch(extra, known);
      return at(
        'unknown-key',
        suggestion === undefined ? message : `unknown key '${extra}'`,
        [...segments, extra],
        'key',
        suggestion,
      );
    }
    case 'propertyNames': {
      const name = String(params.propertyName);
      const names = (parentSchema.propertyNames ?? {}) as Readonly<Record<string, unknown>>;
      const why = typeof names.patternErrorMessage === 'string' ? names.patternErrorMessage : 'invalid name';
      return at('invalid-format', `invalid name '${name}': ${why}`, [...segments, name], 'key');
    }
    case 'enum': {
      const allowed = (params.allowedValues ?? []) as readonly unknown[];
      const options = allowed.map(String);
      const data = error.data;
      const isTask = segments.at(-1) === 'task' && segments.length === 3 && segments[0] === 'tasks';
      const suggestion = typeof data === 'string' ? closestMatch(data, options) : undefined;
      if (isTask) {
        return at(
          'unknown-task',
          `unknown task ${quote(data)}: not a task id of @huggingface/tasks`,
          segments,
          'value',
          suggestion,
        );
      }
      return at(
        'unknown-value',
        `unknown value ${quote(data)}: must be one of ${options.join(', ')}`,
        segments,
        'value',
        suggestion,
      );
    }
    case 'const':
      return at('unknown-value', custom ?? `must be ${JSON.stringify(params.allowedValue)}`);
    case 'type':
      return at(
        'wrong-type',
        custom ?? `must be ${typeNames(String(params.type))}, not ${typeOf(error.data)}`,
      );
    case 'pattern':
      return at(
        'invalid-format',
        custom ??
          (typeof parentSchema.patternErrorMessage === 'string'
            ? parentSchema.patternErrorMessage
            : 'has an invalid form'),
      );
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const comparison = { minimum: '≥', maximum: '≤', exclusiveMinimum: '>', exclusiveMaximum: '<' }[
        error.keyword
      ];
      return at('out-of-range', `must be ${comparison} ${String(params.limit)}, not ${String(error.data)}`);
    }
    case 'minLength':
    case 'minItems':
      return at('out-of-range', 'must not be empty');
    case 'minProperties':
      return at('out-of-range', `must have at least ${String(params.limit)} entry`);
    case 'uniqueItems': {
      const later = Math.max(Number(params.i), Number(params.j));
      const items = Array.isArray(error.data) ? (error.data as readonly unknown[]) : [];
      return at('duplicate', `duplicate entry ${quote(items[later])}`, [...segments, String(later)]);
    }
    default:
      return at('wrong-type', error.message ?? `fails ${error.keyword}`);
  }
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  integer: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'a boolean',
  array: 'a list',
  object: 'a mapping',
  null: 'empty',
};

function typeNames(types: string): string {
  const names = types.split(',').map((type) => TYPE_NAMES[type] ?? type);
  return names.length <= 1 ? (names[0] ?? 'valid') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}

function typeOf(value: unknown): string {
  if (value === null) return 'empty (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN (.nan)';
    if (!Number.isFinite(value)) {
      return `${value < 0 ? '-' : ''}infinity (.inf, or a number too large to hold, such as 1e400)`;
    }
    return Number.isInteger(value) ? `the integer ${value}` : `the number ${value}`;
  }
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'object') return 'a mapping';
  return typeof value;
}

function quote(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : (JSON.stringify(value) ?? String(value));
}
