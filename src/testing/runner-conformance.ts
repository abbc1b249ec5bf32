import assert from 'node:assert/strict';
import type { ModelCandidate } from '../core/model-candidate.js';
import type { Task } from '../core/task.js';
import { ModelscoutError } from '../errors/modelscout-error.js';
import { RunnerError } from '../errors/runner-error.js';
import type { InferenceRunner, LoadedModel, Prediction } from '../evaluation/spec.js';
import type { ConformanceTestRunner } from './conformance-test-runner.js';

/** A runner under test, with a model it can run and inputs for it. */
export interface RunnerConformanceInstance {
  readonly runner: InferenceRunner;
  /** A candidate the runner supports for `task`. */
  readonly candidate: ModelCandidate;
  readonly task: Task;
  /** At least two inputs of the task's shape (see `task-score.ts`); distinct, so that order shows. */
  readonly inputs: readonly unknown[];
  /** Passed to `load` (e.g. `{ dtype: 'q8' }`). */
  readonly loadOptions?: { readonly dtype?: string };
  /** A candidate and task the runner must not support, when there is one. */
  readonly unsupported?: { readonly candidate: ModelCandidate; readonly task: Task };
  /** How far numbers of two predictions of the same input may differ (batching changes padding). @default 1e-4 */
  readonly tolerance?: number;
  /** Called after the test: stop servers, remove folders. */
  close?(): Promise<void>;
}

/** The runner implementation under test. */
export interface RunnerConformanceSubject {
  /** Shown in every test name, e.g. `'transformersJsRunner (local hub)'`. */
  readonly name: string;
  /** Creates a runner over a model it can reach; called once per test. */
  readonly create: () => Promise<RunnerConformanceInstance>;
}

const CLASSIFICATION_TASKS = new Set<string>(['text-classification', 'zero-shot-classification']);
const TEXT_TASKS = new Set<string>(['question-answering', 'summarization', 'translation']);

function assertFiniteNonNegative(value: unknown, what: string): void {
  assert.ok(typeof value === 'number' && Number.isFinite(value) && value >= 0, `${what} is ${String(value)}`);
}

/**
 * Asserts that `prediction` has the shape `task-score.ts` sets for `task`'s `prediction.output`
 * (tasks it does not describe are not checked), and that its optional fields are well formed.
 */
export function assertPredictionShape(task: Task, prediction: Prediction, where = 'prediction'): void {
  assert.ok(prediction !== null && typeof prediction === 'object', `${where} is not an object`);
  assert.ok('output' in prediction, `${where} has no output`);
  const { output, scores, tokens, inputTokens, timings } = prediction;
  if (tokens !== undefined)
    assert.ok(Number.isInteger(tokens) && tokens >= 0, `${where}: tokens is ${tokens}`);
  if (inputTokens !== undefined) {
    assert.ok(Number.isInteger(inputTokens) && inputTokens >= 0, `${where}: inputTokens is ${inputTokens}`);
  }
  for (const [key, value] of Object.entries(timings ?? {})) {
    if (value !== undefined) assertFiniteNonNegative(value, `${where}: timings.${key}`);
  }
  if (scores !== undefined) {
    for (const [label, score] of Object.entries(scores)) {
      assert.ok(
        Number.isFinite(score) && score >= 0 && score <= 1,
        `${where}: score of ${label} is ${score}`,
      );
    }
  }
  if (CLASSIFICATION_TASKS.has(task)) {
    assert.equal(typeof output, 'string', `${where}: a ${task} output is the top label`);
    if (scores !== undefined) {
      assert.ok(Object.hasOwn(scores, output as string), `${where}: scores lack the predicted label`);
      const top = Math.max(...Object.values(scores));
      assert.equal(scores[output as string], top, `${where}: the output is not the top-scored label`);
    }
  } else if (task === 'token-classification') {
    assert.ok(Array.isArray(output), `${where}: a token-classification output is an array`);
    for (const item of output as unknown[]) {
      if (typeof item === 'string') continue;
      const span = item as { type?: unknown; start?: unknown; end?: unknown };
      assert.equal(typeof span.type, 'string', `${where}: a span has no type`);
      assert.ok(
        Number.isInteger(span.start) &&
          Number.isInteger(span.end) &&
          (span.start as number) >= 0 &&
          (span.start as number) <= (span.end as number),
        `${where}: a span has offsets ${String(span.start)}–${String(span.end)}`,
      );
    }
  } else if (task === 'feature-extraction') {
    assert.ok(Array.isArray(output) && output.length > 0, `${where}: an embedding is a non-empty number[]`);
    for (const value of output as unknown[])
      assert.ok(
        typeof value === 'number' && Number.isFinite(value),
        `${where}: an embedding holds ${String(value)}`,
      );
  } else if (task === 'sentence-similarity') {
    assert.ok(
      typeof output === 'number' && Number.isFinite(output),
      `${where}: a similarity is a finite number`,
    );
  } else if (task === 'text-generation') {
    if (typeof output !== 'string') {
      const { text, toolCalls } = (output ?? {}) as { text?: unknown; toolCalls?: unknown };
      assert.equal(typeof text, 'string', `${where}: a generation is text or { text, toolCalls }`);
      assert.ok(Array.isArray(toolCalls), `${where}: toolCalls is not an array`);
      for (const call of toolCalls as { name?: unknown; arguments?: unknown }[]) {
        assert.equal(typeof call.name, 'string', `${where}: a tool call has no name`);
        assert.ok(
          call.arguments !== null && typeof call.arguments === 'object' && !Array.isArray(call.arguments),
          `${where}: tool-call arguments are not an object`,
        );
      }
    }
  } else if (TEXT_TASKS.has(task)) {
    assert.equal(typeof output, 'string', `${where}: a ${task} output is text`);
  }
}

