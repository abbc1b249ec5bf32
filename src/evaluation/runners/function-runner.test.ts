import { describe, expect, test } from 'vitest';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import { RunnerError } from '../../errors/runner-error.js';
import { runnerConformance } from '../../testing/runner-conformance.js';
import { functionRunner } from './function-runner.js';

const sentiment = (text: string) => (/good|great|love/i.test(text) ? 'POSITIVE' : 'NEGATIVE');

runnerConformance(
  { test },
  {
    name: 'functionRunner (outputs)',
    create: async () => ({
      runner: functionRunner<string, string>({
        tasks: ['text-classification'],
        predict: (texts) => texts.map(sentiment),
      }),
      candidate: { id: 'rules/sentiment' },
      task: 'text-classification',
      inputs: ['a great film', 'a dull film', 'I love it'],
      unsupported: { candidate: { id: 'rules/sentiment' }, task: 'text-generation' },
    }),
  },
);

runnerConformance(
  { test },
  {
    name: 'functionRunner (predictions)',
    create: async () => ({
      runner: functionRunner<string, string>({
        returns: 'predictions',
        predict: (texts) =>
          texts.map((text) => {
            const positive = /good|great|love/i.test(text) ? 0.9 : 0.2;
            return {
              output: positive > 0.5 ? 'POSITIVE' : 'NEGATIVE',
              scores: { POSITIVE: positive, NEGATIVE: 1 - positive },
            };
          }),
      }),
      candidate: { id: 'rules/scored-sentiment' },
      task: 'text-classification',
      inputs: ['a great film', 'a dull film'],
    }),
  },
);

describe('functionRunner', () => {
  test('passes the task, the model id, the candidate and the signal to the function', async () => {
    const calls: unknown[] = [];
    const runner = functionRunner({
      name: 'host',
      modelIds: ['m'],
      predict: (inputs, context) => {
        calls.push({ inputs, ...context });
        return inputs.map(() => 'x');
      },
    });
    expect(runner.name).toBe('host');
    expect(runner.supports({ id: 'other' }, 'text-generation')).toBe(false);
    const model = await runner.load({ id: 'm', provider: 'p' }, 'text-generation');
    const controller = new AbortController();
    expect(await model.predict(['a'], { signal: controller.signal })).toEqual([{ output: 'x' }]);
    expect(calls).toEqual([
      {
        inputs: ['a'],
        task: 'text-generation',
        modelId: 'm',
        candidate: { id: 'm', provider: 'p' },
        signal: controller.signal,
      },
    ]);
  });

  test('reports a wrong number of outputs, a non-array and a prediction without output as malformed', async () => {
    const outputs: unknown[] = [['only one'], 'not an array', [{ scores: {} }]];
    let call = 0;
    const runner = functionRunner({
      returns: 'predictions',
      predict: () => outputs[call++] as never,
    });
    const model = await runner.load({ id: 'm' }, 'text-classification');
    for (let index = 0; index < outputs.length; index++) {
      const error = await model
        .predict(['a', 'b'].slice(0, index === 0 ? 2 : 1))
        .catch((caught: unknown) => caught);
      expect(RunnerError.isInstance(error) && error.reason).toBe('malformed-output');
    }
  });

  test('wraps what the function throws in a RunnerError and rejects unsupported loads', async () => {
    const cause = new Error('the service is down');
    const runner = functionRunner({
      tasks: ['text-classification'],
      predict: () => {
        throw cause;
      },
    });
    const model = await runner.load({ id: 'm' }, 'text-classification');
    const error = await model.predict(['a']).catch((caught: unknown) => caught);
    expect(RunnerError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ reason: 'failed', runner: 'function', modelId: 'm', cause });
    await expect(runner.load({ id: 'm' }, 'translation')).rejects.toMatchObject({
      name: 'RunnerError',
      reason: 'unsupported',
    });
  });

  test('rejects invalid options', () => {
    expect(() => functionRunner({ predict: 'no' as never })).toThrow(InvalidArgumentError);
    expect(() => functionRunner({ predict: () => [], returns: 'other' as never })).toThrow(
      InvalidArgumentError,
    );
  });
});
