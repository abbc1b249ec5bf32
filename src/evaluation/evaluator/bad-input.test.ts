// Bad input: every case ends in a typed error or a clearly flagged score; nothing crashes or hangs.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, test } from 'vitest';
import { EvaluationError } from '../../errors/evaluation-error.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import { seededRandom } from '../../random/seeded-random.js';
import type { InferenceRunner } from '../spec.js';
import { createEvaluator } from './create-evaluator.js';
import { fakeRunner, labeledExamples } from './fake-runner.js';

const task = 'text-classification' as const;
const echo = {
  answer: (input: unknown) => ({ output: String(input).length % 2 === 0 ? 'POSITIVE' : 'NEGATIVE' }),
};

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('bad input', () => {
  test('an empty dataset is an InvalidArgumentError, for arrays and for streams', async () => {
    const evaluator = createEvaluator({ runners: [fakeRunner({ m: echo })] });
    const fromArray = await rejection(
      evaluator.evaluate({ candidates: ['m'], data: { task, examples: [] } }),
    );
    expect(InvalidArgumentError.isInstance(fromArray)).toBe(true);
    expect((fromArray as InvalidArgumentError).message).toMatch(/request.data.examples.*empty/);
    async function* nothing() {}
    const fromStream = await rejection(
      evaluator.evaluate({ candidates: ['m'], data: { task, examples: nothing() } }),
    );
    expect(InvalidArgumentError.isInstance(fromStream)).toBe(true);
  });

  test('a budget of 0 (or below, or NaN) is an InvalidArgumentError', async () => {
    const evaluator = createEvaluator({ runners: [fakeRunner({ m: echo })] });
    const examples = labeledExamples(3, seededRandom(1));
    for (const budgetMs of [0, -1, Number.NaN]) {
      const error = await rejection(
        evaluator.evaluate({ candidates: ['m'], data: { task, examples }, budgetMs }),
      );
      expect(error).toMatchObject({ name: 'InvalidArgumentError', argument: 'request.budgetMs' });
    }
    const [unlimited] = await evaluator.evaluate({
      candidates: ['m'],
      data: { task, examples },
      budgetMs: Number.POSITIVE_INFINITY,
    });
    expect(unlimited!.samples).toBe(3);
  });

  test('rows without labels (or not { input, label }) are skipped and counted; none usable is an error', async () => {
    const evaluator = createEvaluator({ runners: [fakeRunner({ m: echo })] });
    const examples = [
      { input: 'ab', label: 'POSITIVE' },
      { input: 'abc' },
      { input: 'abcd', label: null },
      'not an example',
      { label: 'POSITIVE' },
      { input: 'abcdef', label: 'POSITIVE' },
    ];
    const [score] = await evaluator.evaluate({
      candidates: ['m'],
      data: { task, examples: examples as never },
    });
    expect(score).toMatchObject({
      samples: 2,
      quality: { value: 1 },
      skipped: { unlabeled: 2, invalid: 2 },
      partial: false,
    });
    const error = await rejection(
      evaluator.evaluate({
        candidates: ['m'],
        data: { task, examples: [{ input: 'x' }, { input: 'y' }] as never },
      }),
    );
    expect(error).toMatchObject({ name: 'InvalidArgumentError', value: { unlabeled: 2, invalid: 0 } });
  });

  test('labels the scorer rejects (a number for a classifier) are skipped as invalid', async () => {
    const evaluator = createEvaluator({ runners: [fakeRunner({ m: echo })] });
    const [score] = await evaluator.evaluate({
      candidates: ['m'],
      data: {
        task,
        examples: [
          { input: 'ab', label: 1 },
          { input: 'cd', label: 'POSITIVE' },
        ] as never,
      },
    });
    expect(score).toMatchObject({ samples: 1, skipped: { unlabeled: 0, invalid: 1 } });
    const error = await rejection(
      evaluator.evaluate({
        candidates: ['m'],
        data: { task, examples: [{ input: 'ab', label: 0 }] as never },
      }),
    );
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
  });

  test('labels the model does not know count as misses and are named', async () => {
    const evaluator = createEvaluator({
      runners: [
        fakeRunner({
          m: { answer: () => ({ output: 'POSITIVE', scores: { POSITIVE: 0.9, NEGATIVE: 0.1 } }) },
        }),
      ],
    });
    const [score] = await evaluator.evaluate({
      candidates: ['m'],
      data: {
        task,
        examples: [
          { input: 'a', label: 'POSITIVE' },
          { input: 'b', label: 'NEUTRAL' },
          { input: 'c', label: 'NEUTRAL' },
          { input: 'd', label: 'MIXED' },
        ],
      },
    });
    expect(score).toMatchObject({
      quality: { value: 0.25 },
      unknownLabels: ['MIXED', 'NEUTRAL'],
      samples: 4,
    });
    expect(score!.metrics['unknown-labels']).toBe(2);
  });

  test('a model that throws on some rows: the batch is retried row by row, failed rows count as wrong', async () => {
    const examples = labeledExamples(40, seededRandom(2));
    const truth = new Map(examples.map((example) => [example.input, example.label]));
    const runner = fakeRunner({
      m: {
        answer: (input) => {
          if ((input as string).endsWith('7')) throw new Error(`cannot read ${String(input)}`);
          return { output: truth.get(input as string) };
        },
      },
    });
    const [score] = await createEvaluator({ runners: [runner] }).evaluate({
      candidates: ['m'],
      data: { task, examples },
      batchSize: 8,
    });
    expect(score).toMatchObject({
      samples: 40,
      quality: { value: 36 / 40 },
      partial: false,
      failures: {
        errors: 4,
        timeouts: 0,
        malformed: 0,
        firstError: expect.stringContaining('cannot read text 7'),
      },
    });
    // Five batches of 8, and the rows of the failing ones again, one at a time.
    expect(runner.batches.get('m')!.filter((size) => size === 8)).toHaveLength(5);
    expect(runner.batches.get('m')!.filter((size) => size === 1)).toHaveLength(32);
  });

  test('a model that hangs: each call times out, and after maxConsecutiveFailures the candidate stops', async () => {
    const examples = labeledExamples(30, seededRandom(3));
    const runner = fakeRunner({
      hangs: { answer: () => new Promise(() => undefined) },
      sometimes: {
        answer: (input) =>
          (input as string).endsWith('3') ? new Promise(() => undefined) : { output: 'POSITIVE' },
      },
    });
    const evaluator = createEvaluator({ runners: [runner], defaults: { disposeTimeoutMs: 20 } });
    const [hung, sometimes] = await evaluator.evaluate({
      candidates: ['hangs', 'sometimes'],
      data: { task, examples },
      predictionTimeoutMs: 15,
      maxConsecutiveFailures: 3,
    });
    expect(hung).toMatchObject({
      samples: 3,
      partial: true,
      stopReason: 'runner-failed',
      failures: { timeouts: 3, errors: 0 },
      quality: { value: 0 },
    });
    expect(hung!.error).toMatch(/3 predictions in a row failed/);
    expect(sometimes).toMatchObject({ samples: 30, partial: false, failures: { timeouts: 3 } });
  });

  test('NaN and malformed outputs are counted and scored as wrong', async () => {
    const outputs: unknown[] = [
      { output: 'POSITIVE' },
      { output: Number.NaN },
      null,
      { scores: { POSITIVE: 1 } },
      { output: 'POSITIVE', scores: { POSITIVE: Number.NaN, NEGATIVE: 0.5 } },
      'POSITIVE',
    ];
    let index = 0;
    const runner = fakeRunner({ m: { answer: () => outputs[index++ % outputs.length] } });
    const examples = Array.from({ length: 6 }, (_, item) => ({ input: `x${item}`, label: 'POSITIVE' }));
    const [score] = await createEvaluator({ runners: [runner] }).evaluate({
      candidates: ['m'],
      data: { task, examples },
    });
    expect(score).toMatchObject({ samples: 6, failures: { malformed: 5, errors: 0 }, partial: false });
    // The one with NaN scores still has a valid output; the rest are wrong.
    expect(score!.quality.value).toBeCloseTo(2 / 6);
    expect(score!.metrics['malformed-scores']).toBe(1);
  });

  test('a batch with the wrong number of predictions is retried row by row', async () => {
    const runner: InferenceRunner = {
      specificationVersion: 'v1',
      name: 'short',
      supports: () => true,
      async load(candidate, loadTask) {
        return {
          modelId: candidate.id,
          task: loadTask,
          predict: async (inputs) => inputs.slice(0, 1).map(() => ({ output: 'POSITIVE' })),
          dispose: async () => {},
        };
      },
    };
    const examples = Array.from({ length: 4 }, (_, item) => ({ input: `x${item}`, label: 'POSITIVE' }));
    const [score] = await createEvaluator({ runners: [runner] }).evaluate({
      candidates: ['m'],
      data: { task, examples },
      batchSize: 4,
    });
    expect(score).toMatchObject({ samples: 4, quality: { value: 1 }, failures: { malformed: 0 } });
  });

  test('a runner whose server goes away mid-run: the candidate stops with a partial score', async () => {
    let served = 0;
    const server = createServer((_request, response) => {
      served++;
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ label: 'POSITIVE' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const runner: InferenceRunner = {
      specificationVersion: 'v1',
      name: 'http',
      supports: () => true,
      async load(candidate, loadTask) {
        return {
          modelId: candidate.id,
          task: loadTask,
          async predict(inputs, options) {
            const outputs = [];
            for (const _input of inputs) {
              const response = await fetch(url, { signal: options?.signal ?? null });
              outputs.push({ output: ((await response.json()) as { label: string }).label });
              if (served === 25) await new Promise<void>((resolve) => server.close(() => resolve()));
              if (served === 25) server.closeAllConnections();
            }
            return outputs;
          },
          dispose: async () => {},
        };
      },
    };
    const examples = Array.from({ length: 100 }, (_, item) => ({ input: `x${item}`, label: 'POSITIVE' }));
    const [score] = await createEvaluator({ runners: [runner] }).evaluate({
      candidates: ['remote'],
      data: { task, examples },
      maxConsecutiveFailures: 5,
    });
    expect(score).toMatchObject({
      samples: 30,
      partial: true,
      stopReason: 'runner-failed',
      failures: { errors: 5 },
      quality: { value: 25 / 30 },
    });
  });

  test('a model that fails to load, or hangs loading, gets a flagged score; if none loads, EvaluationError', async () => {
    const examples = labeledExamples(10, seededRandom(4));
    const runner = fakeRunner({
      broken: { ...echo, load: 'throw' },
      stuck: { ...echo, load: 'hang' },
      fine: echo,
    });
    const evaluator = createEvaluator({ runners: [runner], defaults: { loadTimeoutMs: 20 } });
    const [broken, stuck, fine, missing] = await evaluator.evaluate({
      candidates: ['broken', 'stuck', 'fine', 'missing'],
      data: { task, examples },
    });
    expect(broken).toMatchObject({
      samples: 0,
      partial: true,
      stopReason: 'load-failed',
      error: 'cannot load broken',
    });
    expect(broken!.quality).toEqual({ metric: 'accuracy', value: 0, lower: 0, upper: 1 });
    expect(stuck).toMatchObject({
      samples: 0,
      stopReason: 'load-failed',
      error: 'loading timed out after 20 ms',
    });
    expect(fine).toMatchObject({ samples: 10, stopReason: 'completed' });
    expect(missing).toMatchObject({ samples: 0, stopReason: 'no-runner' });
    expect(await evaluator.getEvaluationHistory('broken')).toEqual([]);

    const error = await rejection(
      evaluator.evaluate({ candidates: ['broken', 'missing'], data: { task, examples } }),
    );
    expect(EvaluationError.isInstance(error)).toBe(true);
    expect((error as EvaluationError).failures.map((failure) => failure.reason)).toEqual([
      'load-failed',
      'no-runner',
    ]);
  });

  test('aborting disposes the models and rejects with the signal’s reason', async () => {
    const controller = new AbortController();
    let calls = 0;
    const runner = fakeRunner({
      m: {
        answer: () => {
          calls++;
          if (calls === 5) controller.abort(new Error('stop now'));
          return { output: 'POSITIVE' };
        },
      },
    });
    const examples = labeledExamples(50, seededRandom(5));
    const error = await rejection(
      createEvaluator({ runners: [runner] }).evaluate(
        { candidates: ['m'], data: { task, examples } },
        { signal: controller.signal },
      ),
    );
    expect((error as Error).message).toBe('stop now');
    expect(runner.disposed).toEqual(['m']);
  });

  test('a runner whose load resolves to something that is not a model: load-failed, not a TypeError', async () => {
    const examples = labeledExamples(4, seededRandom(7));
    const custom = (load: () => Promise<unknown>): InferenceRunner => ({
      specificationVersion: 'v1',
      name: 'custom',
      supports: (candidate) => candidate.id === 'broken',
      load: load as InferenceRunner['load'],
    });
    const disposed: string[] = [];
    for (const value of [null, 'model', { dispose: async () => void disposed.push('no-predict') }]) {
      const evaluator = createEvaluator({ runners: [custom(async () => value), fakeRunner({ m: echo })] });
      const [broken, fine] = await evaluator.evaluate({
        candidates: ['broken', 'm'],
        data: { task, examples },
      });
      expect(broken).toMatchObject({ samples: 0, stopReason: 'load-failed' });
      expect(broken!.error).toMatch(/not a loaded model/);
      expect(fine).toMatchObject({ samples: 4, stopReason: 'completed' });
    }
    expect(disposed).toEqual(['no-predict']);
  });

  test('a model whose predict or dispose returns plainly (or whose loadMs is NaN) does not crash or corrupt the score', async () => {
    const examples = labeledExamples(4, seededRandom(8));
    const disposed: string[] = [];
    const runner: InferenceRunner = {
      specificationVersion: 'v1',
      name: 'plain',
      supports: () => true,
      load: async (candidate) =>
        ({
          modelId: candidate.id,
          task,
          loadMs: Number.NaN,
          predict: (inputs: readonly unknown[]) => inputs.map(() => ({ output: 'POSITIVE' })),
          dispose: () => void disposed.push(candidate.id),
        }) as never,
    };
    const [score] = await createEvaluator({ runners: [runner] }).evaluate({
      candidates: ['m'],
      data: { task, examples },
    });
    expect(score).toMatchObject({ samples: 4, stopReason: 'completed', failures: { errors: 0 } });
    // A load time that is not a number is replaced by the measured one.
    expect(Number.isFinite(score!.loadMs)).toBe(true);
    expect(disposed).toEqual(['m']);
  });

  test('a model that loads after its load timeout is disposed, even when its dispose returns plainly', async () => {
    const examples = labeledExamples(4, seededRandom(9));
    let finishLoad: (value: unknown) => void = () => undefined;
    const loading = new Promise((resolve) => {
      finishLoad = resolve;
    });
    let disposedLate: () => void = () => undefined;
    const lateDisposal = new Promise<void>((resolve) => {
      disposedLate = resolve;
    });
    const runner: InferenceRunner = {
      specificationVersion: 'v1',
      name: 'slow',
      supports: (candidate) => candidate.id === 'slow',
      load: (() => loading) as InferenceRunner['load'],
    };
    const evaluator = createEvaluator({
      runners: [runner, fakeRunner({ m: echo })],
      defaults: { loadTimeoutMs: 5 },
    });
    const [slow] = await evaluator.evaluate({ candidates: ['slow', 'm'], data: { task, examples } });
    expect(slow).toMatchObject({ stopReason: 'load-failed', error: 'loading timed out after 5 ms' });
    finishLoad({ modelId: 'slow', task, predict: async () => [], dispose: () => disposedLate() });
    await lateDisposal;
    // A late value that is not a model at all is dropped without an unhandled rejection either.
    let finishNull: (value: unknown) => void = () => undefined;
    const loadingNull = new Promise((resolve) => {
      finishNull = resolve;
    });
    const again = createEvaluator({
      runners: [{ ...runner, load: (() => loadingNull) as InferenceRunner['load'] }, fakeRunner({ m: echo })],
      defaults: { loadTimeoutMs: 5 },
    });
    const [dropped] = await again.evaluate({ candidates: ['slow', 'm'], data: { task, examples } });
    expect(dropped).toMatchObject({ stopReason: 'load-failed' });
    finishNull(null);
    // The evaluator's handler was attached first, so it has run when this await resumes.
    await loadingNull;
  });

  test('aborting while the data stream stalls rejects with the reason and disposes the model', async () => {
    const controller = new AbortController();
    const runner = fakeRunner({ m: echo });
    async function* stalling() {
      for (const example of labeledExamples(64, seededRandom(10))) yield example;
      controller.abort(new Error('stop reading'));
      await new Promise(() => undefined);
    }
    const error = await rejection(
      createEvaluator({ runners: [runner] }).evaluate(
        { candidates: ['m'], data: { task, examples: stalling() } },
        { signal: controller.signal },
      ),
    );
    expect((error as Error).message).toBe('stop reading');
    expect(runner.disposed).toEqual(['m']);
  });

  test('timeouts longer than a Node timer can hold (> 2^31 − 1 ms) do not fire at once', async () => {
    const examples = labeledExamples(4, seededRandom(11));
    const runner: InferenceRunner = {
      specificationVersion: 'v1',
      name: 'slow',
      supports: () => true,
      // A load that takes 20 ms, and a model whose calls each take a few ms.
      load: async (candidate) => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        return {
          modelId: candidate.id,
          task,
          predict: async (inputs) => {
            await new Promise((resolve) => setTimeout(resolve, 5));
            return inputs.map(() => ({ output: 'POSITIVE' }));
          },
          dispose: async () => {},
        };
      },
    };
    const [score] = await createEvaluator({ runners: [runner] }).evaluate({
      candidates: ['m'],
      data: { task, examples },
      loadTimeoutMs: 2 ** 31,
      predictionTimeoutMs: Number.MAX_SAFE_INTEGER,
      budgetMs: Number.MAX_SAFE_INTEGER,
    });
    expect(score).toMatchObject({ samples: 4, stopReason: 'completed', failures: { timeouts: 0 } });
  });

  test('invalid requests are InvalidArgumentErrors naming the argument', async () => {
    const evaluator = createEvaluator({ runners: [fakeRunner({ m: echo })] });
    const examples = labeledExamples(3, seededRandom(6));
    const cases: [unknown, string][] = [
      [null, 'request'],
      [{ candidates: [], data: { task, examples } }, 'request.candidates'],
      [{ candidates: ['m', 'm'], data: { task, examples } }, 'request.candidates[1]'],
      [{ candidates: [42], data: { task, examples } }, 'request.candidates[0]'],
      [{ candidates: ['m'], data: { task: 'no-such-task', examples } }, 'request.data.task'],
      [{ candidates: ['m'], data: { task: 'image-to-3d', examples } }, 'request.data.task'],
      [{ candidates: ['m'], data: { task, examples: 42 } }, 'request.data.examples'],
      [{ candidates: ['m'], data: { task, examples }, batchSize: 1.5 }, 'request.batchSize'],
      [{ candidates: ['m'], data: { task, examples }, race: { roundSize: 0 } }, 'request.race.roundSize'],
      [{ candidates: ['m'], data: { task, examples }, race: 'yes' }, 'request.race'],
      [{ candidates: ['m'], data: { task, examples }, historyLimit: 3 }, 'request.historyLimit'],
    ];
    for (const [request, argument] of cases) {
      const error = await rejection(evaluator.evaluate(request as never));
      expect(error, argument).toMatchObject({ name: 'InvalidArgumentError', argument });
    }
  });
});
