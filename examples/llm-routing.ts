/**
 * LLM routing, simulated: choose among three LLM-like models for a stream of requests of different task
 * types, learning quality, latency and cost from outcomes. No network; everything is simulated
 * from a seeded random source so the output is reproducible. What the scout learns is kept in the
 * embedded SQLite store (`createScout({ path })`), so a restarted process carries on from it.
 *
 *   npx tsx examples/llm-routing.ts
 */
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createScout, type ModelCandidate, seededRandom } from 'modelscout';

type TaskType = 'chat' | 'json-extraction' | 'summarization';

/** The hidden truth the scout has to discover: success rate per task type, latency, price. */
const WORLD: Record<string, { success: Record<TaskType, number>; latencyMs: number; costUsd: number }> = {
  'atlas-70b': {
    success: { chat: 0.93, 'json-extraction': 0.9, summarization: 0.94 },
    latencyMs: 2400,
    costUsd: 0.012,
  },
  'swift-8b': {
    success: { chat: 0.86, 'json-extraction': 0.55, summarization: 0.84 },
    latencyMs: 380,
    costUsd: 0.0008,
  },
  'coder-13b': {
    success: { chat: 0.74, 'json-extraction': 0.95, summarization: 0.7 },
    latencyMs: 900,
    costUsd: 0.002,
  },
};
const TASK_TYPES: TaskType[] = ['chat', 'json-extraction', 'summarization'];
const REQUESTS = 6000;

/** What the candidates declare up front (as discovery would find them). */
const candidates: ModelCandidate[] = [
  {
    id: 'atlas-70b',
    tasks: ['text-generation'],
    license: 'apache-2.0',
    family: 'atlas',
    capabilities: ['json-mode'],
  },
  {
    id: 'swift-8b',
    tasks: ['text-generation'],
    license: 'mit',
    family: 'swift',
    capabilities: ['json-mode'],
  },
  {
    id: 'coder-13b',
    tasks: ['text-generation'],
    license: 'apache-2.0',
    family: 'coder',
    capabilities: ['json-mode', 'tools'],
  },
];
/** The host's trade-off: a success is worth 1; a second of latency costs 0.1; a dollar costs 10. */
const objective = { quality: 1, latencyMs: 0.0001, costUsd: 10 };

function utilityOf(model: string, taskType: TaskType): number {
  const truth = WORLD[model]!;
  return (
    objective.quality * truth.success[taskType] -
    objective.latencyMs * truth.latencyMs -
    objective.costUsd * truth.costUsd
  );
}

// The embedded persistent store: one SQLite file, no server. The demo starts from an empty one.
const storePath = path.resolve('.modelscout', 'llm-routing.sqlite');
mkdirSync(path.dirname(storePath), { recursive: true });
for (const suffix of ['', '-wal', '-shm']) rmSync(`${storePath}${suffix}`, { force: true });
const scout = createScout({ seed: 2026, path: storePath });
const world = seededRandom('demo-world');
const choices = new Map<TaskType, Map<string, number>>(TASK_TYPES.map((taskType) => [taskType, new Map()]));
let earned = 0;
let regret = 0;
let explorations = 0;

for (let request = 0; request < REQUESTS; request++) {
  const taskType = TASK_TYPES[Math.floor(world.next() * TASK_TYPES.length)]!;
  const context = { taskType };
  const selected = await scout.selectOptimal({
    candidates,
    context,
    objective,
    constraints: { task: 'text-generation', capabilities: ['json-mode'] },
  });
  const model = selected.primary.id;
  if (selected.explanation.decision === 'explore') explorations++;
  const truth = WORLD[model]!;
  const success = world.next() < truth.success[taskType];
  const latencyMs = truth.latencyMs * (0.7 + 0.6 * world.next());
  await scout.recordOutcome({ modelId: model, context, success, latencyMs, costUsd: truth.costUsd });
  earned += utilityOf(model, taskType);
  const best = Math.max(...Object.keys(WORLD).map((id) => utilityOf(id, taskType)));
  regret += best - utilityOf(model, taskType);
  if (request >= REQUESTS - 1500) {
    const counts = choices.get(taskType)!;
    counts.set(model, (counts.get(model) ?? 0) + 1);
  }
}

console.log(
  `LLM routing: ${REQUESTS} simulated requests, 3 models, 3 task types, objective ${JSON.stringify(objective)}\n`,
);
for (const taskType of TASK_TYPES) {
  const selected = await scout.selectOptimal({ candidates, context: { taskType }, objective });
  const counts = choices.get(taskType)!;
  const total = [...counts.values()].reduce((sum, count) => sum + count, 0);
  const bestId = Object.keys(WORLD).sort(
    (left, right) => utilityOf(right, taskType) - utilityOf(left, taskType),
  )[0];
  console.log(`${taskType}: truly best ${bestId}`);
  console.log(
    `  ${'model'.padEnd(10)} ${'share*'.padStart(7)} ${'quality [95% interval]'.padEnd(24)} ${'latency ms'.padStart(10)} ${'cost $'.padStart(8)} ${'utility'.padStart(8)} ${'outcomes'.padStart(8)}`,
  );
  for (const estimate of selected.estimates) {
    const share = ((counts.get(estimate.id) ?? 0) / Math.max(1, total)) * 100;
    const quality = `${estimate.quality.mean.toFixed(3)} [${estimate.quality.lower.toFixed(3)}, ${estimate.quality.upper.toFixed(3)}]`;
    console.log(
      `  ${estimate.id.padEnd(10)} ${`${share.toFixed(1)}%`.padStart(7)} ${quality.padEnd(24)} ${estimate.latencyMs.mean.toFixed(0).padStart(10)} ${estimate.costUsd.mean.toFixed(4).padStart(8)} ${estimate.utility.toFixed(3).padStart(8)} ${estimate.pulls.toFixed(0).padStart(8)}`,
    );
  }
  console.log(`  → ${selected.explanation.summary}\n`);
}
const alwaysPremium =
  TASK_TYPES.reduce((sum, taskType) => sum + utilityOf('atlas-70b', taskType), 0) / TASK_TYPES.length;
const oracle =
  TASK_TYPES.reduce(
    (sum, taskType) => sum + Math.max(...Object.keys(WORLD).map((id) => utilityOf(id, taskType))),
    0,
  ) / TASK_TYPES.length;
console.log('* share of the last 1,500 requests of that task type');
console.log(
  `mean utility per request: modelscout ${(earned / REQUESTS).toFixed(3)}, always atlas-70b ${alwaysPremium.toFixed(3)}, oracle ${oracle.toFixed(3)}`,
);
console.log(
  `cumulative regret vs the oracle: ${regret.toFixed(1)} over ${REQUESTS} requests (${explorations} exploring choices)`,
);
await scout.close();

// A restarted process: a new scout over the same file knows everything the first one learned.
const restarted = createScout({ seed: 7, path: storePath });
const remembered = await restarted.selectOptimal({ candidates, context: { taskType: 'chat' }, objective });
const outcomes = remembered.estimates.reduce((sum, estimate) => sum + estimate.pulls, 0);
console.log(
  `\nreopened ${path.relative(process.cwd(), storePath)}: ${outcomes.toFixed(0)} chat outcomes remembered, chooses ${remembered.primary.id}`,
);
await restarted.close();
