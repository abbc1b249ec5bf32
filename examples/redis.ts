// A fleet sharing what it learns through Redis: four scouts (standing in for four hosts) record
// outcomes at the same time; each sees the others' learning after a refresh, and the totals are
// exact. Needs a Redis: MODELSCOUT_REDIS_URL, else redis://127.0.0.1:6390 (CI's .ci/run starts
// one there; locally: `redis-server --port 6390 --save ''`). npx tsx examples/redis.ts
import { randomUUID } from 'node:crypto';
import { createScout, redisStore, StoreError } from 'modelscout';

const url = process.env.MODELSCOUT_REDIS_URL || 'redis://127.0.0.1:6390';
const MODELS = ['fast-small', 'slow-large'];
// A prefix of its own, so the example never touches other keys in that Redis (and cleans up).
const prefix = `modelscout-example:${randomUUID()}:`;

const hosts = Array.from({ length: 4 }, (_, host) =>
  createScout({ store: redisStore({ url, prefix }), seed: host, models: MODELS, refreshIntervalMs: 1000 }),
);
try {
  await hosts[0]!.store.readCounters(['ping']);
} catch (error) {
  if (!StoreError.isInstance(error)) throw error;
  console.error(`No Redis at ${url}: ${error.message}`);
  console.error("Start one (e.g. `redis-server --port 6390 --save ''`) or set MODELSCOUT_REDIS_URL.");
  process.exit(1);
}

// Each host serves 2,500 requests, 64 at a time, recording every outcome.
await Promise.all(
  hosts.map(async (scout, host) => {
    let next = 0;
    const loop = async () => {
      while (next < 2_500) {
        const index = next++;
        const modelId = MODELS[(index + host) % 2]!;
        const success = modelId === 'slow-large' ? index % 10 !== 3 : index % 3 !== 0;
        await scout.recordOutcome({ modelId, success, latencyMs: modelId === 'slow-large' ? 900 : 120 });
      }
    };
    await Promise.all(Array.from({ length: 64 }, loop));
  }),
);

// Host 0 picks up what the other three learned (refreshIntervalMs does this every second).
await hosts[0]!.refresh();
const selected = await hosts[0]!.selectOptimal({ candidates: MODELS, objective: { quality: 1 } });
for (const estimate of selected.estimates) {
  console.log(
    `${estimate.id.padEnd(11)} ${estimate.pulls.toFixed(0).padStart(5)} outcomes from 4 hosts, quality ${estimate.quality.mean.toFixed(3)}`,
  );
}
const total = selected.estimates.reduce((sum, estimate) => sum + estimate.pulls, 0);
console.log(`total ${total} of 10000 (${total === 10_000 ? 'exact: no update lost' : 'MISMATCH'})`);
if (total !== 10_000) process.exitCode = 1;

await hosts[0]!.store.clear();
for (const scout of hosts) {
  await scout.close();
  await scout.store.close();
}