/** Deep equality where numbers may differ by `tolerance`. */
function assertClose(actual: unknown, expected: unknown, tolerance: number, where: string): void {
  if (typeof actual === 'number' && typeof expected === 'number') {
    assert.ok(Math.abs(actual - expected) <= tolerance, `${where}: ${actual} ≠ ${expected}`);
    return;
  }
  if (Array.isArray(actual) && Array.isArray(expected)) {
    assert.equal(actual.length, expected.length, `${where}: lengths differ`);
    for (const [index, item] of actual.entries()) {
      assertClose(item, expected[index], tolerance, `${where}[${index}]`);
    }
    return;
  }
  if (actual !== null && expected !== null && typeof actual === 'object' && typeof expected === 'object') {
    assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort(), `${where}: keys differ`);
    for (const key of Object.keys(actual)) {
      assertClose(
        (actual as Record<string, unknown>)[key],
        (expected as Record<string, unknown>)[key],
        tolerance,
        `${where}.${key}`,
      );
    }
    return;
  }
  assert.deepEqual(actual, expected, where);
}

function isAbortReason(reason: unknown): (error: unknown) => boolean {
  return (error) => error === reason;
}

/**
 * The conformance suite every {@link InferenceRunner} must pass: the v1 spec fields; `supports`;
 * `load` gives a model with the candidate's id and the task; `predict` answers one prediction per
 * input, in order, with the task's output shape (`task-score.ts`); an empty batch answers `[]`; an
 * aborted signal rejects `load` and `predict` with its reason; `dispose` is idempotent; `predict`
 * after it rejects with a `RunnerError` (`'disposed'`). Registers its tests through `runner.test`
 * and asserts with `node:assert`.
 */
