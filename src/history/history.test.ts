import { afterAll, describe, expect, test } from 'vitest';
import { type ManualClock, manualClock } from '../clock/manual-clock.js';
import type { ModelCandidate } from '../core/model-candidate.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { saveEvaluation } from '../evaluation/evaluator/evaluation-history.js';
import type { EvaluationScore } from '../evaluation/evaluator/evaluation-score.js';
import { functionRunner } from '../evaluation/runners/function-runner.js';
import type { HistoryPrunedEvent } from '../lifecycle/lifecycle-events.js';
import { saveAvailability } from '../lifecycle/upkeep/availability-history.js';
import { createScout, type Scout, type ScoutOptions } from '../scout.js';
import { memoryStore } from '../store/memory-store.js';
import type { Store } from '../store/spec.js';
import { HISTORY_DEFAULTS } from './history-options.js';
import { LATENCY_BIN_RATIO } from './latency-histogram.js';
import { storeKinds } from './testing/history-stores.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 15, 12);
const LABELS = ['NEGATIVE', 'POSITIVE'];
const EXAMPLES = Array.from({ length: 40 }, (_, index) => ({
  input: `text ${index}`,
  label: LABELS[index % 2]!,
}));

/** A scout whose function runner answers the first accuracy · 40 examples right, per model id. */
function scoutWith(
  store: Store,
  clock: ManualClock,
  accuracy: Record<string, number>,
  options: ScoutOptions = {},
): Scout {
  const runner = functionRunner<string, string>({
    predict: (inputs, { modelId, candidate }) =>
      inputs.map((input) => {
        const index = Number(input.split(' ')[1]);
        const key = candidate.revision === undefined ? modelId : `${modelId}@${candidate.revision}`;
        const right = index < accuracy[key]! * EXAMPLES.length;
        return right ? LABELS[index % 2]! : LABELS[(index + 1) % 2]!;
      }),
  });
  return createScout({ seed: 1, store, clock, runners: [runner], ...options });
}

async function evaluateAt(
  scout: Scout,
  clock: ManualClock,
  time: number,
  candidates: (string | ModelCandidate)[],
  datasetId = 'sst',
): Promise<void> {
  clock.set(time);
  await scout.evaluate({ candidates, data: { task: 'text-classification', examples: EXAMPLES }, datasetId });
}

const kinds = storeKinds();
afterAll(async () => {
  for (const kind of kinds) await kind.dispose();
});

