// What happens when the store goes away: learning continues locally, nothing is lost.
// npx tsx examples/store-outage.ts
import { createScout, memoryStore } from 'modelscout';
import { faultyStore } from 'modelscout/testing';

const shared = memoryStore();
const store = faultyStore(shared); // a store we can switch off, standing in for a Redis that restarts
const scout = createScout({ seed: 1, store });
scout.events.on('store_error', ({ error, pendingIncrements }) =>
  console.log(`store_error: ${error.message} (${pendingIncrements} increments queued)`),
);
scout.events.on('store_recovered', () => console.log('store_recovered: queued increments written'));

const candidates = ['model-a', 'model-b'];
await scout.selectOptimal({ candidates });
store.failing = true;
for (let index = 0; index < 3; index++)
  await scout.recordOutcome({ modelId: 'model-a', success: true, latencyMs: 100 });
const during = await scout.selectOptimal({ candidates });
console.log('still selecting during the outage:', during.primary.id);
store.failing = false;
await scout.flush();
const restarted = createScout({ store: shared });
const after = await restarted.selectOptimal({ candidates });
console.log(
  'a fresh process sees',
  after.estimates.find((estimate) => estimate.id === 'model-a')?.pulls,
  'outcomes of model-a',
);
