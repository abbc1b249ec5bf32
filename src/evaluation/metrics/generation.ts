import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import type { GenerationCheck, ScoredExample, TaskScore, TaskScoreOptions, ToolCall } from '../task-score.js';
import { measurement, recordWithInterval, wilsonInterval } from './intervals.js';
import { compileJsonSchema } from './json-schema.js';
import { jsonEqual, parseJsonText } from './json-text.js';
import { invalidLabel, resolveScoreOptions } from './options.js';
import { outputText } from './references.js';
import { readToolCalls } from './tool-calls.js';

/** The kinds of {@link GenerationCheck}, with the metric each one reports. */
const CHECK_METRICS = Object.freeze({
  exact: 'exact-match',
  contains: 'contains',
  regex: 'regex-match',
  json: 'json-validity',
  jsonSchema: 'schema-validity',
  toolCall: 'tool-selection',
} as const);

type CheckKind = keyof typeof CHECK_METRICS;

/** The outcome of one check: passed, and whether the output could be read for it at all. */
interface CheckOutcome {
  readonly passed: boolean;
  readonly malformed: boolean;
  /** For tool-call checks: whether a call had the right name (arguments aside). */
  readonly rightTool?: boolean;
}

const compiledExpressions = new WeakMap<object, RegExp>();

function expressionOf(check: { readonly regex: string; readonly flags?: string }, index: number): RegExp {
  let expression = compiledExpressions.get(check);
  if (expression === undefined) {
    try {
      expression = new RegExp(check.regex, check.flags);
    } catch (cause) {
      throw new InvalidArgumentError({
        argument: `examples[${index}].label.regex`,
        value: check,
        message: `not a valid regular expression with flags '${check.flags ?? ''}': ${(cause as Error).message}`,
        cause,
      });
    }
    compiledExpressions.set(check, expression);
  }
  return expression;
}

function kindOf(label: unknown, index: number): CheckKind {
  if (label === null || typeof label !== 'object' || Array.isArray(label)) {
    return invalidLabel(index, label, 'a string (exact match) or a generation check');
  }
  const kinds = Object.keys(label).filter((key): key is CheckKind => Object.hasOwn(CHECK_METRICS, key));
  const check = label as Record<string, unknown>;
  const kind = kinds.length === 1 ? kinds[0]! : undefined;
  const valid =
    (kind === 'exact' && typeof check.exact === 'string') ||
    (kind === 'contains' && typeof check.contains === 'string') ||
    (kind === 'regex' &&
      typeof check.regex === 'string' &&
      (check.flags === undefined || typeof check.flags === 'string')) ||
    (kind === 'json' && check.json === true) ||
    (kind === 'jsonSchema' && check.jsonSchema !== null && typeof check.jsonSchema === 'object') ||
    (kind === 'toolCall' &&
      check.toolCall !== null &&
      typeof check.toolCall === 'object' &&
      typeof (check.toolCall as { name?: unknown }).name === 'string');
  if (kind === undefined || !valid) {
    return invalidLabel(
      index,
      label,
      'one generation check: { exact }, { contains }, { regex, flags? }, { json: true }, { jsonSchema } or { toolCall: { name, … } }',
    );
  }
  return kind;
}

function matchesToolCall(
  call: ToolCall,
  expected: Extract<GenerationCheck, { toolCall: unknown }>['toolCall'],
): boolean {
  if (call.name !== expected.name) return false;
  const given = call.arguments;
  const required = expected.requiredArguments ?? [];
  if (!required.every((name) => Object.hasOwn(given, name) && given[name] !== undefined)) return false;
  return Object.entries(expected.arguments ?? {}).every(
    ([name, value]) => Object.hasOwn(given, name) && jsonEqual(given[name], value),
  );
}