describe.each(kinds)('history.bestModels ($name store)', (kind) => {
  test('ranks the latest evaluation per model and revision in the window, with served performance', async () => {
    const clock = manualClock(T0 - 10 * DAY);
    const { store } = kind.open(clock);
    const scout = scoutWith(
      store,
      clock,
      { 'old/champion': 1, 'org/a': 0.6, 'org/b': 0.8, 'org/c@r1': 0.7, 'org/c@r2': 0.5 },
      { models: ['org/a', 'org/b'] },
    );
    await evaluateAt(scout, clock, T0 - 10 * DAY, ['old/champion']);
    await evaluateAt(scout, clock, T0 - 3 * DAY, ['org/a', 'org/b']);
    await evaluateAt(scout, clock, T0 - 2 * DAY, [{ id: 'org/c', revision: 'r1' }]);
    clock.set(T0 - DAY);
    const improved = scoutWith(store, clock, { 'org/a': 0.9, 'org/b': 1, 'org/c@r2': 0.5 });
    await evaluateAt(improved, clock, T0 - DAY, ['org/a', { id: 'org/c', revision: 'r2' }]);
    await evaluateAt(improved, clock, T0 - DAY, ['org/b'], 'imdb');

    clock.set(T0 - HOUR);
    for (let index = 0; index < 10; index++) {
      await scout.recordOutcome({ modelId: 'org/a', success: index !== 0, latencyMs: 100 });
      await scout.recordOutcome({ modelId: 'org/b', success: index % 2 === 0, latencyMs: 50 });
    }
    clock.set(T0);

    const rows = await scout.history.bestModels({ task: 'text-classification' });
    expect(rows.map((row) => [row.rank, row.modelId, row.revision, row.quality.value])).toEqual([
      [1, 'org/b', undefined, 1],
      [2, 'org/a', undefined, 0.9],
      [3, 'org/c', 'r1', 0.7],
      [4, 'org/c', 'r2', 0.5],
    ]);
    const orgA = rows[1]!;
    expect(orgA.evaluatedAt).toBe(T0 - DAY);
    expect(orgA.evaluation).toMatchObject({ modelId: 'org/a', dataset: 'sst', samples: 40 });
    expect(orgA.quality.lower).toBeLessThan(0.9);
    expect(orgA.served).toMatchObject({ count: 10, failures: 1, successRate: 0.9, meanLatencyMs: 100 });
    expect(orgA.served.p95LatencyMs! / 100).toBeGreaterThan(1 / LATENCY_BIN_RATIO);
    expect(orgA.served.p95LatencyMs! / 100).toBeLessThan(LATENCY_BIN_RATIO);
    expect(rows[2]!.served.count).toBe(0);

    // One dataset only: org/b's latest on it is the older 0.8.
    const onSst = await scout.history.bestModels({ task: 'text-classification', dataset: 'sst' });
    expect(onSst.map((row) => [row.modelId, row.quality.value])).toEqual([
      ['org/a', 0.9],
      ['org/b', 0.8],
      ['org/c', 0.7],
      ['org/c', 0.5],
    ]);
    // A wider window takes in the old champion; a narrower one only the last day's evaluations.
    const month = await scout.history.bestModels({
      task: 'text-classification',
      dataset: 'sst',
      since: '30d',
    });
    expect(month[0]).toMatchObject({ modelId: 'old/champion', evaluatedAt: T0 - 10 * DAY });
    const lastDay = await scout.history.bestModels({ task: 'text-classification', since: '1d' });
    expect(lastDay.map((row) => [row.modelId, row.revision])).toEqual([
      ['org/b', undefined],
      ['org/a', undefined],
      ['org/c', 'r2'],
    ]);
    // A window that ended before the improvements sees the first evaluations.
    const before = await scout.history.bestModels({
      task: 'text-classification',
      since: new Date(T0 - 5 * DAY),
      until: new Date(T0 - 2 * DAY),
    });
    expect(before.map((row) => [row.modelId, row.quality.value])).toEqual([
      ['org/b', 0.8],
      ['org/c', 0.7],
      ['org/a', 0.6],
    ]);
    // Other rankings, and a limit.
    const bySuccess = await scout.history.bestModels({ task: 'text-classification', by: 'successRate' });
    expect(bySuccess.map((row) => `${row.modelId}${row.revision ? `@${row.revision}` : ''}`)).toEqual([
      'org/a',
      'org/b',
      'org/c@r1',
      'org/c@r2',
    ]);
    const top = await scout.history.bestModels({
      task: 'text-classification',
      by: 'qualityLowerBound',
      limit: 2,
    });
    expect(top.map((row) => row.modelId)).toEqual(['org/b', 'org/a']);
    expect(await scout.history.bestModels({ task: 'text-generation' })).toEqual([]);
  });
});

describe.each(kinds)('history.bestModels: ties ($name store)', (kind) => {
  test('of two evaluations of one time, every store keeps the same one, whatever order they were written in', async () => {
    for (const order of [
      ['b-data', 'a-data'],
      ['a-data', 'b-data'],
    ]) {
      const clock = manualClock(T0 - DAY);
      const { store } = kind.open(clock);
      // The clock does not move: both evaluations of org/a have one time.
      const qualities: Record<string, number> = { 'a-data': 0.9, 'b-data': 0.5 };
      for (const dataset of order) {
        const scout = scoutWith(store, clock, { 'org/a': qualities[dataset]! });
        await evaluateAt(scout, clock, T0 - DAY, ['org/a'], dataset);
      }
      clock.set(T0);
      const rows = await scoutWith(store, clock, {}).history.bestModels({ task: 'text-classification' });
      expect(
        rows.map((row) => [row.evaluation.dataset, row.quality.value]),
        order.join(),
      ).toEqual([['b-data', 0.5]]);
    }
  });
});

