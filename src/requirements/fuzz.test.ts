// Seeded random mutations of valid requirements files: the loader must either return a valid typed
// result or throw a ConfigurationError placed inside the file — never another error, never hang.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { isTask } from '../core/task.js';
import { ConfigurationError, type ConfigurationProblemKind } from '../errors/configuration-error.js';
import type { RandomSource } from '../random/random-source.js';
import { seededRandom } from '../random/seeded-random.js';
import { parseRequirements } from './parse-requirements.js';
import { pointerSegments } from './schema-problems.js';

const FIXTURE = readFileSync(fileURLToPath(new URL('./fixtures/task-types.yaml', import.meta.url)), 'utf8');

const SMALL_YAML = `version: 1
defaults:
  license: { allow: [permissive], allowGated: false }
tasks:
  support-triage:
    task: text-classification
    candidates: [a, b]
    targets: { accuracy: 0.9, latencyMs: { p95: 150 } }
    limits: { maxSizeBytes: 500MB, maxParameters: 1.5B }
  chat:
    task: text-generation
    objective: { quality: 1, latencyMs: 0.001 }
    fallbacks: [c, d]
`;

const SMALL_JSON = JSON.stringify(
  {
    version: 1,
    tasks: {
      'support-triage': {
        task: 'text-classification',
        candidates: ['a', 'b'],
        limits: { maxSizeBytes: '500MB', maxParameters: 1_500_000_000 },
        license: { allow: ['permissive'] },
      },
      chat: { task: 'text-generation', context: { tier: 'free' } },
    },
  },
  null,
  2,
);

const KINDS: readonly ConfigurationProblemKind[] = [
  'unreadable',
  'not-a-file',
  'too-large',
  'syntax',
  'alias',
  'empty',
  'missing-key',
  'unknown-key',
  'unknown-task',
  'unknown-value',
  'wrong-type',
  'out-of-range',
  'invalid-format',
  'duplicate',
  'contradiction',
];

const INSERTIONS = [
  '\t',
  ':',
  ': ',
  '[',
  ']',
  '{',
  '}',
  ',',
  '-',
  '- ',
  '#',
  '"',
  "'",
  '&a ',
  '*a',
  '!!binary ',
  '!custom ',
  '? ',
  '|',
  '>',
  '%YAML 1.1\n',
  '---\n',
  '...\n',
  '\n',
  '\n  ',
  '\r',
  '\r\n',
  '\u0000',
  '\uFEFF',
  '\u2028',
  '\uD800',
  '😀',
  'é',
  '\u202E',
  'null',
  '~',
  '1e400',
  '-1',
  '9'.repeat(400),
  '0x1F',
  '.inf',
  '.nan',
  '__proto__',
  'constructor',
  'maxSizeBytes: ',
  'task: ',
];

const BILLION_LAUGHS = (() => {
  const lines = ['lol0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let level = 1; level <= 9; level++) {
    lines.push(
      `lol${level}: &l${level} [${Array(9)
        .fill(`*l${level - 1}`)
        .join(', ')}]`,
    );
  }
  return `${lines.join('\n')}\n`;
})();

function pick<Value>(random: RandomSource, values: readonly Value[]): Value {
  return values[Math.floor(random.next() * values.length)]!;
}

function position(random: RandomSource, text: string): number {
  return Math.floor(random.next() * (text.length + 1));
}

