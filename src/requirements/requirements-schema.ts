import { PIPELINE_DATA } from '@huggingface/tasks';
import { MODALITIES } from '../core/task.js';
import { CANDIDATE_SORT_KEYS, type CandidateSortOrder } from '../discovery/search/candidate-query.js';
import { BYTE_SIZE_PATTERN, PARAMETER_COUNT_PATTERN } from './human-size.js';

/** Every task id of `@huggingface/tasks`, in its order. @internal */
export const TASK_IDS: readonly string[] = Object.freeze(Object.keys(PIPELINE_DATA));

const SORT_ORDERS: readonly CandidateSortOrder[] = ['ascending', 'descending'];

/** Names of tasks, metrics and context keys: a letter, then letters, digits, `.`, `_` or `-`. @internal */
export const NAME_PATTERN = '^[A-Za-z][A-Za-z0-9_.-]*$';

type Schema = Readonly<Record<string, unknown>>;

const byteSize = (description: string): Schema => ({
  description: `${description}: bytes as an integer, or a size with a unit such as "500MB" or "2 GiB" (kB, MB, GB, TB are powers of 1000; KiB, MiB, GiB, TiB powers of 1024).`,
  type: ['integer', 'string'],
  minimum: 0,
  maximum: Number.MAX_SAFE_INTEGER,
  pattern: BYTE_SIZE_PATTERN,
  errorMessage: 'must be a number of bytes ≥ 0 or a size such as "500MB" or "2 GiB"',
});

const parameterCount = (description: string): Schema => ({
  description: `${description}: an integer, or a count with a scale such as "1.5B" or "270M" (K, M, B, T).`,
  type: ['integer', 'string'],
  minimum: 0,
  maximum: Number.MAX_SAFE_INTEGER,
  pattern: PARAMETER_COUNT_PATTERN,
  errorMessage: 'must be a parameter count ≥ 0 or a count such as "1.5B" or "270M"',
});

const nonNegative = (description: string): Schema => ({ description, type: 'number', minimum: 0 });

const modelIds = (description: string): Schema => ({
  description,
  type: 'array',
  items: { type: 'string', minLength: 1 },
  uniqueItems: true,
  minItems: 1,
});

const strings = (description: string): Schema => ({
  description,
  type: 'array',
  items: { type: 'string', minLength: 1 },
  uniqueItems: true,
});

const SHARED_PROPERTIES: Readonly<Record<string, Schema>> = {
  targets: {
    description:
      'Performance targets (soft): what good enough means, by metric, e.g. accuracy: 0.9, f1: 0.85, latencyMs: { p95: 150 }. A percentile target becomes p95LatencyMs.',
    type: 'object',
    propertyNames: {
      pattern: NAME_PATTERN,
      patternErrorMessage: 'metric names start with a letter and hold letters, digits, ".", "_" or "-"',
    },
    additionalProperties: {
      type: ['number', 'object'],
      properties: {
        p50: nonNegative('Target for the median.'),
        p90: nonNegative('Target for the 90th percentile.'),
        p95: nonNegative('Target for the 95th percentile.'),
        p99: nonNegative('Target for the 99th percentile.'),
      },
      additionalProperties: false,
      minProperties: 1,
      errorMessage: 'must be a number or percentile targets such as { p95: 150 }',
    },
  },
  limits: {
    description: 'Hard limits: a candidate outside them is never selected.',
    type: 'object',
    properties: {
      maxSizeBytes: byteSize('Largest size of the weights'),
      maxMemoryBytes: byteSize('Largest memory need'),
      minParameters: parameterCount('Smallest parameter count'),
      maxParameters: parameterCount('Largest parameter count'),
      maxLatencyMs: nonNegative('Largest latency in milliseconds.'),
      maxCostUsd: nonNegative('Largest cost per request in US dollars.'),
      minContextLength: {
        description: 'Smallest context window in tokens.',
        type: 'integer',
        minimum: 0,
        maximum: Number.MAX_SAFE_INTEGER,
      },
    },
    additionalProperties: false,
  },
  license: {
    description:
      'Which licenses are acceptable: SPDX ids (apache-2.0, mit, …) or groups (permissive, weak-copyleft, strong-copyleft, non-commercial, unknown).',
    type: 'object',
    properties: {
      allow: strings('Licenses or groups that are acceptable (default: every license).'),
      deny: strings('Licenses or groups that are never acceptable; wins over allow.'),
      allowUnknown: {
        description:
          'Whether models with no or an unrecognized license pass (default: false with allow, else true).',
        type: 'boolean',
      },
      allowGated: { description: 'Whether gated models pass (default: true).', type: 'boolean' },
    },
    additionalProperties: false,
  },
  domainHints: strings('Free-text hints about the domain, e.g. [finance, english].'),
  capabilities: strings('Capability tags the model must all have, e.g. [tools, json].'),
  objective: {
    description:
      'How to trade quality against latency and cost: utility = quality·q − latencyMs·l − costUsd·c.',
    type: 'object',
    properties: {
      quality: nonNegative('Weight of quality, a reward in [0, 1] (default: 1).'),
      latencyMs: nonNegative('Utility lost per millisecond of latency (default: 0).'),
      costUsd: nonNegative('Utility lost per US dollar of cost (default: 0).'),
    },
    additionalProperties: false,
  },
  fallbacks: {
    description:
      'How many ranked fallbacks to return after the primary, or an explicit list of fallback model ids (added to the candidates).',
    type: ['integer', 'array'],
    minimum: 0,
    maximum: 100,
    items: { type: 'string', minLength: 1 },
    uniqueItems: true,
    errorMessage: 'must be a count of fallbacks (0 to 100) or a list of model ids',
  },
  ensembleSize: {
    description: 'Also return an ensemble of this many diverse models, the primary first.',
    type: 'integer',
    minimum: 1,
    maximum: 100,
  },
  context: {
    description:
      'The request context to select in: strings and booleans partition the statistics, numbers are features.',
    type: 'object',
    propertyNames: {
      pattern: NAME_PATTERN,
      patternErrorMessage: 'context keys start with a letter and hold letters, digits, ".", "_" or "-"',
    },
    additionalProperties: { type: ['string', 'number', 'boolean'] },
  },
};

