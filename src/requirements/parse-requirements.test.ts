import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import type { ModelCandidate } from '../core/model-candidate.js';
import { modalityOf } from '../core/task.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { createScout } from '../scout.js';
import { parseRequirements, REQUIREMENTS_DEFAULTS } from './parse-requirements.js';
import { toSelectionRequest } from './selection-request.js';

const fixture = (name: string): string =>
  readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), 'utf8');

describe('parseRequirements: valid files', () => {
  const text = fixture('task-types.yaml');
  const requirements = parseRequirements(text, { file: 'task-types.yaml' });

  test('reads 24 tasks of 24 different @huggingface/tasks types, in file order', () => {
    const tasks = Object.values(requirements.tasks);
    expect(tasks).toHaveLength(24);
    expect(new Set(tasks.map((task) => task.task)).size).toBe(24);
    expect(Object.keys(requirements.tasks).slice(0, 3)).toEqual([
      'support-triage',
      'invoice-entities',
      'sales-tables',
    ]);
    for (const task of tasks) {
      expect(task.modality, task.name).toBe(modalityOf(task.task));
      expect(task.requirements.task).toBe(task.task);
    }
    expect(requirements).toMatchObject({ version: 1, file: 'task-types.yaml', format: 'yaml' });
  });

  test('maps each field onto ModelRequirements, with human sizes and counts as numbers', () => {
    expect(requirements.tasks['support-triage']).toEqual({
      name: 'support-triage',
      description: 'Route support tickets to the right queue.',
      task: 'text-classification',
      modality: 'nlp',
      requirements: {
        task: 'text-classification',
        license: { allow: ['permissive'], allowGated: false },
        maxSizeBytes: 500_000_000,
        maxLatencyMs: 200,
        targets: { accuracy: 0.9, f1: 0.85 },
        objective: { quality: 1, latencyMs: 0.001 },
      },
      candidates: ['distilbert-sst2', 'bert-base-tickets'],
      discover: undefined,
      fallbacks: 1,
      fallbackModels: [],
      ensembleSize: undefined,
      context: undefined,
    });
    const assistant = requirements.tasks.assistant!;
    expect(assistant.requirements).toEqual({
      task: 'text-generation',
      capabilities: ['tools'],
      license: { allow: ['permissive'], allowGated: false },
      minParameters: 1e9,
      maxParameters: 8e9,
      maxCostUsd: 0.01,
      minContextLength: 32768,
      objective: { quality: 1, latencyMs: 0.0005, costUsd: 20 },
    });
    expect(assistant).toMatchObject({ fallbacks: 2, fallbackModels: ['llama-3.2-3b', 'qwen2.5-7b'] });
    expect(requirements.tasks['ticket-summaries']!.requirements).toMatchObject({
      maxMemoryBytes: 4 * 2 ** 30,
      minContextLength: 4096,
    });
    expect(requirements.tasks['call-transcripts']!.requirements.targets).toEqual({
      wer: 0.12,
      p95LatencyMs: 800,
    });
    expect(requirements.tasks['intent-zero-shot']!.context).toEqual({ tier: 'free' });
    expect(requirements.tasks['search-reranking']!.ensembleSize).toBe(2);
  });

  test('applies defaults: mappings merged key by key, lists and numbers replaced', () => {
    expect(requirements.tasks['marketing-images']!.requirements.license).toEqual({
      allow: ['permissive', 'non-commercial'],
      allowGated: false,
    });
    expect(requirements.tasks.cloze!.fallbacks).toBe(1);
    expect(requirements.tasks.cloze!.requirements.objective).toEqual({ quality: 1, latencyMs: 0.001 });
  });

  test('defaults merge one level deep: a percentile target replaces the default one whole', () => {
    const { a } = parseRequirements(
      [
        'version: 1',
        'defaults:',
        '  targets: { accuracy: 0.9, latencyMs: { p50: 50 } }',
        '  limits: { maxSizeBytes: 1GB }',
        'tasks:',
        '  a:',
        '    task: fill-mask',
        '    targets: { latencyMs: { p95: 150 } }',
        '    limits: { maxParameters: 3B }',
      ].join('\n'),
    ).tasks;
    expect(a!.requirements).toMatchObject({
      targets: { accuracy: 0.9, p95LatencyMs: 150 },
      maxSizeBytes: 1e9,
      maxParameters: 3e9,
    });
    expect(a!.requirements.targets).not.toHaveProperty('p50LatencyMs');
  });

  test('a declared modality is a constraint; otherwise only the task is', () => {
    expect(requirements.tasks['product-photos']!.requirements.modality).toBe('cv');
    expect(requirements.tasks['shelf-detection']!.requirements.modality).toBeUndefined();
    expect(requirements.tasks['shelf-detection']!.modality).toBe('cv');
  });

  test('candidates: listed ids, a discovery query, both, or discovery by task when omitted', () => {
    expect(requirements.tasks.receipts).toMatchObject({
      candidates: ['donut-base-receipts'],
      discover: {
        text: 'donut',
        library: 'transformers.js',
        sort: 'downloads',
        limit: 10,
        task: 'document-question-answering',
      },
    });
    expect(requirements.tasks.embeddings).toMatchObject({
      candidates: [],
      discover: { task: 'feature-extraction' },
    });
    expect(requirements.tasks['screenshot-questions']!.discover).toEqual({
      task: 'visual-question-answering',
      modality: 'multimodal',
    });
  });

  test('the result is deeply frozen', () => {
    expect(Object.isFrozen(requirements)).toBe(true);
    expect(Object.isFrozen(requirements.tasks)).toBe(true);
    expect(Object.isFrozen(requirements.tasks.assistant!.requirements.capabilities)).toBe(true);
  });

  test('every task feeds selectOptimal through toSelectionRequest, its constraints applied', async () => {
    const scout = createScout({ seed: 7 });
    for (const task of Object.values(requirements.tasks)) {
      const candidates: ModelCandidate[] = [
        { id: `${task.name}/small`, tasks: [task.task], license: 'mit', sizeBytes: 100e6, parameters: 1e9 },
        {
          id: `${task.name}/base`,
          tasks: [task.task],
          license: 'apache-2.0',
          sizeBytes: 300e6,
          parameters: 1e9,
        },
        // Copyleft: every task's license policy (permissive, from the defaults) removes it.
        {
          id: `${task.name}/copyleft`,
          tasks: [task.task],
          license: 'gpl-3.0',
          sizeBytes: 100e6,
          parameters: 1e9,
        },
      ];
      const selected = await scout.selectOptimal(toSelectionRequest(task, candidates));
      expect(selected.primary.id, task.name).not.toBe(`${task.name}/copyleft`);
      expect(selected.explanation.rejections, task.name).toContainEqual(
        expect.objectContaining({
          constraint: 'license',
          // Explicit fallbacks (plain ids, no known license) are removed too.
          candidates: [`${task.name}/copyleft`, ...task.fallbackModels],
        }),
      );
    }
    await scout.close();
  });

  test('a minimal file, and a file with only comments around it', () => {
    const minimal = parseRequirements('version: 1\ntasks:\n  chat:\n    task: text-generation\n');
    expect(minimal.tasks.chat).toMatchObject({
      task: 'text-generation',
      candidates: [],
      fallbacks: undefined,
    });
    expect(minimal.file).toBeUndefined();
    const commented = parseRequirements(
      '# requirements\nversion: 1 # the format\ntasks: { a: { task: fill-mask } }\n# end\n',
    );
    expect(commented.tasks.a!.task).toBe('fill-mask');
  });

  test('anchors and aliases within the limit are fine', () => {
    const text = [
      'version: 1',
      'tasks:',
      '  a:',
      '    task: text-classification',
      '    limits: &small { maxSizeBytes: 100MB }',
      '  b:',
      '    task: fill-mask',
      '    limits: *small',
    ].join('\n');
    expect(parseRequirements(text).tasks.b!.requirements.maxSizeBytes).toBe(100e6);
  });

  test('options are checked, and the defaults are one frozen object', () => {
    expect(Object.isFrozen(REQUIREMENTS_DEFAULTS)).toBe(true);
    expect(REQUIREMENTS_DEFAULTS).toEqual({ format: 'auto', maxAliasCount: 100, maxFileBytes: 131_072 });
    expect(() => parseRequirements(42 as unknown as string)).toThrow(InvalidArgumentError);
    expect(() => parseRequirements('', { format: 'toml' as 'yaml' })).toThrow(InvalidArgumentError);
    expect(() => parseRequirements('', { maxAliasCount: 1.5 })).toThrow(InvalidArgumentError);
    expect(() => parseRequirements('', { maxFileBytes: 0 })).toThrow(InvalidArgumentError);
  });
});

