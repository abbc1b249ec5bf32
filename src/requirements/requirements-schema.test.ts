import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PIPELINE_DATA } from '@huggingface/tasks';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { REQUIREMENTS_SCHEMA } from './requirements-schema.js';

const fixture = parse(
  readFileSync(fileURLToPath(new URL('./fixtures/task-types.yaml', import.meta.url)), 'utf8'),
) as unknown;

/** Every object schema under `schema` that lists `properties`, with its JSON pointer. */
function propertySchemas(schema: unknown, pointer = ''): Array<[string, Record<string, unknown>]> {
  if (schema === null || typeof schema !== 'object') return [];
  const found: Array<[string, Record<string, unknown>]> = [];
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties' && value !== null && typeof value === 'object') {
      for (const [name, property] of Object.entries(value)) {
        found.push([`${pointer}/properties/${name}`, property as Record<string, unknown>]);
      }
    }
    found.push(...propertySchemas(value, `${pointer}/${key}`));
  }
  return found;
}

describe('REQUIREMENTS_SCHEMA', () => {
  test('is a valid draft 2020-12 schema, deeply frozen, that survives JSON', () => {
    const ajv = new Ajv2020({ strict: false, allowUnionTypes: true });
    expect(ajv.validateSchema(REQUIREMENTS_SCHEMA as Record<string, unknown>)).toBe(true);
    expect(JSON.parse(JSON.stringify(REQUIREMENTS_SCHEMA))).toEqual(REQUIREMENTS_SCHEMA);
    expect(Object.isFrozen(REQUIREMENTS_SCHEMA)).toBe(true);
    expect(Object.isFrozen((REQUIREMENTS_SCHEMA.properties as Record<string, object>).tasks)).toBe(true);
  });

  test('a plain validator (as an editor would use) accepts a valid file and rejects a typo', () => {
    const validate = new Ajv2020({ strict: false, allowUnionTypes: true }).compile(
      JSON.parse(JSON.stringify(REQUIREMENTS_SCHEMA)) as Record<string, unknown>,
    );
    expect(validate(fixture)).toBe(true);
    expect(validate({ version: 1, tasks: { a: { task: 'text-clasification' } } })).toBe(false);
  });

  test('offers every @huggingface/tasks task id, and describes every property', () => {
    const task = propertySchemas(REQUIREMENTS_SCHEMA).find(([pointer]) =>
      pointer.endsWith('/properties/task'),
    );
    expect(task?.[1].enum).toEqual(Object.keys(PIPELINE_DATA));
    for (const [pointer, property] of propertySchemas(REQUIREMENTS_SCHEMA)) {
      expect(typeof property.description, pointer).toBe('string');
    }
  });
});