function runCheck(kind: CheckKind, check: GenerationCheck, output: unknown, index: number): CheckOutcome {
  if (kind === 'toolCall') {
    const expected = (check as Extract<GenerationCheck, { toolCall: unknown }>).toolCall;
    const calls = readToolCalls(output);
    if (calls === undefined) return { passed: false, malformed: true, rightTool: false };
    return {
      passed: calls.some((call) => matchesToolCall(call, expected)),
      malformed: false,
      rightTool: calls.some((call) => call.name === expected.name),
    };
  }
  const text = outputText(output);
  if (text === undefined) return { passed: false, malformed: true };
  switch (kind) {
    case 'exact':
      return { passed: text.trim() === (check as { exact: string }).exact.trim(), malformed: false };
    case 'contains':
      return { passed: text.includes((check as { contains: string }).contains), malformed: false };
    case 'regex': {
      const expression = expressionOf(check as { regex: string; flags?: string }, index);
      expression.lastIndex = 0;
      const passed = expression.test(text);
      expression.lastIndex = 0;
      return { passed, malformed: false };
    }
    case 'json': {
      const parsed = parseJsonText(text);
      return { passed: parsed.ok, malformed: !parsed.ok };
    }
    case 'jsonSchema': {
      const schema = (check as { jsonSchema: Readonly<Record<string, unknown>> }).jsonSchema;
      let validate: ReturnType<typeof compileJsonSchema>;
      try {
        validate = compileJsonSchema(schema);
      } catch (cause) {
        throw new InvalidArgumentError({
          argument: `examples[${index}].label.jsonSchema`,
          value: schema,
          message: `not a valid JSON schema: ${(cause as Error).message}`,
          cause,
        });
      }
      const parsed = parseJsonText(text);
      if (!parsed.ok) return { passed: false, malformed: true };
      return { passed: validate(parsed.value) === true, malformed: false };
    }
  }
}

/**
 * Scores `text-generation` by checking each output against its label.
 *
 * - `label`: a string (the output must equal it, both trimmed of surrounding whitespace) or a
 *   `GenerationCheck`:
 *   - `{ exact }`: equal after trimming both; `{ contains }`: a case-sensitive substring;
 *   - `{ regex, flags? }`: `RegExp.test` (compiled once per check object; `g`/`y` start at 0);
 *   - `{ json: true }`: the text parses as JSON (one surrounding Markdown code fence allowed);
 *   - `{ jsonSchema }`: it parses and validates (ajv 8, compiled once per schema object);
 *   - `{ toolCall: { name, requiredArguments?, arguments? } }`: one of the calls has that name,
 *     every required argument (present, not `undefined`) and the given argument values (deep
 *     equality; other arguments are free).
 * - `prediction.output`: the text, or `{ text, toolCalls }`; tool calls are also read from a
 *   JSON text (`{ name, arguments }` or OpenAI-style `tool_calls`, see `readToolCalls`).
 * - Headline: `success-rate` (share of passed checks) with a Wilson interval; `perExample`
 *   holds 1/0. Per kind of check present: `exact-match`, `contains`, `regex-match`,
 *   `json-validity`, `schema-validity`, `tool-selection` (each the pass rate among the examples
 *   of that kind, with a Wilson interval), and `tool-name-accuracy` (right function, arguments
 *   aside).
 * - `malformed-outputs`: outputs that could not be read for their check (not text; not JSON for
 *   a JSON or schema check; no readable tool call for a tool check). They fail.
 *
 * @throws InvalidArgumentError for an empty list, a label that is neither a string nor one
 *   check, an invalid regular expression or schema, or an invalid option.
 */
export function scoreGeneration(
  examples: readonly ScoredExample[],
  options: TaskScoreOptions = {},
): TaskScore {
  const resolved = resolveScoreOptions(examples, options);
  const perExample: number[] = [];
  const byKind = new Map<CheckKind, { passed: number; total: number }>();
  let rightTools = 0;
  let malformedOutputs = 0;
  examples.forEach(({ prediction, label }, index) => {
    const check: GenerationCheck = typeof label === 'string' ? { exact: label } : (label as GenerationCheck);
    const kind = typeof label === 'string' ? 'exact' : kindOf(label, index);
    const outcome = runCheck(kind, check, prediction?.output, index);
    perExample.push(outcome.passed ? 1 : 0);
    if (outcome.malformed) malformedOutputs += 1;
    if (outcome.rightTool) rightTools += 1;
    const counts = byKind.get(kind) ?? { passed: 0, total: 0 };
    counts.passed += outcome.passed ? 1 : 0;
    counts.total += 1;
    byKind.set(kind, counts);
  });
  const size = examples.length;
  const successes = perExample.reduce((sum, value) => sum + value, 0);
  const interval = wilsonInterval(successes, size, resolved.confidenceLevel);
  const metrics: Record<string, number> = {};
  recordWithInterval(metrics, 'success-rate', successes / size, interval);
  for (const [kind, { passed, total }] of byKind) {
    recordWithInterval(
      metrics,
      CHECK_METRICS[kind],
      passed / total,
      wilsonInterval(passed, total, resolved.confidenceLevel),
    );
  }
  const toolChecks = byKind.get('toolCall');
  if (toolChecks !== undefined) metrics['tool-name-accuracy'] = rightTools / toolChecks.total;
  metrics['malformed-outputs'] = malformedOutputs;
  return { quality: measurement('success-rate', successes / size, interval), metrics, perExample };
}
