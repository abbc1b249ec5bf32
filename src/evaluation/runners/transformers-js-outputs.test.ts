// The transformers.js runner's handling of tasks the zoo has no model for (token classification,
// question answering, generation), through an injected pipeline answering in the shapes
// transformers.js 4 documents; and the conversions themselves.
import { describe, expect, test } from 'vitest';
import { RunnerError } from '../../errors/runner-error.js';
import {
  classificationPrediction,
  cosineSimilarity,
  entitySpans,
  generatedText,
} from './transformers-js-outputs.js';
import type { TransformersPipeline } from './transformers-js-runner.js';
import { transformersJsRunner } from './transformers-js-runner.js';

function fakePipeline(
  answer: (...arguments_: unknown[]) => unknown,
  calls: unknown[][],
): TransformersPipeline {
  const pipe = async (...arguments_: unknown[]) => {
    calls.push(arguments_);
    return answer(...arguments_);
  };
  return Object.assign(pipe, {
    dispose: async () => {
      calls.push(['dispose']);
    },
    tokenizer: { encode: (text: string) => text.split(' ') },
  });
}

describe('transformers.js outputs', () => {
  test('entity spans are found in the text in order, case- and accent-insensitively', () => {
    const text = 'Zoë met Sarah in New  York and sarah left.';
    const spans = entitySpans(text, [
      { entity_group: 'PER', word: 'zoe', score: 0.9 },
      { entity_group: 'PER', word: 'sarah', score: 0.9 },
      { entity_group: 'LOC', word: 'new york', score: 0.9 },
      { entity_group: 'PER', word: 'sarah', score: 0.9 },
      { entity_group: 'ORG', word: 'absent', score: 0.9 },
    ]);
    expect(spans).toEqual([
      { type: 'PER', start: 0, end: 3 },
      { type: 'PER', start: 8, end: 13 },
      { type: 'LOC', start: 17, end: 26 },
      { type: 'PER', start: 31, end: 36 },
    ]);
    expect(spans!.map(({ start, end }) => text.slice(start, end))).toEqual([
      'Zoë',
      'Sarah',
      'New  York',
      'sarah',
    ]);
    expect(entitySpans('x', [{ entity: 'B-PER', word: 'x' }])).toEqual([{ type: 'PER', start: 0, end: 1 }]);
    expect(entitySpans('x', [{ word: 'x' }])).toBeUndefined();
  });

  test('classification keeps every label and picks the top one; text and similarity helpers', () => {
    expect(
      classificationPrediction([
        { label: 'A', score: 0.2 },
        { label: 'B', score: 0.8 },
      ]),
    ).toEqual({
      output: 'B',
      scores: { A: 0.2, B: 0.8 },
    });
    expect(classificationPrediction([{ label: 'A' }])).toBeUndefined();
    expect(
      generatedText([
        {
          generated_text: [
            { role: 'user', content: 'q' },
            { role: 'assistant', content: 'a' },
          ],
        },
      ]),
    ).toBe('a');
    expect(generatedText([{ summary_text: 's' }])).toBe('s');
    expect(generatedText([{}])).toBeUndefined();
    expect(cosineSimilarity([1, 0], [0, 1])).toBe(0);
    expect(cosineSimilarity([2, 0], [1, 0])).toBe(1);
    expect(cosineSimilarity([0, 0], [1, 0])).toBe(0);
  });
});