/** One random mutation of `text`. */
function mutate(random: RandomSource, text: string): string {
  const at = position(random, text);
  const span = 1 + Math.floor(random.next() * 8);
  switch (Math.floor(random.next() * 14)) {
    case 0: // delete characters
      return text.slice(0, at) + text.slice(at + span);
    case 1: // duplicate characters
      return text.slice(0, at + span) + text.slice(at, at + span) + text.slice(at + span);
    case 2: {
      // swap two neighbours
      if (at + 1 >= text.length) return text;
      return text.slice(0, at) + text[at + 1] + text[at] + text.slice(at + 2);
    }
    case 3: // truncate
      return text.slice(0, at);
    case 4:
    case 5:
    case 6: // insert a troublesome token
      return text.slice(0, at) + pick(random, INSERTIONS) + text.slice(at);
    case 7: {
      // deep nesting
      const depth = 1 + Math.floor(random.next() * 400);
      const open = random.next() < 0.5 ? '[' : '{a: ';
      const close = open === '[' ? ']' : '}';
      const balanced = random.next() < 0.7;
      return `${text.slice(0, at)}${open.repeat(depth)}${balanced ? close.repeat(depth) : ''}${text.slice(at)}`;
    }
    case 8: {
      // replace a number by a huge, tiny or negative one
      const numbers = [...text.matchAll(/\d+(\.\d+)?/g)];
      if (numbers.length === 0) return text;
      const match = pick(random, numbers);
      const replacement = pick(random, [
        '1e308',
        '1e400',
        '-0',
        '-1',
        '0.0000000001',
        '9'.repeat(40),
        '1.5B',
        '2 GiB',
      ]);
      return text.slice(0, match.index) + replacement + text.slice(match.index + match[0].length);
    }
    case 9: // an alias bomb at the top
      return BILLION_LAUGHS + text;
    case 10: {
      // an anchor on one value, aliases elsewhere (some before the anchor, some self-referencing)
      const lines = text.split('\n');
      const anchorLine = Math.floor(random.next() * lines.length);
      lines[anchorLine] = lines[anchorLine]!.replace(/: (\S)/, ': &x $1');
      const aliasLine = Math.floor(random.next() * lines.length);
      lines[aliasLine] = lines[aliasLine]!.replace(/: .*$/, random.next() < 0.5 ? ': *x' : ': [*x, *x, *x]');
      return lines.join('\n');
    }
    case 11: {
      // re-indent a line
      const lines = text.split('\n');
      const line = Math.floor(random.next() * lines.length);
      const indent = ' '.repeat(Math.floor(random.next() * 9));
      lines[line] = indent + lines[line]!.trimStart();
      return lines.join('\n');
    }
    case 12: {
      // move a line elsewhere
      const lines = text.split('\n');
      const [moved] = lines.splice(Math.floor(random.next() * lines.length), 1);
      lines.splice(Math.floor(random.next() * (lines.length + 1)), 0, moved ?? '');
      return lines.join('\n');
    }
    default: // a random printable or control character
      return text.slice(0, at) + String.fromCharCode(Math.floor(random.next() * 0x3000)) + text.slice(at);
  }
}

interface Outcome {
  readonly valid: number;
  readonly invalid: number;
  readonly slowestMs: number;
  readonly kinds: ReadonlySet<ConfigurationProblemKind>;
}

/** Runs `cases` mutations of `seeds`; fails on the first case that breaks the contract. */
function fuzz(seed: string, seeds: readonly string[], file: string, cases: number): Outcome {
  const random = seededRandom(seed);
  let valid = 0;
  let invalid = 0;
  let slowestMs = 0;
  const kinds = new Set<ConfigurationProblemKind>();
  for (let index = 0; index < cases; index++) {
    let text = pick(random, seeds);
    const mutations = 1 + Math.floor(random.next() * 4);
    for (let count = 0; count < mutations; count++) text = mutate(random, text);
    const started = performance.now();
    let result: ReturnType<typeof parseRequirements> | undefined;
    let thrown: unknown;
    try {
      result = parseRequirements(text, { file });
    } catch (error) {
      thrown = error;
    }
    const elapsed = performance.now() - started;
    slowestMs = Math.max(slowestMs, elapsed);
    const label = `case ${index} of seed ${seed}: ${JSON.stringify(text.slice(0, 300))}`;
    expect(elapsed, label).toBeLessThan(2000);
    if (result !== undefined) {
      valid++;
      expect(result.version, label).toBe(1);
      const tasks = Object.values(result.tasks);
      expect(tasks.length, label).toBeGreaterThan(0);
      for (const task of tasks) {
        expect(isTask(task.task), label).toBe(true);
        expect(Object.isFrozen(task.requirements), label).toBe(true);
      }
      continue;
    }
    invalid++;
    if (!ConfigurationError.isInstance(thrown)) {
      throw new Error(`${label} threw ${String(thrown)}`, { cause: thrown });
    }
    const lines = text.split('\n');
    expect(thrown.problems.length, label).toBeGreaterThan(0);
    expect(thrown.message.startsWith('Invalid configuration: '), label).toBe(true);
    for (const problem of thrown.problems) {
      kinds.add(problem.kind);
      expect(KINDS, label).toContain(problem.kind);
      expect(typeof problem.path, label).toBe('string');
      expect(problem.line, `${label} line`).toBeGreaterThanOrEqual(1);
      expect(problem.line, `${label} line`).toBeLessThanOrEqual(lines.length);
      expect(problem.column, `${label} column`).toBeGreaterThanOrEqual(1);
      expect(problem.column, `${label} column`).toBeLessThanOrEqual(lines[problem.line - 1]!.length + 1);
      // In bounds is not enough: an unknown key or an invalid name is placed at that very key.
      const key = pointerSegments(problem.path).at(-1);
      if (
        (problem.kind === 'unknown-key' || problem.message.startsWith('invalid name')) &&
        key !== undefined &&
        /^[\x21-\x7e]+$/.test(key) &&
        !key.includes('\\')
      ) {
        const here = lines[problem.line - 1]!.slice(problem.column - 1);
        expect(
          here.startsWith(key) || here.startsWith(`"${key}"`) || here.startsWith(`'${key}'`),
          `${label}: ${problem.path} at ${problem.line}:${problem.column} is ${JSON.stringify(here.slice(0, 40))}`,
        ).toBe(true);
      }
    }
  }
  return { valid, invalid, slowestMs, kinds };
}