describe('the documented files', () => {
  const repository = (path: string): string =>
    readFileSync(fileURLToPath(new URL(`../../${path}`, import.meta.url)), 'utf8');

  test("the guide's example file is valid, with the values it explains", () => {
    const guide = repository('docs/guides/requirements.md');
    const example = /```yaml\n([\s\S]*?)```/.exec(guide)?.[1];
    const requirements = parseRequirements(example ?? '', { file: 'guide.yaml' });
    expect(requirements.tasks['support-triage']!.requirements).toMatchObject({
      maxSizeBytes: 500e6,
      maxMemoryBytes: 2 * 2 ** 30,
      minParameters: 10e6,
      maxParameters: 1.5e9,
      targets: { accuracy: 0.9, f1: 0.85, p95LatencyMs: 150 },
      license: { deny: ['non-commercial', 'strong-copyleft'], allow: ['permissive', 'mpl-2.0'] },
    });
    expect(requirements.tasks['call-transcripts']!.discover).toEqual({
      task: 'automatic-speech-recognition',
    });
  });

  test('examples/requirements.yaml is valid', () => {
    const requirements = parseRequirements(repository('examples/requirements.yaml'), {
      file: 'requirements.yaml',
    });
    expect(Object.keys(requirements.tasks)).toEqual([
      'review-sentiment',
      'news-topics',
      'semantic-search',
      'support-assistant',
    ]);
  });
});
