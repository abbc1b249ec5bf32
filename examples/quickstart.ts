// The README's quickstart, runnable: npx tsx examples/quickstart.ts
import { createScout } from 'modelscout';

const scout = createScout({ seed: 42 });
const candidates = ['gpt-large', 'llama-small', 'mistral-medium'];
const context = { taskType: 'json-extraction' }; // statistics are kept per context
const objective = { quality: 1, latencyMs: 0.0002, costUsd: 10 }; // the utility to maximize

const selected = await scout.selectOptimal({ candidates, context, objective });
console.log(
  selected.primary.id,
  selected.fallbacks.map((model) => model.id),
);
console.log(selected.explanation.summary);

// ... call the model, then say how it went:
const outcome = { success: true, latencyMs: 840, costUsd: 0.002 };
await scout.recordOutcome({ modelId: selected.primary.id, context, ...outcome });