describe('history.bestModels: unknown qualities', () => {
  test('the latest evaluation ranks even when its quality is NaN or has no interval (last), not an older one', async () => {
    const clock = manualClock(T0 - 2 * DAY);
    const store = memoryStore({ clock });
    const scout = scoutWith(store, clock, { 'org/a': 0.9, 'org/b': 0.5 });
    await evaluateAt(scout, clock, T0 - 2 * DAY, ['org/a', 'org/b']);
    const [measured] = await scout.history.evaluations('org/a');
    // Later evaluations whose metric could not be computed (NaN, stored as null), or had no interval.
    const later = (modelId: string, quality: Record<string, unknown>): EvaluationScore =>
      ({
        ...measured!,
        modelId,
        quality: { metric: 'accuracy', ...quality },
        evaluatedAt: new Date(T0 - DAY).toISOString(),
      }) as EvaluationScore;
    await saveEvaluation(
      store,
      'default',
      later('org/a', { value: Number.NaN, lower: Number.NaN, upper: Number.NaN }),
      T0 - DAY,
      10,
    );
    await saveEvaluation(store, 'default', later('org/c', { value: 0.7 }), T0 - DAY, 10);
    clock.set(T0);

    const rows = await scout.history.bestModels({ task: 'text-classification' });
    expect(rows.map((row) => [row.modelId, row.quality.value, row.evaluatedAt])).toEqual([
      ['org/c', 0.7, T0 - DAY],
      ['org/b', 0.5, T0 - 2 * DAY],
      ['org/a', Number.NaN, T0 - DAY],
    ]);
    expect(rows[2]!.evaluation.quality).toBe(rows[2]!.quality);
    const byLowerBound = await scout.history.bestModels({
      task: 'text-classification',
      by: 'qualityLowerBound',
    });
    expect(byLowerBound.map((row) => row.modelId)).toEqual(['org/b', 'org/c', 'org/a']);
  });
});

describe('history queries that delegate', () => {
  test('evaluations and availability read the existing histories', async () => {
    const clock = manualClock(T0);
    const store = memoryStore({ clock });
    const scout = scoutWith(store, clock, { 'org/c@r1': 0.5, 'org/c@r2': 0.75 });
    await evaluateAt(scout, clock, T0, [{ id: 'org/c', revision: 'r1' }]);
    await evaluateAt(scout, clock, T0 + 1, [{ id: 'org/c', revision: 'r2' }]);
    expect(await scout.history.evaluations('org/c')).toEqual(await scout.getEvaluationHistory('org/c'));
    const second = await scout.history.evaluations('org/c', { revision: 'r2' });
    expect(second.map((score) => [score.revision, score.quality.value])).toEqual([['r2', 0.75]]);
    await saveAvailability(store, 'default', {
      modelId: 'org/c',
      checkedAt: T0,
      available: true,
      latencyMs: 3,
    });
    expect(await scout.history.availability('org/c')).toEqual([
      { modelId: 'org/c', checkedAt: T0, available: true, latencyMs: 3 },
    ]);
  });
});

