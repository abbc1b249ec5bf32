import path from 'node:path';
import type { EventEmitter } from 'eventemitter3';
import { describe, expect, test } from 'vitest';
import { manualClock } from '../../clock/manual-clock.js';
import type { EvaluationEvents } from '../../events.js';
import { seededRandom } from '../../random/seeded-random.js';
import { memoryStore } from '../../store/memory-store.js';
import { createEvaluator } from './create-evaluator.js';
import { EVALUATION_DEFAULTS } from './evaluation-defaults.js';
import { type FakeModel, fakeRunner, labeledExamples } from './fake-runner.js';

const LABELS = ['NEGATIVE', 'POSITIVE'];

/** A model right on the examples where `right(index)` is true, and wrong (the other label) elsewhere. */
function modelRightWhere(
  examples: readonly { input: string; label: string }[],
  right: (index: number) => boolean,
  extra: Partial<FakeModel> = {},
): FakeModel {
  const answers = new Map(
    examples.map((example, index) => [
      example.input,
      right(index) ? example.label : LABELS.find((label) => label !== example.label)!,
    ]),
  );
  return {
    answer: (input) => ({ output: answers.get(input as string), scores: { NEGATIVE: 0.5, POSITIVE: 0.5 } }),
    ...extra,
  };
}

function collect<Name extends keyof EvaluationEvents>(
  evaluator: { readonly events: EventEmitter<EvaluationEvents> },
  name: Name,
): EvaluationEvents[Name][0][] {
  const seen: EvaluationEvents[Name][0][] = [];
  evaluator.events.on(name, ((event: EvaluationEvents[Name][0]) => seen.push(event)) as never);
  return seen;
}