export function runnerConformance(runner: ConformanceTestRunner, subject: RunnerConformanceSubject): void {
  const test = (name: string, body: (instance: RunnerConformanceInstance) => Promise<void>) =>
    runner.test(`${subject.name} conforms: ${name}`, async () => {
      const instance = await subject.create();
      try {
        await body(instance);
      } finally {
        await instance.close?.();
      }
    });

  const withModel = async (
    instance: RunnerConformanceInstance,
    body: (model: LoadedModel) => Promise<void>,
  ): Promise<void> => {
    const model = await instance.runner.load(instance.candidate, instance.task, instance.loadOptions);
    try {
      await body(model);
    } finally {
      await model.dispose();
    }
  };

  test('has the fields of the v1 specification', async ({ runner: inferenceRunner }) => {
    assert.equal(inferenceRunner.specificationVersion, 'v1');
    assert.equal(typeof inferenceRunner.name, 'string');
    assert.ok(inferenceRunner.name.length > 0, 'name is empty');
    assert.equal(typeof inferenceRunner.supports, 'function');
    assert.equal(typeof inferenceRunner.load, 'function');
  });

  test('supports its candidate, and answers a boolean for others', async ({
    runner: inferenceRunner,
    candidate,
    task,
    unsupported,
  }) => {
    assert.equal(
      inferenceRunner.supports(candidate, task),
      true,
      `does not support ${candidate.id} for ${task}`,
    );
    assert.equal(typeof inferenceRunner.supports({ id: 'modelscout-conformance/bare-id' }, task), 'boolean');
    if (unsupported !== undefined) {
      assert.equal(
        inferenceRunner.supports(unsupported.candidate, unsupported.task),
        false,
        `supports ${unsupported.candidate.id} for ${unsupported.task}`,
      );
    }
  });

  test('loads a model with the candidate id and the task', async (instance) => {
    await withModel(instance, async (model) => {
      assert.equal(model.modelId, instance.candidate.id);
      assert.equal(model.task, instance.task);
      assert.equal(typeof model.predict, 'function');
      assert.equal(typeof model.dispose, 'function');
      for (const field of ['loadMs', 'memoryBytes'] as const) {
        if (model[field] !== undefined) assertFiniteNonNegative(model[field], field);
      }
      if (model.dtype !== undefined) assert.equal(typeof model.dtype, 'string');
    });
  });

  test("predicts one prediction per input, in order, with the task's output shape", async (instance) => {
    assert.ok(instance.inputs.length >= 2, 'the subject must give at least two inputs');
    const tolerance = instance.tolerance ?? 1e-4;
    await withModel(instance, async (model) => {
      const predictions = await model.predict(instance.inputs);
      assert.equal(predictions.length, instance.inputs.length);
      for (const [index, prediction] of predictions.entries()) {
        assertPredictionShape(instance.task, prediction, `prediction ${index}`);
      }
      const reversed = await model.predict([...instance.inputs].reverse());
      assert.equal(reversed.length, instance.inputs.length);
      [...reversed].reverse().forEach((prediction, index) => {
        assertClose(
          prediction.output,
          predictions[index]!.output,
          tolerance,
          `output of input ${index} (reversed batch)`,
        );
      });
      const single = await model.predict([instance.inputs[1]]);
      assert.equal(single.length, 1);
      assertClose(single[0]!.output, predictions[1]!.output, tolerance, 'output of input 1 alone');
    });
  });

  test('answers an empty batch with an empty result', async (instance) => {
    await withModel(instance, async (model) => {
      assert.deepEqual([...(await model.predict([]))], []);
    });
  });

  test('rejects with the reason of an aborted signal', async (instance) => {
    const loadController = new AbortController();
    const loadReason = new Error('conformance: load aborted');
    loadController.abort(loadReason);
    await assert.rejects(
      instance.runner.load(instance.candidate, instance.task, {
        ...instance.loadOptions,
        signal: loadController.signal,
      }),
      isAbortReason(loadReason),
    );
    await withModel(instance, async (model) => {
      const controller = new AbortController();
      const reason = new Error('conformance: predict aborted');
      controller.abort(reason);
      await assert.rejects(
        model.predict(instance.inputs, { signal: controller.signal }),
        isAbortReason(reason),
      );
      // The model still works afterwards.
      assert.equal((await model.predict(instance.inputs.slice(0, 1))).length, 1);
    });
  });

  test('disposes idempotently; predict afterwards rejects with a RunnerError', async (instance) => {
    const model = await instance.runner.load(instance.candidate, instance.task, instance.loadOptions);
    await model.dispose();
    await model.dispose();
    await assert.rejects(model.predict(instance.inputs), (error: unknown) => {
      return (
        ModelscoutError.isInstance(error) && RunnerError.isInstance(error) && error.reason === 'disposed'
      );
    });
  });

  test('keeps a second load working when the first is disposed', async (instance) => {
    const first = await instance.runner.load(instance.candidate, instance.task, instance.loadOptions);
    const second = await instance.runner.load(instance.candidate, instance.task, instance.loadOptions);
    try {
      const expected = await first.predict(instance.inputs.slice(0, 1));
      await first.dispose();
      const after = await second.predict(instance.inputs.slice(0, 1));
      assertClose(
        after[0]!.output,
        expected[0]!.output,
        instance.tolerance ?? 1e-4,
        'output after the other model was disposed',
      );
    } finally {
      await first.dispose();
      await second.dispose();
    }
  });
}