describe('history retention', () => {
  /** One record of each kind at the clock's time (outcome log chunk included). */
  async function recordEverything(scout: Scout, store: Store, clock: ManualClock): Promise<void> {
    await scout.recordOutcome({ modelId: 'org/a', success: true, latencyMs: 10 });
    await scout.evaluate({
      candidates: ['org/a'],
      data: { task: 'text-classification', examples: EXAMPLES },
    });
    await saveAvailability(store, 'default', {
      modelId: 'org/a',
      checkedAt: clock.now(),
      available: true,
      latencyMs: 1,
    });
    await scout.flush();
  }

  async function countRecords(scout: Scout): Promise<Record<string, number>> {
    const window = { since: 0 };
    return {
      performance: (await scout.history.performance('org/a', window)).count,
      outcomes: (await scout.history.outcomes(window)).length,
      evaluations: (await scout.history.evaluations('org/a')).length,
      availability: (await scout.history.availability('org/a')).length,
    };
  }

  test('prune removes only what is older than the cut-off, of every kind', async () => {
    const clock = manualClock(T0 - 40 * DAY);
    const store = memoryStore({ clock });
    const scout = scoutWith(
      store,
      clock,
      { 'org/a': 1 },
      {
        models: ['org/a'],
        // Chunks expire on their own after the retention: keep them for a year to see prune work.
        history: { outcomeLog: true, retentionMs: 365 * DAY },
      },
    );
    await recordEverything(scout, store, clock);
    clock.set(T0 - 29 * DAY);
    await recordEverything(scout, store, clock);
    clock.set(T0);
    expect(await countRecords(scout)).toEqual({
      performance: 2,
      outcomes: 2,
      evaluations: 2,
      availability: 2,
    });

    const pruned = await scout.history.prune({ olderThan: '30d' });
    expect(pruned).toEqual({
      olderThan: T0 - 30 * DAY,
      evaluations: 1,
      availability: 1,
      performance: 1,
      outcomes: 1,
    });
    expect(await countRecords(scout)).toEqual({
      performance: 1,
      outcomes: 1,
      evaluations: 1,
      availability: 1,
    });
    // The statistics and the model's other records are not history: they stay.
    const selected = await createScout({ store, clock }).selectOptimal({ candidates: ['org/a'] });
    expect(selected.estimates[0]!.pulls).toBe(2);
    expect(await scout.history.prune({ olderThan: T0 - 30 * DAY })).toMatchObject({
      evaluations: 0,
      availability: 0,
      performance: 0,
      outcomes: 0,
    });
    // By default, what is older than the retention (a year here): nothing.
    expect(await scout.history.prune()).toMatchObject({ olderThan: T0 - 365 * DAY, performance: 0 });
    const aborted = new AbortController();
    aborted.abort(new Error('stop'));
    await expect(scout.history.prune({ signal: aborted.signal })).rejects.toThrow('stop');
  });

  test('prune keeps a performance bucket that holds outcomes after the cut-off', async () => {
    const clock = manualClock(T0);
    const store = memoryStore({ clock });
    const scout = createScout({ seed: 1, store, clock, models: ['org/a'], history: { bucketMs: HOUR } });
    clock.set(T0 + 50 * 60_000); // in the bucket [T0, T0 + 1 h)
    await scout.recordOutcome({ modelId: 'org/a', success: true });
    clock.set(T0 + DAY);
    // The outcome is 20 minutes newer than the cut-off: it stays, and so does its bucket.
    expect(await scout.history.prune({ olderThan: T0 + 30 * 60_000 })).toMatchObject({ performance: 0 });
    expect((await scout.history.performance('org/a', { since: T0 + 30 * 60_000 })).count).toBe(1);
    expect(await scout.history.prune({ olderThan: T0 + HOUR - 1 })).toMatchObject({ performance: 0 });
    // Once the whole bucket is older than the cut-off, it goes.
    expect(await scout.history.prune({ olderThan: T0 + HOUR })).toMatchObject({ performance: 1 });
    expect((await scout.history.performance('org/a', { since: 0 })).count).toBe(0);
  });

  test("the lifecycle's retention job prunes the new records, with the history's retention by default", async () => {
    for (const upkeep of [undefined, { historyRetentionMs: 20 * DAY }]) {
      const clock = manualClock(T0 - 15 * DAY);
      const store = memoryStore({ clock });
      const scout = scoutWith(
        store,
        clock,
        { 'org/a': 1 },
        {
          models: ['org/a'],
          history: { outcomeLog: true, retentionMs: 10 * DAY },
          lifecycle: upkeep === undefined ? {} : { upkeep },
        },
      );
      await recordEverything(scout, store, clock);
      clock.set(T0);
      await recordEverything(scout, store, clock);
      const pruned = new Promise<HistoryPrunedEvent>((resolve) =>
        scout.lifecycle.events.once('history_pruned', resolve),
      );
      await scout.lifecycle.scheduler.runNow('retention');
      const event = await pruned;
      if (upkeep === undefined) {
        expect(event).toMatchObject({
          olderThan: T0 - 10 * DAY,
          evaluations: 1,
          availability: 1,
          performance: 1,
          // The old chunk had already expired (its time to live is the retention).
          outcomes: 0,
        });
        expect(await countRecords(scout)).toEqual({
          performance: 1,
          outcomes: 1,
          evaluations: 1,
          availability: 1,
        });
      } else {
        expect(event).toMatchObject({ olderThan: T0 - 20 * DAY, evaluations: 0, performance: 0 });
        expect((await countRecords(scout)).performance).toBe(2);
      }
      await scout.close();
    }
  });
});

