import { describe, expect, test } from 'vitest';
import { ConfigurationError, type ConfigurationProblem } from '../errors/configuration-error.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { ModelscoutError } from '../errors/modelscout-error.js';
import { parseRequirements } from './parse-requirements.js';

/** The ConfigurationError that parsing `lines` (joined) throws. */
function errorOf(lines: readonly string[], file = 'requirements.yaml'): ConfigurationError {
  try {
    parseRequirements(lines.join('\n'), { file });
  } catch (error) {
    if (ConfigurationError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a ConfigurationError');
}

/** The single problem of `lines`, without its message. */
function onlyProblem(lines: readonly string[]): ConfigurationProblem {
  const { problems } = errorOf(lines);
  expect(problems).toHaveLength(1);
  return problems[0]!;
}

describe('ConfigurationError', () => {
  test('is a ModelscoutError with the first problem on top and a file:line:column message', () => {
    const error = errorOf(['version: 1', 'tasks:', '  a:', '    task: text-clasification']);
    expect(ModelscoutError.isInstance(error)).toBe(true);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      name: 'ConfigurationError',
      file: 'requirements.yaml',
      kind: 'unknown-task',
      line: 4,
      column: 11,
      path: '/tasks/a/task',
    });
    expect(error.message).toBe(
      "Invalid configuration: requirements.yaml:4:11: /tasks/a/task: unknown task 'text-clasification': not a task id of @huggingface/tasks; did you mean 'text-classification'?",
    );
    expect(error.problems[0]!.suggestion).toBe('text-classification');
  });

  test('lists every problem, in file order, with a line each', () => {
    const error = errorOf([
      'version: 1',
      'tasks:',
      '  a:',
      '    limits: { maxSizeBytes: -1 }',
      '    task: text-clasification',
      '    limts: {}',
      '  b:',
      '    task: fill-mask',
      '    capabilities: tools',
    ]);
    expect(error.problems.map(({ kind, line, column, path }) => ({ kind, line, column, path }))).toEqual([
      { kind: 'out-of-range', line: 4, column: 29, path: '/tasks/a/limits/maxSizeBytes' },
      { kind: 'unknown-task', line: 5, column: 11, path: '/tasks/a/task' },
      { kind: 'unknown-key', line: 6, column: 5, path: '/tasks/a/limts' },
      { kind: 'wrong-type', line: 9, column: 19, path: '/tasks/b/capabilities' },
    ]);
    expect(error.message.split('\n')).toEqual([
      'Invalid configuration: 4 problems in requirements.yaml',
      '  requirements.yaml:4:29: /tasks/a/limits/maxSizeBytes: must be ≥ 0, not -1',
      "  requirements.yaml:5:11: /tasks/a/task: unknown task 'text-clasification': not a task id of @huggingface/tasks; did you mean 'text-classification'?",
      "  requirements.yaml:6:5: /tasks/a/limts: unknown key 'limts'; did you mean 'limits'?",
      '  requirements.yaml:9:19: /tasks/b/capabilities: must be a list, not the string "tools"',
    ]);
    expect(error).toMatchObject({ line: 4, column: 29, kind: 'out-of-range' });
  });

  test('isInstance uses the marker (two copies of the package), and tells kinds apart', () => {
    const foreign = Object.assign(Object.create(null) as object, {
      [Symbol.for('modelscout.error')]: true,
      [Symbol.for('modelscout.error.ConfigurationError')]: true,
    });
    expect(ConfigurationError.isInstance(foreign)).toBe(true);
    expect(ConfigurationError.isInstance(new InvalidArgumentError({ argument: 'a', message: 'b' }))).toBe(
      false,
    );
    expect(
      InvalidArgumentError.isInstance(errorOf(['version: 2', 'tasks: { a: { task: fill-mask } }'])),
    ).toBe(false);
  });

  test('problems are frozen, and long lists are cut short in the message only', () => {
    const problems = Array.from({ length: 25 }, (_, index) => ({
      kind: 'unknown-key' as const,
      message: `unknown key 'k${index}'`,
      path: `/k${index}`,
      line: 25 - index,
      column: 1,
    }));
    const error = new ConfigurationError({ file: 'big.yaml', problems });
    expect(error.problems).toHaveLength(25);
    expect(error.problems[0]).toMatchObject({ line: 1, path: '/k24' });
    expect(Object.isFrozen(error.problems)).toBe(true);
    expect(Object.isFrozen(error.problems[0])).toBe(true);
    const lines = error.message.split('\n');
    expect(lines).toHaveLength(22);
    expect(lines.at(-1)).toBe('  … and 5 more');
  });

  test('text without a file name is named <input>', () => {
    try {
      parseRequirements('version: 1\ntasks: []');
      expect.unreachable();
    } catch (error) {
      expect(ConfigurationError.isInstance(error) && error.file).toBe(undefined);
      expect((error as Error).message).toBe(
        'Invalid configuration: <input>:2:8: /tasks: must be a mapping, not a list',
      );
    }
  });
});

