// Requirements from a YAML file: load and validate it, look at the typed result, and choose a model
// for each task with it (discovering the bundled zoo where the file asks for discovery). Offline;
// npx tsx examples/requirements.ts
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ConfigurationError,
  createScout,
  loadRequirements,
  localDirectory,
  parseRequirements,
  toSelectionRequest,
} from 'modelscout';

const file = fileURLToPath(new URL('./requirements.yaml', import.meta.url));
const requirements = await loadRequirements(file);

console.log(`${Object.keys(requirements.tasks).length} tasks in ${relative(process.cwd(), file)}:`);
for (const task of Object.values(requirements.tasks)) {
  console.log(`- ${task.name} (${task.task}, ${task.modality}): ${task.description ?? ''}`);
  console.log(`    requirements: ${JSON.stringify(task.requirements)}`);
  if (task.candidates.length > 0) console.log(`    candidates: ${task.candidates.join(', ')}`);
  if (task.discover) console.log(`    discover: ${JSON.stringify(task.discover)}`);
}

const zoo = fileURLToPath(new URL('./models', import.meta.url));
const scout = createScout({ seed: 7, providers: [localDirectory({ root: zoo })] });
try {
  console.log('\nSelections:');
  for (const task of Object.values(requirements.tasks)) {
    const found = task.discover ? (await scout.discover(task.discover)).candidates : [];
    const selected = await scout.selectOptimal(toSelectionRequest(task, [...task.candidates, ...found]));
    console.log(
      `- ${task.name}: ${selected.primary.id}`,
      `(fallbacks: ${selected.fallbacks.map((model) => model.id).join(', ') || 'none'})`,
    );
    if (selected.ensemble)
      console.log(`    ensemble: ${selected.ensemble.map((model) => model.id).join(', ')}`);
    for (const rejection of selected.explanation.rejections) {
      console.log(`    removed by ${rejection.constraint}: ${rejection.detail}`);
    }
  }
} finally {
  await scout.close();
}

// A file with mistakes: every problem is reported with its line and column, and a suggestion.
const broken = `version: 1
tasks:
  review-sentiment:
    task: text-clasification
    limts:
      maxSizeBytes: 3 MB
  support-assistant:
    task: text-generation
    limits: { minParameters: 8B, maxParameters: 3B }
`;
try {
  parseRequirements(broken, { file: 'broken.yaml' });
} catch (error) {
  if (!ConfigurationError.isInstance(error)) throw error;
  console.log(`\n${error.message}`);
}