const TASK_ENTRY: Schema = {
  description: 'One task: what it is and what a model for it must meet.',
  type: 'object',
  properties: {
    description: { description: 'What the task is for, for people.', type: 'string' },
    task: {
      description: 'The task id, from @huggingface/tasks (e.g. text-classification).',
      type: 'string',
      enum: TASK_IDS,
    },
    modality: {
      description: "The modality a model must handle (default: the task's own).",
      type: 'string',
      enum: MODALITIES,
    },
    candidates: {
      description:
        'Candidate models: a list of model ids, or { models, discover } where discover is a discovery query. Omitted: discover by task.',
      type: ['array', 'object'],
      items: { type: 'string', minLength: 1 },
      uniqueItems: true,
      minItems: 1,
      minProperties: 1,
      properties: {
        models: modelIds('Model ids to choose among.'),
        discover: {
          description: 'A discovery query; the task (and modality) are added to it.',
          type: 'object',
          properties: {
            text: { description: 'Free text to search for.', type: 'string' },
            library: { description: 'The library models run with, e.g. transformers.js.', type: 'string' },
            provider: { description: 'The provider that found the model, e.g. huggingface.', type: 'string' },
            sort: { description: 'The ordering.', type: 'string', enum: CANDIDATE_SORT_KEYS },
            order: { description: 'The direction of sort.', type: 'string', enum: SORT_ORDERS },
            limit: {
              description: 'The most candidates to find.',
              type: 'integer',
              minimum: 1,
              maximum: 10_000,
            },
          },
          additionalProperties: false,
        },
      },
      additionalProperties: false,
      errorMessage: 'must be a list of model ids or { models, discover }',
    },
    ...SHARED_PROPERTIES,
  },
  required: ['task'],
  additionalProperties: false,
};

/**
 * The JSON Schema (draft 2020-12) of a requirements file, for editors and other tools: point the
 * YAML or JSON language server at a file holding `JSON.stringify(REQUIREMENTS_SCHEMA)` to get
 * completion and checks while typing. It carries VS Code's `errorMessage` and
 * `patternErrorMessage` keywords. The loader checks more than the schema can say (contradictory
 * limits, typos of license groups, units); see {@link parseRequirements}. Frozen.
 */
export const REQUIREMENTS_SCHEMA: Readonly<Record<string, unknown>> = deepFreeze({
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'modelscout requirements',
  description: 'Tasks and what a model must meet for each: task type, targets, limits, license, objective.',
  type: 'object',
  properties: {
    $schema: { description: 'The schema this file follows, for editors.', type: 'string' },
    version: { description: 'The format version.', const: 1, errorMessage: 'must be 1 (the only version)' },
    defaults: {
      description: 'Values every task gets unless it sets its own; objects are merged key by key.',
      type: 'object',
      properties: SHARED_PROPERTIES,
      additionalProperties: false,
    },
    tasks: {
      description: 'The tasks, by name.',
      type: 'object',
      minProperties: 1,
      propertyNames: {
        pattern: NAME_PATTERN,
        patternErrorMessage: 'task names start with a letter and hold letters, digits, ".", "_" or "-"',
      },
      additionalProperties: TASK_ENTRY,
    },
  },
  required: ['version', 'tasks'],
  additionalProperties: false,
});

function deepFreeze<Value>(value: Value): Value {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const entry of Object.values(value)) deepFreeze(entry);
  }
  return value;
}