describe('createEvaluator', () => {
  test('scores each candidate: accuracy, latency, throughput, load time, samples', async () => {
    const clock = manualClock(1_700_000_000_000);
    const examples = labeledExamples(100, seededRandom(1));
    const runner = fakeRunner(
      {
        good: modelRightWhere(examples, (index) => index % 10 !== 0, { msPerItem: 2, loadMs: 40 }),
        poor: modelRightWhere(examples, (index) => index % 2 === 0, { msPerItem: 5 }),
      },
      { clock },
    );
    const evaluator = createEvaluator({ runners: [runner], clock, random: seededRandom(2) });
    const started = collect(evaluator, 'evaluation_started');
    const progress = collect(evaluator, 'evaluation_progress');
    const finished = collect(evaluator, 'evaluation_finished');

    const [good, poor] = await evaluator.evaluate({
      candidates: ['good', 'poor'],
      data: { task: 'text-classification', examples },
    });

    expect(good).toMatchObject({
      modelId: 'good',
      task: 'text-classification',
      quality: { metric: 'accuracy', value: 0.9 },
      latencyMs: { p50: 2, p95: 2, p99: 2 },
      throughput: 500,
      loadMs: 40,
      samples: 100,
      partial: false,
      stopReason: 'completed',
      runner: 'fake',
      failures: { errors: 0, timeouts: 0, malformed: 0 },
      skipped: { unlabeled: 0, invalid: 0 },
    });
    expect(good!.quality.lower).toBeLessThan(0.9);
    expect(good!.quality.upper).toBeGreaterThan(0.9);
    expect(good!.metrics['macro-f1']).toBeGreaterThan(0.8);
    expect(good!.confusionMatrix?.labels).toEqual(LABELS);
    expect(good!.dataset).toMatch(/^sha256:[0-9a-f]{16}$/);
    expect(poor).toMatchObject({
      quality: { value: 0.5 },
      latencyMs: { p50: 5 },
      throughput: 200,
      loadMs: 0,
    });
    // One item at a time by default.
    expect(runner.batches.get('good')).toEqual(Array(100).fill(1));
    expect(runner.disposed).toEqual(['good', 'poor']);

    expect(started).toEqual([
      { candidates: ['good', 'poor'], task: 'text-classification', race: false, total: 100 },
    ]);
    expect(progress.at(-1)).toEqual({ modelId: 'poor', done: 100, total: 100, etaMs: 0 });
    const midway = progress.find((event) => event.modelId === 'poor' && event.done === 64);
    expect(midway?.etaMs).toBe(36 * 5);
    expect(finished).toHaveLength(1);
    expect(finished[0]!.scores).toEqual([good, poor]);
    expect(finished[0]!.storeError).toBeUndefined();
  });

  test('with batching, an item’s latency is its batch’s time ÷ the batch size', async () => {
    const clock = manualClock();
    const examples = labeledExamples(10, seededRandom(3));
    const runner = fakeRunner({ m: modelRightWhere(examples, () => true, { msPerItem: 3 }) }, { clock });
    const [score] = await createEvaluator({ runners: [runner], clock }).evaluate({
      candidates: ['m'],
      data: { task: 'text-classification', examples },
      batchSize: 4,
    });
    expect(runner.batches.get('m')).toEqual([4, 4, 2]);
    expect(score!.latencyMs).toEqual({ p50: 3, p95: 3, p99: 3 });
    expect(score!.quality.value).toBe(1);
  });

  test('reports the weights’ file size, a memory estimate made before loading, and tokens per second', async () => {
    const clock = manualClock();
    const examples = [
      { input: 'write', label: { contains: 'ok' } },
      { input: 'again', label: { contains: 'ok' } },
    ];
    const runner = fakeRunner(
      { gen: { answer: () => ({ output: 'ok then', tokens: 25 }), msPerItem: 50 } },
      { clock },
    );
    const candidate = {
      id: 'gen',
      dtypes: ['fp32', 'q8'],
      files: [
        { path: 'onnx/model.onnx', sizeBytes: 1000 },
        { path: 'onnx/model_quantized.onnx', sizeBytes: 300 },
      ],
    };
    const evaluator = createEvaluator({ runners: [runner], clock });
    const data = { task: 'text-generation' as const, examples };
    const [quantized] = await evaluator.evaluate({ candidates: [{ candidate, dtype: 'q8' }], data });
    expect(quantized!.fileSizeBytes).toBe(300);
    expect(quantized!.memory.estimatedBytes).toBe(450); // 300 bytes × ONNX_MEMORY_FACTOR 1.5
    expect(quantized!.tokensPerSecond).toBe(500); // 2 × 25 tokens in 2 × 50 ms
    // No dtype asked: the estimate uses the first available dtype of the preference order (fp32).
    const [unspecified] = await evaluator.evaluate({ candidates: [{ ...candidate, sizeBytes: 1300 }], data });
    expect(unspecified!.memory.estimatedBytes).toBe(1500);
    expect(unspecified!.fileSizeBytes).toBe(1300);
    // Nothing known, nothing reported.
    const classifier = fakeRunner({ c: { answer: () => ({ output: 'POSITIVE' }) } }, { clock });
    const [plain] = await createEvaluator({ runners: [classifier], clock }).evaluate({
      candidates: ['c'],
      data: { task: 'text-classification', examples: [{ input: 'x', label: 'POSITIVE' }] },
    });
    expect(plain!.fileSizeBytes).toBeUndefined();
    expect(plain!.memory.estimatedBytes).toBeUndefined();
    expect(plain!.tokensPerSecond).toBeUndefined();
  });

  test('streamed data is read once and replayed to every candidate, with the same fingerprint as the array', async () => {
    const examples = labeledExamples(150, seededRandom(4));
    const runner = fakeRunner({
      a: modelRightWhere(examples, () => true),
      b: modelRightWhere(examples, (index) => index < 75),
    });
    let reads = 0;
    async function* stream() {
      for (const example of examples) {
        reads++;
        yield example;
      }
    }
    const evaluator = createEvaluator({ runners: [runner] });
    const [a, b] = await evaluator.evaluate({
      candidates: ['a', 'b'],
      data: { task: 'text-classification', examples: stream() },
    });
    expect(reads).toBe(150);
    expect([a!.samples, b!.samples]).toEqual([150, 150]);
    expect([a!.quality.value, b!.quality.value]).toEqual([1, 0.5]);
    const [again] = await evaluator.evaluate({
      candidates: ['a'],
      data: { task: 'text-classification', examples },
    });
    expect(again!.dataset).toBe(a!.dataset);
  });

  test('streamed data not read to the end is closed (its finally runs) once the evaluation is over', async () => {
    const examples = labeledExamples(500, seededRandom(12));
    const runner = fakeRunner({ a: modelRightWhere(examples, () => true) });
    let closed: () => void = () => undefined;
    const released = new Promise<void>((resolve) => {
      closed = resolve;
    });
    async function* stream() {
      try {
        yield* examples;
      } finally {
        closed();
      }
    }
    const [score] = await createEvaluator({ runners: [runner] }).evaluate({
      candidates: ['a'],
      data: { task: 'text-classification', examples: stream() },
      maxSamples: 100,
    });
    expect(score).toMatchObject({ samples: 100, stopReason: 'max-samples' });
    await released;
  });

  test('the sample cap and the time budget stop a candidate and mark its score partial', async () => {
    const clock = manualClock();
    const examples = labeledExamples(100, seededRandom(5));
    const runner = fakeRunner(
      {
        fast: modelRightWhere(examples, () => true, { msPerItem: 1 }),
        slow: modelRightWhere(examples, () => true, { msPerItem: 10 }),
      },
      { clock },
    );
    const evaluator = createEvaluator({ runners: [runner], clock });
    const [capped] = await evaluator.evaluate({
      candidates: ['fast'],
      data: { task: 'text-classification', examples },
      maxSamples: 30,
    });
    expect(capped).toMatchObject({ samples: 30, partial: true, stopReason: 'max-samples' });
    const [exact] = await evaluator.evaluate({
      candidates: ['fast'],
      data: { task: 'text-classification', examples },
      maxSamples: 100,
    });
    expect(exact).toMatchObject({ samples: 100, partial: false, stopReason: 'completed' });
    const [budgeted] = await evaluator.evaluate({
      candidates: ['slow'],
      data: { task: 'text-classification', examples },
      budgetMs: 50,
    });
    expect(budgeted).toMatchObject({ samples: 5, partial: true, stopReason: 'budget' });
  });

  test('runners are chosen by supports(); a local path becomes a candidate with localPath; an explicit runner wins', async () => {
    const examples = labeledExamples(5, seededRandom(6));
    const folder = path.resolve('models/my-classifier');
    const first = fakeRunner({ [folder]: modelRightWhere(examples, () => true) }, { name: 'first' });
    const second = fakeRunner(
      { [folder]: modelRightWhere(examples, () => false), other: modelRightWhere(examples, () => true) },
      { name: 'second' },
    );
    const evaluator = createEvaluator({ runners: [first, second] });
    const [local, other, forced] = await evaluator.evaluate({
      candidates: [
        './models/my-classifier',
        'other',
        {
          candidate: { id: 'forced' },
          runner: fakeRunner({ forced: modelRightWhere(examples, () => true) }, { name: 'third' }),
        },
      ],
      data: { task: 'text-classification', examples },
    });
    expect(first.loaded).toEqual([{ id: folder, localPath: folder, provider: 'local-path' }]);
    expect(local).toMatchObject({ modelId: folder, runner: 'first', quality: { value: 1 } });
    expect(other).toMatchObject({ runner: 'second' });
    expect(forced).toMatchObject({ runner: 'third' });
  });

  test('persists every score in the history, newest first, bounded, by revision', async () => {
    const clock = manualClock(1_700_000_000_000);
    const store = memoryStore();
    const examples = labeledExamples(20, seededRandom(7));
    const runner = fakeRunner({ m: modelRightWhere(examples, () => true, { msPerItem: 1 }) }, { clock });
    const evaluator = createEvaluator({ runners: [runner], clock, store, defaults: { historyLimit: 2 } });
    const data = { task: 'text-classification' as const, examples };
    await evaluator.evaluate({ candidates: [{ id: 'm', revision: 'aaa' }], data });
    clock.advance(1000);
    await evaluator.evaluate({ candidates: [{ id: 'm', revision: 'bbb' }], data, maxSamples: 10 });
    clock.advance(1000);
    await evaluator.evaluate({ candidates: [{ id: 'm', revision: 'bbb' }], data, maxSamples: 5 });
    const history = await evaluator.getEvaluationHistory('m');
    expect(history.map((score) => [score.revision, score.samples])).toEqual([
      ['bbb', 5],
      ['bbb', 10],
    ]);
    expect(history[0]!.evaluatedAt).toBe(new Date(1_700_000_000_000 + 2000 + 20 + 10 + 5).toISOString());
    expect(await evaluator.getEvaluationHistory('m', { revision: 'aaa' })).toEqual([]);
    expect((await evaluator.getEvaluationHistory('m', { revision: 'bbb' })).length).toBe(2);
    // The key carries model, revision, task and the data's fingerprint.
    const keys: string[] = [];
    for await (const [key] of store.scanDocuments('modelscout:default:evaluations:')) keys.push(key);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(
      /^modelscout:default:evaluations:m:bbb:text-classification:sha256%3A[0-9a-f]{16}:\d{15}-[0-9a-f]{8}$/,
    );
  });

  test('a store that fails does not fail the evaluation: the scores come back and the event says why', async () => {
    const store = memoryStore();
    await store.close();
    const examples = labeledExamples(5, seededRandom(8));
    const evaluator = createEvaluator({
      runners: [fakeRunner({ m: modelRightWhere(examples, () => true) })],
      store,
    });
    const finished = collect(evaluator, 'evaluation_finished');
    const [score] = await evaluator.evaluate({
      candidates: ['m'],
      data: { task: 'text-classification', examples },
    });
    expect(score!.samples).toBe(5);
    expect(finished[0]!.storeError?.name).toBe('StoreError');
  });

  test('defaults are one frozen object, overridable per evaluator and per request', () => {
    expect(Object.isFrozen(EVALUATION_DEFAULTS)).toBe(true);
    expect(Object.isFrozen(EVALUATION_DEFAULTS.race)).toBe(true);
    expect(EVALUATION_DEFAULTS.budgetMs).toBe(30_000);
    const evaluator = createEvaluator({ defaults: { batchSize: 8, race: { tolerance: 0 } } });
    expect(evaluator.defaults.batchSize).toBe(8);
    expect(evaluator.defaults.race).toEqual({ ...EVALUATION_DEFAULTS.race, tolerance: 0 });
    expect(() => createEvaluator({ defaults: { batchSize: 0 } })).toThrow(/batchSize/);
    expect(() => createEvaluator({ defaults: { race: { confidence: 1 } } })).toThrow(/confidence/);
    expect(() => createEvaluator({ bogus: 1 } as never)).toThrow(/bogus/);
  });
});
