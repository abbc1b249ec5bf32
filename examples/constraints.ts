// Hard constraints and an objective: npx tsx examples/constraints.ts
import { createScout, type ModelCandidate } from 'modelscout';

const scout = createScout({ seed: 42 });
const candidates: ModelCandidate[] = [
  { id: 'gpt-large', tasks: ['text-generation'], license: 'apache-2.0', pricing: { perRequestUsd: 0.01 } },
  { id: 'llama-small', tasks: ['text-generation'], license: 'llama3' },
  { id: 'mistral-medium', tasks: ['text-generation'], license: 'apache-2.0' },
];
const context = { taskType: 'json-extraction' }; // statistics are kept per context

const selected = await scout.selectOptimal({
  candidates,
  context,
  objective: { quality: 1, latencyMs: 0.0002, costUsd: 10 }, // the utility to maximize
  constraints: { task: 'text-generation', license: { allow: ['permissive'] } },
});
console.log(
  selected.primary.id,
  selected.fallbacks.map((model) => model.id),
);
console.log(selected.explanation.summary); // why, including llama-small removed by the license policy

await scout.recordOutcome({
  modelId: selected.primary.id,
  context,
  success: true,
  latencyMs: 840,
  costUsd: 0.002,
});