describe('transformersJsRunner with an injected pipeline', () => {
  test('token classification asks for grouped entities and answers spans', async () => {
    const calls: unknown[][] = [];
    const pipe = fakePipeline(
      (texts) => (texts as string[]).map(() => [{ entity_group: 'LOC', word: 'paris', score: 0.99 }]),
      calls,
    );
    const runner = transformersJsRunner({ pipeline: async () => pipe });
    const model = await runner.load(
      { id: 'org/ner', tasks: ['token-classification'] },
      'token-classification',
    );
    expect(await model.predict(['I love Paris', 'Paris!'])).toEqual([
      { output: [{ type: 'LOC', start: 7, end: 12 }] },
      { output: [{ type: 'LOC', start: 0, end: 5 }] },
    ]);
    expect(calls[0]).toEqual([['I love Paris', 'Paris!'], { aggregation_strategy: 'simple' }]);
    await model.dispose();
    expect(calls.at(-1)).toEqual(['dispose']);
  });

  test('question answering answers the text; generation is greedy, one prompt per call, with tokens', async () => {
    const calls: unknown[][] = [];
    const qa = fakePipeline((question) => ({ answer: `about ${String(question)}`, score: 0.5 }), calls);
    const qaModel = await transformersJsRunner({ pipeline: async () => qa }).load(
      { id: 'org/qa' },
      'question-answering',
    );
    expect(await qaModel.predict([{ question: 'q1', context: 'c' }])).toEqual([{ output: 'about q1' }]);
    await expect(qaModel.predict(['not a pair'])).rejects.toMatchObject({ name: 'InvalidArgumentError' });

    const generator = fakePipeline(
      (prompt) => [
        {
          generated_text: Array.isArray(prompt)
            ? [...prompt, { role: 'assistant', content: 'chat reply' }]
            : 'two words',
        },
      ],
      calls,
    );
    const factoryCalls: unknown[][] = [];
    const runner = transformersJsRunner({
      maxNewTokens: 16,
      pipeline: async (...arguments_) => {
        factoryCalls.push(arguments_);
        return generator;
      },
    });
    const model = await runner.load({ id: 'org/lm', dtypes: ['fp16', 'q4'] }, 'text-generation');
    expect(model.dtype).toBe('fp16');
    expect(factoryCalls).toEqual([['text-generation', 'org/lm', { dtype: 'fp16', device: 'cpu' }]]);
    const predictions = await model.predict(['prompt', [{ role: 'user', content: 'hi' }]]);
    expect(predictions.map((prediction) => [prediction.output, prediction.tokens])).toEqual([
      ['two words', 2],
      ['chat reply', 2],
    ]);
    expect(calls.at(-1)).toEqual([
      [{ role: 'user', content: 'hi' }],
      { max_new_tokens: 16, do_sample: false, return_full_text: false },
    ]);
  });

  test('a pipeline answering the wrong shape is a malformed-output RunnerError; a failed load is load-failed', async () => {
    const runner = transformersJsRunner({ pipeline: async () => fakePipeline(() => [[{ label: 'A' }]], []) });
    const model = await runner.load({ id: 'org/classifier' }, 'text-classification');
    const error = await model.predict(['x']).catch((caught: unknown) => caught);
    expect(RunnerError.isInstance(error) && error.reason).toBe('malformed-output');
    const failing = transformersJsRunner({
      pipeline: async () => {
        throw new Error('Could not locate file: onnx/model.onnx');
      },
    });
    const loadError = await failing
      .load({ id: 'org/broken' }, 'text-classification')
      .catch((caught: unknown) => caught);
    expect(RunnerError.isInstance(loadError) && loadError.reason).toBe('load-failed');
    expect((loadError as Error).message).toContain('Could not locate file');
  });

  test('a load aborted while waiting for its turn rejects at once and never creates the pipeline', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const created: string[] = [];
    const runner = transformersJsRunner({
      pipeline: async (_task, model) => {
        created.push(model);
        if (model === 'org/slow') await gate;
        return fakePipeline(() => [], []);
      },
    });
    const slow = runner.load({ id: 'org/slow' }, 'feature-extraction');
    const controller = new AbortController();
    const queued = runner.load({ id: 'org/queued' }, 'feature-extraction', { signal: controller.signal });
    const reason = new Error('stop');
    controller.abort(reason);
    await expect(queued).rejects.toBe(reason);
    release();
    await (await slow).dispose();
    expect(created).toEqual(['org/slow']);
  });
});
