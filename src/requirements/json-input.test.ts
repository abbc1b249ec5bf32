import { describe, expect, test } from 'vitest';
import { ConfigurationError } from '../errors/configuration-error.js';
import { parseRequirements } from './parse-requirements.js';

const VALID_JSON = `{
  "$schema": "./requirements.schema.json",
  "version": 1,
  "tasks": {
    "support-triage": {
      "task": "text-classification",
      "candidates": ["distilbert-sst2"],
      "limits": { "maxSizeBytes": "500MB", "maxParameters": 1500000000 },
      "targets": { "latencyMs": { "p95": 150 } }
    }
  }
}
`;

function problemsOf(text: string, file = 'requirements.json') {
  try {
    parseRequirements(text, { file });
  } catch (error) {
    if (ConfigurationError.isInstance(error)) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigurationError');
}

describe('JSON requirements files', () => {
  test('parse to the same typed result as YAML', () => {
    const fromJson = parseRequirements(VALID_JSON, { file: 'requirements.json' });
    const fromYaml = parseRequirements(
      [
        'version: 1',
        'tasks:',
        '  support-triage:',
        '    task: text-classification',
        '    candidates: [distilbert-sst2]',
        '    limits: { maxSizeBytes: 500MB, maxParameters: 1500000000 }',
        '    targets: { latencyMs: { p95: 150 } }',
      ].join('\n'),
      { file: 'requirements.yaml' },
    );
    expect(fromJson.format).toBe('json');
    expect(fromYaml.format).toBe('yaml');
    expect(fromJson.tasks).toEqual(fromYaml.tasks);
    expect(fromJson.tasks['support-triage']!.requirements).toMatchObject({
      maxSizeBytes: 500e6,
      targets: { p95LatencyMs: 150 },
    });
  });

  test('is told by content when there is no file name, and by the .json extension', () => {
    expect(parseRequirements(VALID_JSON).format).toBe('json');
    expect(parseRequirements(`\uFEFF${VALID_JSON}`).format).toBe('json');
    // A YAML flow mapping also starts with '{': it is read as YAML when it is not JSON.
    expect(parseRequirements('{version: 1, tasks: {a: {task: fill-mask}}}').format).toBe('yaml');
  });

  test('schema and semantic problems carry the line and column of the JSON value', () => {
    const text = `{
  "version": 1,
  "tasks": {
    "a": {
      "task": "text-clasification",
      "limits": { "maxSizeBytes": -1, "minParameters": "2B", "maxParameters": "1B" },
      "capabilites": ["tools"]
    },
    "b": { "task": "text-generation", "limits": { "minParameters": "2B", "maxParameters": "1B" } }
  }
}`;
    expect(problemsOf(text).map(({ kind, line, column, path }) => ({ kind, line, column, path }))).toEqual([
      { kind: 'unknown-task', line: 5, column: 15, path: '/tasks/a/task' },
      { kind: 'out-of-range', line: 6, column: 35, path: '/tasks/a/limits/maxSizeBytes' },
      { kind: 'unknown-key', line: 7, column: 7, path: '/tasks/a/capabilites' },
      { kind: 'contradiction', line: 9, column: 68, path: '/tasks/b/limits/minParameters' },
    ]);
    expect(problemsOf(text)[2]!.suggestion).toBe('capabilities');
  });

  test('JSON syntax errors are placed where JSON.parse stopped', () => {
    expect(problemsOf('{\n  "version": 1,\n  "tasks": {},\n}')).toEqual([
      expect.objectContaining({
        kind: 'syntax',
        line: 4,
        column: 1,
        message: expect.stringMatching(/^invalid JSON: /),
      }),
    ]);
    expect(problemsOf('{\n  "version": 1\n  "tasks": {}\n}')).toEqual([
      expect.objectContaining({ kind: 'syntax', line: 3, column: 3 }),
    ]);
    expect(problemsOf("{\n  'version': 1\n}")).toEqual([
      expect.objectContaining({ kind: 'syntax', line: 2, column: 3 }),
    ]);
    expect(problemsOf('{\n  "version": 1,\n  "tasks": {')).toEqual([
      expect.objectContaining({ kind: 'syntax', line: 3, column: 13 }),
    ]);
    // Comments are YAML, not JSON: a .json file must be strict JSON.
    expect(problemsOf('{ "version": 1, # the format\n "tasks": {} }')).toEqual([
      expect.objectContaining({ kind: 'syntax', line: 1, column: 17 }),
    ]);
  });

  test('an unexpected token is placed where it is, and the message does not quote the file', () => {
    // V8 gives no position for "Unexpected token": the loader finds it itself.
    const text = '{\n  "version": 1,\n  "tasks": { "a": { "task": fill-mask } }\n}';
    expect(problemsOf(text)).toEqual([
      // JSON.parse reads `f` as the start of `false`: the `i` is what it cannot take.
      { kind: 'syntax', line: 3, column: 30, path: '', message: "invalid JSON: unexpected 'i'" },
    ]);
    expect(problemsOf('{"version": NaN}')).toEqual([
      expect.objectContaining({ line: 1, column: 13, message: "invalid JSON: unexpected 'N'" }),
    ]);
    // A byte order mark is not counted in the column.
    expect(problemsOf('\uFEFF{"version": 1, "tasks": [1, 2, 3, +4]}')).toEqual([
      expect.objectContaining({ line: 1, column: 35, message: "invalid JSON: unexpected '+'" }),
    ]);
  });

  test('duplicate keys are refused in JSON too (JSON.parse would keep the last silently)', () => {
    expect(
      problemsOf('{\n  "version": 1,\n  "version": 1,\n  "tasks": { "a": { "task": "fill-mask" } }\n}'),
    ).toEqual([
      expect.objectContaining({
        kind: 'syntax',
        line: 3,
        column: 3,
        message: expect.stringContaining('duplicate key'),
      }),
    ]);
  });

  test('a YAML-only file named .json is refused; format: yaml reads it', () => {
    const text = 'version: 1\ntasks: { a: { task: fill-mask } }';
    expect(problemsOf(text)).toEqual([expect.objectContaining({ kind: 'syntax', line: 1, column: 1 })]);
    expect(parseRequirements(text, { file: 'requirements.json', format: 'yaml' }).format).toBe('yaml');
  });
});
