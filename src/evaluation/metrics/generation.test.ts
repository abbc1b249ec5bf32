import { describe, expect, test } from 'vitest';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import type { GenerationCheck } from '../task-score.js';
import { scoreGeneration } from './generation.js';
import { wilsonInterval } from './intervals.js';
import { compileJsonSchema } from './json-schema.js';
import { jsonEqual, parseJsonText } from './json-text.js';
import { readToolCalls } from './tool-calls.js';

const run = (label: string | GenerationCheck, output: unknown) =>
  scoreGeneration([{ label, prediction: { output } }]);
const passes = (label: string | GenerationCheck, output: unknown) => run(label, output).quality.value === 1;

describe('scoreGeneration checks', () => {
  test('a string label is an exact match, both sides trimmed', () => {
    expect(passes('42', ' 42\n')).toBe(true);
    expect(passes({ exact: 'Yes' }, 'yes')).toBe(false);
    expect(passes({ exact: 'Yes' }, { text: 'Yes', toolCalls: [] })).toBe(true);
  });

  test('contains is a case-sensitive substring', () => {
    expect(passes({ contains: 'Paris' }, 'It is Paris, of course.')).toBe(true);
    expect(passes({ contains: 'Paris' }, 'it is paris')).toBe(false);
  });

  test('regex with and without flags', () => {
    expect(passes({ regex: '^hello' }, 'Hello world')).toBe(false);
    expect(passes({ regex: '^hello', flags: 'i' }, 'Hello world')).toBe(true);
    expect(passes({ regex: '^\\d{4}-\\d{2}$', flags: 'm' }, 'date:\n2024-05\n')).toBe(true);
  });

  test('a global regex shared by examples starts at 0 every time', () => {
    const check = { regex: 'a', flags: 'g' } as const;
    const score = scoreGeneration([
      { label: check, prediction: { output: 'a' } },
      { label: check, prediction: { output: 'a' } },
      { label: check, prediction: { output: 'xa' } },
    ]);
    expect(score.perExample).toEqual([1, 1, 1]);
    expect(score.metrics['regex-match']).toBe(1);
  });

  test('an invalid regex is an invalid argument', () => {
    expect(() => run({ regex: '(' }, 'x')).toThrow(InvalidArgumentError);
    expect(() => run({ regex: 'a', flags: 'q' }, 'x')).toThrow(/regular expression/);
  });

  test('json validity, one code fence allowed', () => {
    expect(passes({ json: true }, '{"a": [1, 2]}')).toBe(true);
    expect(passes({ json: true }, '```json\n{"a": 1}\n```')).toBe(true);
    const broken = run({ json: true }, '{a: 1}');
    expect(broken.quality.value).toBe(0);
    expect(broken.metrics['malformed-outputs']).toBe(1);
  });

  test('json schema: valid, schema failure, malformed JSON', () => {
    const schema = {
      type: 'object',
      required: ['name', 'age'],
      properties: { name: { type: 'string' }, age: { type: 'integer', minimum: 0 } },
    };
    const score = scoreGeneration([
      { label: { jsonSchema: schema }, prediction: { output: '{"name": "Ada", "age": 36}' } },
      { label: { jsonSchema: schema }, prediction: { output: '{"name": "Ada", "age": -1}' } },
      { label: { jsonSchema: schema }, prediction: { output: '{"name": "Ada"}' } },
      { label: { jsonSchema: schema }, prediction: { output: 'Ada, 36' } },
    ]);
    expect(score.perExample).toEqual([1, 0, 0, 0]);
    expect(score.metrics['schema-validity']).toBe(0.25);
    // only the text that is not JSON is malformed; schema failures are plain failures
    expect(score.metrics['malformed-outputs']).toBe(1);
  });

  test('schemas compile once per object; 2020-12 schemas use the 2020 dialect', () => {
    const schema = { type: 'string' };
    expect(compileJsonSchema(schema)).toBe(compileJsonSchema(schema));
    const tuple = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'array',
      prefixItems: [{ type: 'number' }, { type: 'string' }],
      items: false,
    };
    expect(passes({ jsonSchema: tuple }, '[1, "a"]')).toBe(true);
    expect(passes({ jsonSchema: tuple }, '[1, "a", 2]')).toBe(false);
    // the same $id in two schema objects does not clash
    expect(passes({ jsonSchema: { $id: 'x', type: 'number' } }, '1')).toBe(true);
    expect(passes({ jsonSchema: { $id: 'x', type: 'string' } }, '"s"')).toBe(true);
  });

  test('an invalid schema is an invalid argument', () => {
    expect(() => run({ jsonSchema: { type: 'nope' } }, '1')).toThrow(/JSON schema/);
  });
});

