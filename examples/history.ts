// What a scout keeps besides its bandit statistics, and the two questions a dashboard asks of it:
// the best model per task in the last 7 days, and a model's latency trend. Offline and embedded
// (SQLite in a temporary folder), on a simulated clock; npx tsx examples/history.ts
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createScout, functionRunner, manualClock, seededRandom, sqliteStore } from 'modelscout';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const random = seededRandom(7);

// Labeled sentences from templates: "the plot was great", "the acting was not dull", …
const GOOD = ['great', 'gorgeous', 'moving', 'witty', 'superb'];
const BAD = ['dull', 'clumsy', 'tedious', 'bland', 'awful'];
const pick = <T>(values: readonly T[]): T => values[Math.floor(random.next() * values.length)]!;
const examples = Array.from({ length: 200 }, () => {
  const positive = random.next() < 0.5;
  const negated = random.next() < 0.25;
  const word = pick(positive !== negated ? GOOD : BAD);
  return {
    input: `the ${pick(['plot', 'acting', 'score', 'ending'])} was ${negated ? 'not ' : ''}${word}`,
    label: positive ? 'POSITIVE' : 'NEGATIVE',
  };
});

// Three rule-based "models" (and a second revision of one), run by a function runner.
function classify(text: string, modelId: string, revision: string | undefined): string {
  const known = modelId === 'rules/small-lexicon' ? [GOOD.slice(0, 2), BAD.slice(0, 2)] : [GOOD, BAD];
  const word = text.split(' ').at(-1)!;
  let positive = known[0]!.includes(word) || (!known[1]!.includes(word) && word.length % 2 === 0);
  if (modelId === 'rules/negation' && revision !== 'v1' && text.includes(' not ')) positive = !positive;
  return positive ? 'POSITIVE' : 'NEGATIVE';
}
const runner = functionRunner<string, string>({
  predict: (inputs, { modelId, candidate }) =>
    inputs.map((text) => classify(text, modelId, candidate.revision)),
});

const folder = await mkdtemp(join(tmpdir(), 'modelscout-history-'));
const clock = manualClock(Date.UTC(2026, 0, 1)); // simulated time: the example spans nine days
const store = sqliteStore({ path: join(folder, 'modelscout.sqlite'), clock });
try {
  const scout = createScout({ seed: 3, store, clock, runners: [runner], history: { outcomeLog: true } });
  const data = { task: 'text-classification' as const, examples };

  // Nine days before the queries: every model, rules/negation at its first revision.
  await scout.evaluate({
    candidates: ['rules/small-lexicon', 'rules/full-lexicon', { id: 'rules/negation', revision: 'v1' }],
    data,
    datasetId: 'reviews',
  });
  // Two days before, the weekly re-evaluation (rules/small-lexicon was retired: not evaluated).
  clock.advance(7 * DAY);
  await scout.evaluate({
    candidates: ['rules/full-lexicon', { id: 'rules/negation', revision: 'v1' }],
    data,
    datasetId: 'reviews',
  });
  // A day before: the second revision of rules/negation (it handles "not").
  clock.advance(DAY);
  await scout.evaluate({
    candidates: [{ id: 'rules/negation', revision: 'v2' }],
    data,
    datasetId: 'reviews',
  });
  // Then a day of traffic, up to the queries: selection chooses, outcomes come back;
  // rules/negation slows down.
  const candidates = ['rules/small-lexicon', 'rules/full-lexicon', 'rules/negation'];
  const quality: Record<string, number> = {
    'rules/small-lexicon': 0.7,
    'rules/full-lexicon': 0.8,
    'rules/negation': 0.95,
  };
  for (let minute = 0; minute < 24 * 60; minute += 5) {
    const { primary } = await scout.selectOptimal({ candidates });
    const slowdown = primary.id === 'rules/negation' ? 1 + minute / 240 : 1;
    await scout.recordOutcome({
      modelId: primary.id,
      success: random.next() < quality[primary.id]!,
      latencyMs: Math.round((20 + 30 * random.next()) * slowdown * 10) / 10,
    });
    clock.advance(5 * 60_000);
  }
  await scout.flush();

  console.log('Best text-classification models in the last 7 days:');
  for (const row of await scout.history.bestModels({ task: 'text-classification', since: '7d' })) {
    const { rank, modelId, revision, quality: measured, served } = row;
    console.log(
      `${rank}. ${modelId}${revision ? `@${revision}` : ''}: ${measured.metric} ${measured.value.toFixed(3)}`,
      `[${measured.lower.toFixed(3)}, ${measured.upper.toFixed(3)}], served ${served.count} requests,`,
      `success ${served.successRate === undefined ? '-' : `${(100 * served.successRate).toFixed(0)} %`},`,
      `p95 ${served.p95LatencyMs === undefined ? '-' : `${served.p95LatencyMs.toFixed(0)} ms`}`,
    );
  }
  const month = await scout.history.bestModels({ task: 'text-classification', since: '30d' });
  console.log(
    `Over 30 days: ${month.map((row) => row.modelId + (row.revision ? `@${row.revision}` : '')).join(', ')}`,
  );

  console.log('\nLatency of rules/negation over the last 24 hours, per 4 hours:');
  for (const row of await scout.history.latencyTrend('rules/negation', {
    since: '24h',
    bucketMs: 4 * HOUR,
  })) {
    console.log(
      `${new Date(row.start).toISOString().slice(0, 16)}  ${String(row.count).padStart(3)} requests`,
      ` mean ${row.meanMs.toFixed(1).padStart(5)} ms  p50 ${row.p50Ms.toFixed(1).padStart(5)} ms`,
      ` p95 ${row.p95Ms.toFixed(1).padStart(5)} ms`,
    );
  }
  const [latest] = await scout.history.outcomes({ limit: 1 });
  console.log('\nThe newest entry of the outcome log:', latest);
  await scout.close();
} finally {
  await store.close();
  await rm(folder, { recursive: true, force: true });
}