describe('fuzzing the loader with malformed input', () => {
  test('2,000 mutated YAML files: a typed result or a placed ConfigurationError, quickly', () => {
    const outcome = fuzz('requirements-yaml', [FIXTURE, SMALL_YAML], 'fuzz.yaml', 2000);
    // The mutations reach every layer: some files stay valid, and syntax, alias, schema and
    // semantic problems are all found.
    expect(outcome.valid).toBeGreaterThan(50);
    expect(outcome.invalid).toBeGreaterThan(1000);
    for (const kind of ['syntax', 'alias', 'unknown-key', 'wrong-type', 'unknown-task'] as const) {
      expect([...outcome.kinds]).toContain(kind);
    }
  }, 120_000);

  test('500 mutated JSON files, parsed as JSON', () => {
    const outcome = fuzz('requirements-json', [SMALL_JSON], 'fuzz.json', 500);
    expect(outcome.valid).toBeGreaterThan(10);
    expect(outcome.invalid).toBeGreaterThan(250);
    expect([...outcome.kinds]).toContain('syntax');
  }, 60_000);

  test('500 mutated files told by content (no file name)', () => {
    const outcome = fuzz('requirements-auto', [SMALL_YAML, SMALL_JSON], 'fuzz', 500);
    expect(outcome.invalid).toBeGreaterThan(250);
  }, 60_000);

  test('extreme inputs: deep nesting, a self-referencing alias, long lines, near the size cap', () => {
    const cases: Array<readonly [string, string]> = [
      ['100,000 open brackets', `version: ${'['.repeat(100_000)}`],
      ['100,000 balanced brackets', `version: ${'['.repeat(100_000)}${']'.repeat(100_000)}`],
      [
        '10,000 nested block mappings',
        Array.from({ length: 10_000 }, (_, depth) => `${' '.repeat(depth)}k:`).join('\n'),
      ],
      ['a self-referencing alias', 'version: 1\ntasks: &t { a: { task: fill-mask, context: *t } }'],
      ['an alias of its own collection', 'version: 1\nx: &x [*x, *x]\ntasks: { a: { task: fill-mask } }'],
      ['one line of 500,000 characters', `version: 1\ntasks: ${'x'.repeat(500_000)}`],
      ['128 KiB of unbalanced brackets and colons', '[{:'.repeat(43_000)],
      ['128 KiB of duplicate keys', 'k: v\n'.repeat(26_000)],
      ['128 KiB of odd indentation', 'a:\n '.repeat(32_000)],
      ['128 KiB of double quotes', '"'.repeat(131_000)],
      ['200 KiB, over the cap', '- '.repeat(100_000)],
      ['a bomb under maxAliasCount 0', 'a: &a x\nb: *a'],
    ];
    for (const [label, text] of cases) {
      const started = performance.now();
      let thrown: unknown;
      try {
        parseRequirements(text, { file: 'extreme.yaml', maxAliasCount: label.includes('0') ? 0 : 100 });
      } catch (error) {
        thrown = error;
      }
      expect(performance.now() - started, label).toBeLessThan(5000);
      expect(ConfigurationError.isInstance(thrown), `${label}: ${String(thrown)}`).toBe(true);
      const error = thrown as ConfigurationError;
      const lines = text.split('\n');
      expect(error.line, label).toBeLessThanOrEqual(lines.length);
      expect(error.column, label).toBeLessThanOrEqual(lines[error.line - 1]!.length + 1);
    }
  }, 60_000);
});
