import { assertKnownKeys, assertNumber, type NumberRule } from '../core/validate.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';

/** How one option of a strategy is checked. @internal */
export type OptionRule =
  | ({ readonly type: 'number' } & NumberRule)
  | { readonly type: 'choice'; readonly values: readonly string[] };

/** The values a strategy option may take. @internal */
export type OptionValues = Readonly<Record<string, number | string | boolean>>;

/**
 * Checks `options` against `rules` and fills in `defaults`. Throws an `InvalidArgumentError`
 * naming `options.<key>` for an unknown key, a value of the wrong type, NaN, or a value out of
 * range. Keys given as `undefined` take their default. Returns a frozen object.
 * @internal
 */
export function resolveOptions<Options extends OptionValues>(
  options: unknown,
  defaults: Options,
  rules: { readonly [Key in keyof Options]: OptionRule },
): Options {
  if (options === undefined) return Object.freeze({ ...defaults });
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new InvalidArgumentError({ argument: 'options', value: options, message: 'must be an object' });
  }
  const known = Object.keys(defaults);
  assertKnownKeys('options', options, known);
  const given = options as Readonly<Record<string, unknown>>;
  const resolved: Record<string, number | string | boolean> = { ...defaults };
  for (const key of known) {
    const value = given[key];
    if (value === undefined) continue;
    const rule: OptionRule = rules[key as keyof Options];
    const argument = `options.${key}`;
    if (rule.type === 'number') {
      assertNumber(argument, value, rule);
      resolved[key] = value;
    } else {
      if (typeof value !== 'string' || !rule.values.includes(value)) {
        throw new InvalidArgumentError({
          argument,
          value,
          message: `must be one of ${rule.values.map((choice) => `'${choice}'`).join(', ')}`,
        });
      }
      resolved[key] = value;
    }
  }
  return Object.freeze(resolved) as Options;
}

/** Throws an `InvalidArgumentError` unless `level` (of an interval) lies strictly between 0 and 1. @internal */
export function assertLevel(level: unknown): asserts level is number {
  if (typeof level !== 'number' || !(level > 0 && level < 1)) {
    throw new InvalidArgumentError({
      argument: 'level',
      value: level,
      message: 'must be a number strictly between 0 and 1',
    });
  }
}