describe('tool calls', () => {
  const check: GenerationCheck = {
    toolCall: { name: 'get_weather', requiredArguments: ['city'], arguments: { unit: 'celsius' } },
  };

  test('the runner form { text, toolCalls }', () => {
    const call = { name: 'get_weather', arguments: { city: 'Paris', unit: 'celsius', days: 2 } };
    expect(passes(check, { text: '', toolCalls: [call] })).toBe(true);
  });

  test('a JSON text { name, arguments } and OpenAI-style tool_calls with string arguments', () => {
    expect(passes(check, '{"name": "get_weather", "arguments": {"city": "Oslo", "unit": "celsius"}}')).toBe(
      true,
    );
    const openAI = JSON.stringify({
      tool_calls: [
        { id: '1', type: 'function', function: { name: 'get_time', arguments: '{}' } },
        {
          id: '2',
          type: 'function',
          function: { name: 'get_weather', arguments: '{"city":"Rome","unit":"celsius"}' },
        },
      ],
    });
    expect(passes(check, openAI)).toBe(true);
    expect(passes(check, { text: openAI })).toBe(true);
  });

  test('missing required argument, wrong value, wrong function, no call', () => {
    const score = scoreGeneration([
      {
        label: check,
        prediction: {
          output: { text: '', toolCalls: [{ name: 'get_weather', arguments: { unit: 'celsius' } }] },
        },
      },
      {
        label: check,
        prediction: {
          output: {
            text: '',
            toolCalls: [{ name: 'get_weather', arguments: { city: 'Rome', unit: 'kelvin' } }],
          },
        },
      },
      {
        label: check,
        prediction: { output: { text: '', toolCalls: [{ name: 'get_time', arguments: {} }] } },
      },
      { label: check, prediction: { output: { text: 'It is sunny.', toolCalls: [] } } },
      { label: check, prediction: { output: 'It is sunny.' } },
    ]);
    expect(score.perExample).toEqual([0, 0, 0, 0, 0]);
    // right function name in the first two of five
    expect(score.metrics['tool-name-accuracy']).toBe(2 / 5);
    // only the plain text could not be read as a tool call (an empty toolCalls is a choice)
    expect(score.metrics['malformed-outputs']).toBe(1);
  });

  test('readToolCalls', () => {
    expect(readToolCalls('[{"name": "a", "parameters": {"x": 1}}]')).toEqual([
      { name: 'a', arguments: { x: 1 } },
    ]);
    expect(readToolCalls('{"name": "a"}')).toEqual([{ name: 'a', arguments: {} }]);
    expect(readToolCalls('{"name": "a", "arguments": "not json"}')).toBeUndefined();
    expect(readToolCalls(42)).toBeUndefined();
  });
});

describe('scoreGeneration metrics', () => {
  test('success rate (Wilson) over mixed checks, per-kind rates', () => {
    const score = scoreGeneration([
      { label: 'yes', prediction: { output: 'yes' } },
      { label: { contains: 'b' }, prediction: { output: 'abc' } },
      { label: { contains: 'z' }, prediction: { output: 'abc' } },
      { label: { json: true }, prediction: { output: '[]' } },
      { label: 'no', prediction: { output: Number.NaN } },
    ]);
    // passes: 1, 1, 0, 1, 0 → 3/5
    expect(score.quality.metric).toBe('success-rate');
    expect(score.quality.value).toBe(0.6);
    const interval = wilsonInterval(3, 5, 0.95);
    expect([score.quality.lower, score.quality.upper]).toEqual([interval.lower, interval.upper]);
    expect(score.metrics['exact-match']).toBe(0.5);
    expect(score.metrics.contains).toBe(0.5);
    expect(score.metrics['json-validity']).toBe(1);
    expect(score.metrics['schema-validity']).toBeUndefined();
    expect(score.metrics['malformed-outputs']).toBe(1);
  });

  test('a label that is not one check is an invalid argument', () => {
    expect(() => run({ exact: 'a', contains: 'b' } as unknown as GenerationCheck, 'a')).toThrow(
      /one generation check/,
    );
    expect(() => run({ json: false } as unknown as GenerationCheck, 'a')).toThrow(InvalidArgumentError);
    expect(() => scoreGeneration([{ label: 3, prediction: { output: '3' } }])).toThrow(/label/);
  });
});

describe('json helpers', () => {
  test('parseJsonText', () => {
    expect(parseJsonText('  {"a": 1}\n')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseJsonText('```\n[1]\n```')).toEqual({ ok: true, value: [1] });
    expect(parseJsonText('Here: {"a": 1}')).toEqual({ ok: false });
  });

  test('jsonEqual ignores key order, not array order', () => {
    expect(jsonEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true);
    expect(jsonEqual([1, 2], [2, 1])).toBe(false);
    expect(jsonEqual({ a: 1 }, { a: '1' })).toBe(false);
    expect(jsonEqual({ a: null }, {})).toBe(false);
  });
});