describe('each kind of problem, with its line and column', () => {
  test('syntax: an unclosed flow sequence (reported where the next entry starts)', () => {
    expect(
      onlyProblem([
        'version: 1',
        'tasks:',
        '  a:',
        '    task: text-classification',
        '    candidates: [x, y',
        '  b:',
        '    task: fill-mask',
      ]),
    ).toMatchObject({ kind: 'syntax', line: 6, column: 3, path: '' });
  });

  test('syntax: a tab as indentation', () => {
    expect(onlyProblem(['version: 1', 'tasks:', '  a:', '\ttask: fill-mask'])).toMatchObject({
      kind: 'syntax',
      line: 4,
      column: 1,
      message: 'tabs are not allowed as indentation; indent with spaces',
    });
  });

  test('syntax: a duplicate key, at its second occurrence', () => {
    expect(
      onlyProblem(['version: 1', 'tasks:', '  a:', '    task: fill-mask', '    task: text-generation']),
    ).toMatchObject({
      kind: 'syntax',
      line: 5,
      column: 5,
      message: expect.stringContaining('duplicate key'),
    });
  });

  test('syntax: several documents in one file', () => {
    expect(
      onlyProblem(['version: 1', 'tasks: { a: { task: fill-mask } }', '---', 'version: 1']),
    ).toMatchObject({ kind: 'syntax', line: 3, column: 1 });
  });

  test('syntax: a key that is a collection', () => {
    expect(onlyProblem(['version: 1', 'tasks:', '  ? [a, b]', '  : { task: fill-mask }'])).toMatchObject({
      kind: 'syntax',
      line: 3,
      column: 5,
      message: 'keys must be plain strings, not lists, mappings or aliases',
    });
  });

  test('syntax: keys are read as written, so keys that only YAML would equate are duplicates', () => {
    // `true` and "true" are one property name: without this, the last would silently win.
    expect(
      onlyProblem([
        'version: 1',
        'tasks:',
        '  a:',
        '    task: fill-mask',
        '    context: { true: a, "true": b }',
      ]),
    ).toMatchObject({
      kind: 'syntax',
      line: 5,
      column: 25,
      message: expect.stringContaining('duplicate key'),
    });
    // A task or metric named like a YAML boolean or null keeps its name.
    const requirements = parseRequirements(
      ['version: 1', 'tasks:', '  True:', '    task: fill-mask', '    targets: { Null: 0.5, NO: 1 }'].join(
        '\n',
      ),
    );
    expect(Object.keys(requirements.tasks)).toEqual(['True']);
    expect(requirements.tasks.True!.requirements.targets).toEqual({ Null: 0.5, NO: 1 });
  });

  test('alias: an alias without its anchor', () => {
    expect(
      onlyProblem(['version: 1', 'tasks:', '  a:', '    task: fill-mask', '    limits: *missing']),
    ).toMatchObject({
      kind: 'alias',
      line: 5,
      column: 13,
      message: 'alias *missing refers to no anchor &missing before it',
    });
  });

  test('alias: an alias bomb is stopped by maxAliasCount', () => {
    const lines = ['version: 1', 'bomb0: &b0 [x, x, x, x, x, x, x, x, x]'];
    for (let level = 1; level <= 8; level++) {
      lines.push(
        `bomb${level}: &b${level} [${Array(9)
          .fill(`*b${level - 1}`)
          .join(', ')}]`,
      );
    }
    lines.push('tasks: { a: { task: fill-mask } }');
    const started = performance.now();
    expect(onlyProblem(lines)).toMatchObject({
      kind: 'alias',
      line: 3,
      column: 13,
      message: expect.stringContaining('alias bomb'),
    });
    expect(performance.now() - started).toBeLessThan(2000);
  });

  test('empty: no document at all', () => {
    expect(onlyProblem(['# nothing here', ''])).toMatchObject({ kind: 'empty', line: 1, column: 1 });
  });

  test('missing-key: placed at the key of the mapping that lacks it', () => {
    expect(
      onlyProblem(['version: 1', 'tasks:', '  support-triage:', '    description: no task here']),
    ).toMatchObject({
      kind: 'missing-key',
      line: 3,
      column: 3,
      path: '/tasks/support-triage/task',
      message: "missing required key 'task'",
    });
    expect(onlyProblem(['tasks: { a: { task: fill-mask } }'])).toMatchObject({
      kind: 'missing-key',
      line: 1,
      column: 1,
      path: '/version',
    });
  });

  test('unknown-key: with the closest key suggested, in tasks and in defaults', () => {
    expect(
      onlyProblem([
        'version: 1',
        'tasks:',
        '  a:',
        '    task: fill-mask',
        '    limts:',
        '      maxSizeBytes: 1GB',
      ]),
    ).toMatchObject({
      kind: 'unknown-key',
      line: 5,
      column: 5,
      path: '/tasks/a/limts',
      suggestion: 'limits',
    });
    expect(
      onlyProblem([
        'version: 1',
        'defaults:',
        '  limits:',
        '    maxSize: 1GB',
        'tasks: { a: { task: fill-mask } }',
      ]),
    ).toMatchObject({
      kind: 'unknown-key',
      line: 4,
      column: 5,
      path: '/defaults/limits/maxSize',
      suggestion: 'maxSizeBytes',
    });
    const far = onlyProblem(['version: 1', 'tasks: { a: { task: fill-mask } }', 'color: blue']);
    expect(far).toMatchObject({ kind: 'unknown-key', line: 3, column: 1, path: '/color' });
    expect(far.suggestion).toBeUndefined();
    expect(far.message).toBe("unknown key 'color' (expected $schema, version, defaults, tasks)");
  });

  test('unknown-task: with the closest task id suggested', () => {
    expect(onlyProblem(['version: 1', 'tasks:', '  a:', '    task: image-clasification'])).toMatchObject({
      kind: 'unknown-task',
      line: 4,
      column: 11,
      suggestion: 'image-classification',
    });
    expect(onlyProblem(['version: 1', 'tasks:', '  a:', '    task: Text-Generation'])).toMatchObject({
      kind: 'unknown-task',
      suggestion: 'text-generation',
    });
  });

  test('unknown-value: a modality or sort order outside its set, and a license group with a typo', () => {
    expect(
      onlyProblem(['version: 1', 'tasks:', '  a:', '    task: fill-mask', '    modality: vision']),
    ).toMatchObject({ kind: 'unknown-value', line: 5, column: 15, path: '/tasks/a/modality' });
    expect(
      onlyProblem([
        'version: 1',
        'tasks:',
        '  a:',
        '    task: fill-mask',
        '    candidates: { discover: { sort: download } }',
      ]),
    ).toMatchObject({
      kind: 'unknown-value',
      line: 5,
      column: 37,
      path: '/tasks/a/candidates/discover/sort',
      suggestion: 'downloads',
    });
    expect(
      onlyProblem([
        'version: 1',
        'tasks:',
        '  a:',
        '    task: fill-mask',
        '    license:',
        '      allow: [mit, permisive]',
      ]),
    ).toMatchObject({
      kind: 'unknown-value',
      line: 6,
      column: 20,
      path: '/tasks/a/license/allow/1',
      suggestion: 'permissive',
    });
  });

  test('wrong-type: a string where a list belongs, a list where a number belongs', () => {
    expect(
      onlyProblem(['version: 1', 'tasks:', '  a:', '    task: fill-mask', '    capabilities: tools']),
    ).toMatchObject({
      kind: 'wrong-type',
      line: 5,
      column: 19,
      message: 'must be a list, not the string "tools"',
    });
    expect(
      onlyProblem(['version: 1', 'tasks:', '  a:', '    task: fill-mask', '    ensembleSize: [2]']),
    ).toMatchObject({ kind: 'wrong-type', line: 5, column: 19, message: 'must be an integer, not a list' });
    expect(
      onlyProblem([
        'version: 1',
        'tasks:',
        '  a:',
        '    task: fill-mask',
        '    limits:',
        '      maxSizeBytes:',
      ]),
    ).toMatchObject({ kind: 'wrong-type', line: 6, column: 20, path: '/tasks/a/limits/maxSizeBytes' });
  });

  test('out-of-range: a negative size, a huge size, infinity, a zero ensemble', () => {
    const at = (value: string) =>
      onlyProblem([
        'version: 1',
        'tasks:',
        '  a:',
        '    task: fill-mask',
        '    limits:',
        `      maxSizeBytes: ${value}`,
      ]);
    expect(at('-5')).toMatchObject({
      kind: 'out-of-range',
      line: 6,
      column: 21,
      message: 'must be ≥ 0, not -5',
    });
    expect(at('1e400')).toMatchObject({ kind: 'wrong-type', line: 6, column: 21 });
    expect(
      onlyProblem([
        'version: 1',
        'tasks:',
        '  a:',
        '    task: fill-mask',
        '    limits: { maxLatencyMs: 1e400 }',
      ]),
    ).toMatchObject({
      kind: 'wrong-type',
      message: 'must be a number, not infinity (.inf, or a number too large to hold, such as 1e400)',
    });
    expect(at('99999999999 TB')).toMatchObject({
      kind: 'out-of-range',
      line: 6,
      column: 21,
      message: expect.stringContaining('more bytes than can be counted exactly'),
    });
    expect(
      onlyProblem(['version: 1', 'tasks:', '  a:', '    task: fill-mask', '    ensembleSize: 0']),
    ).toMatchObject({ kind: 'out-of-range', line: 5, column: 19, message: 'must be ≥ 1, not 0' });
  });

  test('invalid-format: a size or parameter count of the wrong form, a bad task name', () => {
    expect(
      onlyProblem([
        'version: 1',
        'tasks:',
        '  a:',
        '    task: fill-mask',
        '    limits:',
        '      maxSizeBytes: 500 XB',
      ]),
    ).toMatchObject({
      kind: 'invalid-format',
      line: 6,
      column: 21,
      message: 'must be a number of bytes ≥ 0 or a size such as "500MB" or "2 GiB"',
    });
    expect(
      onlyProblem([
        'version: 1',
        'tasks:',
        '  a:',
        '    task: fill-mask',
        '    limits: { maxParameters: 7 billion }',
      ]),
    ).toMatchObject({ kind: 'invalid-format', line: 5, column: 30 });
    expect(onlyProblem(['version: 1', 'tasks:', '  support triage:', '    task: fill-mask'])).toMatchObject({
      kind: 'invalid-format',
      line: 3,
      column: 3,
      path: '/tasks/support triage',
    });
  });

  test('duplicate: the same entry twice in a list, at its second occurrence; a target set twice', () => {
    expect(
      onlyProblem([
        'version: 1',
        'tasks:',
        '  a:',
        '    task: fill-mask',
        '    capabilities: [tools, json, tools]',
      ]),
    ).toMatchObject({ kind: 'duplicate', line: 5, column: 33, path: '/tasks/a/capabilities/2' });
    expect(
      onlyProblem([
        'version: 1',
        'tasks:',
        '  a:',
        '    task: fill-mask',
        '    targets:',
        '      p95LatencyMs: 100',
        '      latencyMs: { p95: 120 }',
      ]),
    ).toMatchObject({ kind: 'duplicate', line: 7, column: 18, path: '/tasks/a/targets/latencyMs' });
  });

  test('contradiction: minParameters above maxParameters, also across defaults and task', () => {
    expect(
      onlyProblem([
        'version: 1',
        'tasks:',
        '  a:',
        '    task: text-generation',
        '    limits:',
        '      minParameters: 7B',
        '      maxParameters: 1.5B',
      ]),
    ).toMatchObject({
      kind: 'contradiction',
      line: 6,
      column: 22,
      path: '/tasks/a/limits/minParameters',
      message: "minParameters '7B' is greater than maxParameters '1.5B'",
    });
    expect(
      onlyProblem([
        'version: 1',
        'defaults:',
        '  limits: { minParameters: 3B }',
        'tasks:',
        '  a:',
        '    task: text-generation',
        '    limits: { maxParameters: 1000000 }',
      ]),
    ).toMatchObject({ kind: 'contradiction', line: 7, column: 30, path: '/tasks/a/limits/maxParameters' });
  });

  test("contradiction: a modality that is not the task's, a license policy that admits nothing", () => {
    expect(
      onlyProblem(['version: 1', 'tasks:', '  a:', '    task: image-classification', '    modality: nlp']),
    ).toMatchObject({
      kind: 'contradiction',
      line: 5,
      column: 15,
      suggestion: 'cv',
      message: "task 'image-classification' is cv, not nlp; did you mean 'cv'?",
    });
    expect(
      onlyProblem([
        'version: 1',
        'tasks:',
        '  a:',
        '    task: fill-mask',
        '    license:',
        '      allow: [permissive]',
        '      deny: [permissive]',
      ]),
    ).toMatchObject({ kind: 'contradiction', line: 6, column: 14, path: '/tasks/a/license/allow' });
    expect(
      onlyProblem([
        'version: 1',
        'tasks:',
        '  a:',
        '    task: fill-mask',
        '    license:',
        '      allow: [mit, apache-2.0]',
        '      deny: [apache-2.0]',
      ]),
    ).toMatchObject({ kind: 'contradiction', line: 6, column: 20, path: '/tasks/a/license/allow/1' });
  });

  test('contradiction: an ensemble larger than the listed candidates; out-of-range: all-zero objective', () => {
    expect(
      onlyProblem([
        'version: 1',
        'tasks:',
        '  a:',
        '    task: fill-mask',
        '    candidates: [m1, m2]',
        '    ensembleSize: 3',
      ]),
    ).toMatchObject({ kind: 'contradiction', line: 6, column: 19, path: '/tasks/a/ensembleSize' });
    expect(
      onlyProblem(['version: 1', 'tasks:', '  a:', '    task: fill-mask', '    objective: { quality: 0 }']),
    ).toMatchObject({ kind: 'out-of-range', line: 5, column: 27, path: '/tasks/a/objective/quality' });
  });

  test('a problem in the defaults is reported once, not once per task', () => {
    const error = errorOf([
      'version: 1',
      'defaults:',
      '  license: { allow: [permisive] }',
      'tasks:',
      '  a: { task: fill-mask }',
      '  b: { task: fill-mask }',
    ]);
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatchObject({ kind: 'unknown-value', line: 3, column: 22 });
  });

  test('a contradiction between a default and a task is placed in the task, once per task', () => {
    const error = errorOf([
      'version: 1',
      'defaults:',
      '  limits: { minParameters: 8B }',
      '  ensembleSize: 3',
      '  license: { allow: [mit] }',
      'tasks:',
      '  a:',
      '    task: text-generation',
      '    limits: { maxParameters: 3B }',
      '    candidates: [m1]',
      '  b:',
      '    task: text-generation',
      '    limits: { maxParameters: 3B }',
      '    candidates: [m1, m2]',
      '    license: { deny: [mit] }',
    ]);
    expect(error.problems.map(({ kind, line, column, path }) => ({ kind, line, column, path }))).toEqual([
      { kind: 'contradiction', line: 9, column: 30, path: '/tasks/a/limits/maxParameters' },
      { kind: 'contradiction', line: 10, column: 17, path: '/tasks/a/candidates' },
      { kind: 'contradiction', line: 13, column: 30, path: '/tasks/b/limits/maxParameters' },
      { kind: 'contradiction', line: 14, column: 17, path: '/tasks/b/candidates' },
      { kind: 'contradiction', line: 15, column: 22, path: '/tasks/b/license/deny' },
    ]);
    expect(error.problems[0]!.message).toBe(
      "minParameters '8B' (from defaults) is greater than maxParameters '3B'",
    );
    expect(error.problems[1]!.message).toBe(
      'ensembleSize 3 (from defaults) is larger than the 1 candidate model(s) listed',
    );
  });

  test('contradiction: a context key that is a number in one task and a string in another', () => {
    // Selection keeps one kind per key (numbers are features, strings partition the statistics):
    // one scout serving both tasks would refuse the second request.
    const error = errorOf([
      'version: 1',
      'defaults:',
      '  context: { surface: web }',
      'tasks:',
      '  a:',
      '    task: fill-mask',
      '    context: { tier: 1, beta: true }',
      '  b:',
      '    task: fill-mask',
      '    context: { tier: free, beta: false, surface: 2 }',
    ]);
    expect(error.problems.map(({ kind, line, column, path }) => ({ kind, line, column, path }))).toEqual([
      { kind: 'contradiction', line: 10, column: 22, path: '/tasks/b/context/tier' },
      { kind: 'contradiction', line: 10, column: 50, path: '/tasks/b/context/surface' },
    ]);
    expect(error.problems[0]!.message).toBe(
      "context key 'tier' is a string here but a number in task 'a'; a key must keep one kind (numbers are features, strings and booleans partition the statistics)",
    );
    expect(error.problems[1]!.message).toContain('is a number here but a string in the defaults;');
  });

  test('a contradiction within the defaults is reported once, not once per task', () => {
    const error = errorOf([
      'version: 1',
      'defaults:',
      '  limits: { minParameters: 8B, maxParameters: 3B }',
      '  objective: { quality: 0 }',
      'tasks:',
      '  a: { task: fill-mask }',
      '  b: { task: fill-mask }',
    ]);
    expect(error.problems.map(({ kind, path }) => ({ kind, path }))).toEqual([
      { kind: 'contradiction', path: '/defaults/limits/minParameters' },
      { kind: 'out-of-range', path: '/defaults/objective/quality' },
    ]);
  });

  test('the version must be 1', () => {
    expect(onlyProblem(['version: 2', 'tasks: { a: { task: fill-mask } }'])).toMatchObject({
      kind: 'unknown-value',
      line: 1,
      column: 10,
      path: '/version',
      message: 'must be 1 (the only version)',
    });
  });

  test('a byte order mark is not counted in the columns of the first line', () => {
    const error = errorOf(['\uFEFFversion: 2', 'tasks: { a: { task: fill-mas } }']);
    expect(error.problems.map(({ line, column }) => ({ line, column }))).toEqual([
      { line: 1, column: 10 },
      { line: 2, column: 21 },
    ]);
  });

  test('too-large: text over maxFileBytes is refused before parsing', () => {
    try {
      parseRequirements(`version: 1\n# ${'x'.repeat(100)}`, { maxFileBytes: 50 });
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ name: 'ConfigurationError', kind: 'too-large', line: 1, column: 1 });
    }
  });
});