describe('history: validation', () => {
  test('createScout rejects invalid history options with typed errors', () => {
    const cases: [unknown, string][] = [
      ['yes', 'options.history'],
      [{ unknown: 1 }, 'options.history.unknown'],
      [{ bucketMs: 999 }, 'options.history.bucketMs'],
      [{ bucketMs: 1500.5 }, 'options.history.bucketMs'],
      [{ outcomeLog: 'true' }, 'options.history.outcomeLog'],
      [{ performance: 1 }, 'options.history.performance'],
      [{ modelRecords: null }, 'options.history.modelRecords'],
      [{ outcomeLogChunkSize: 0 }, 'options.history.outcomeLogChunkSize'],
      [{ outcomeLogFlushIntervalMs: -1 }, 'options.history.outcomeLogFlushIntervalMs'],
      [{ retentionMs: 0 }, 'options.history.retentionMs'],
      [{ windowMs: Number.NaN }, 'options.history.windowMs'],
    ];
    for (const [history, argument] of cases) {
      let caught: unknown;
      try {
        createScout({ history: history as never });
      } catch (error) {
        caught = error;
      }
      expect(InvalidArgumentError.isInstance(caught), JSON.stringify(history)).toBe(true);
      expect((caught as InvalidArgumentError).argument).toBe(argument);
    }
  });

  test('the defaults are one frozen object, and what a scout uses unless told otherwise', () => {
    expect(Object.isFrozen(HISTORY_DEFAULTS)).toBe(true);
    expect(createScout().history.options).toEqual(HISTORY_DEFAULTS);
    expect(createScout({ history: { bucketMs: 60_000 } }).history.options).toEqual({
      ...HISTORY_DEFAULTS,
      bucketMs: 60_000,
    });
  });

  test('an option given as undefined takes its default, as a host passing on its own settings does', () => {
    const settings: { bucketMs?: number; retentionMs?: number } = {};
    const history = { bucketMs: settings.bucketMs, outcomeLog: undefined, retentionMs: settings.retentionMs };
    expect(createScout({ history }).history.options).toEqual(HISTORY_DEFAULTS);
  });

  test('queries reject malformed arguments with typed errors naming them', async () => {
    const { history } = createScout({ clock: manualClock(T0) });
    const cases: [() => Promise<unknown>, string][] = [
      [() => history.bestModels(undefined as never), 'query'],
      [() => history.bestModels({} as never), 'query.task'],
      [() => history.bestModels({ task: 'text-classification', by: 'speed' as never }), 'query.by'],
      [() => history.bestModels({ task: 'text-classification', limit: 0 }), 'query.limit'],
      [() => history.bestModels({ task: 'text-classification', dataset: '' }), 'query.dataset'],
      [() => history.bestModels({ task: 'text-classification', since: 'a week' as never }), 'query.since'],
      [() => history.bestModels({ task: 'text-classification', since: T0 + 1 }), 'query.since'],
      [() => history.bestModels({ task: 'text-classification', sort: 1 } as never), 'query.sort'],
      [() => history.performance(''), 'modelId'],
      [() => history.performance('m', { until: '1d' as never }), 'options.until'],
      [() => history.latencyTrend('m', { bucketMs: 0 }), 'options.bucketMs'],
      [() => history.outcomes({ limit: 1.5 }), 'query.limit'],
      [() => history.outcomes({ modelId: 3 as never }), 'query.modelId'],
      [() => history.models({ task: 5 as never }), 'query.task'],
      [() => history.model(undefined as never), 'id'],
      [() => history.availability(''), 'modelId'],
      [() => history.evaluations('m', { revision: 1 as never }), 'options.revision'],
      [() => history.prune({ olderThan: 'soon' as never }), 'options.olderThan'],
      [() => history.prune({ signal: 'stop' as never }), 'options.signal'],
    ];
    for (const [call, argument] of cases) {
      const error = await call().then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(InvalidArgumentError.isInstance(error), argument).toBe(true);
      expect((error as InvalidArgumentError).argument).toBe(argument);
    }
  });
});
