// Evaluate the zoo's sentiment models on labeled data, race them, and warm-start selection from
// what was measured. Offline, with the bundled 500-row SST-2 sample; npx tsx examples/evaluation.ts
import { fileURLToPath } from 'node:url';
import {
  createLocalHub,
  createScout,
  localDirectory,
  readLabeledData,
  transformersJsRunner,
} from 'modelscout';

const zoo = fileURLToPath(new URL('./models', import.meta.url));
const sample = fileURLToPath(new URL('./data/sst2-sample.tsv', import.meta.url));
const LABELS = ['NEGATIVE', 'POSITIVE'];
const { examples } = await readLabeledData({ file: sample, labelNames: LABELS });

const hub = await createLocalHub({ root: zoo, port: 0 });
try {
  const scout = createScout({
    seed: 11,
    providers: [localDirectory({ root: zoo })],
    // transformers.js downloads from the local hub, as it would from huggingface.co.
    runners: [transformersJsRunner({ hubUrl: hub.url })],
  });
  scout.events.on('candidate_eliminated', ({ modelId, leader, samples, reason }) =>
    console.log(`  ${modelId}: ${reason} after ${samples} samples (leader ${leader})`),
  );

  const { candidates } = await scout.discover({ task: 'text-classification', text: 'sst2' });
  console.log(`Racing ${candidates.length} SST-2 models on ${examples.length} labeled rows:`);
  const scores = await scout.evaluate(
    {
      candidates,
      data: { task: 'text-classification', examples },
      race: { minSamples: 100, roundSize: 50 },
      batchSize: 16,
    },
    { warmStart: true },
  );
  for (const score of scores) {
    const { metric, value, lower, upper } = score.quality;
    console.log(
      `- ${score.modelId}: ${metric} ${value.toFixed(3)} [${lower.toFixed(3)}, ${upper.toFixed(3)}],`,
      `macro-F1 ${score.metrics['macro-f1']?.toFixed(3)}, ECE ${score.metrics.ece?.toFixed(3)},`,
      `p50 ${score.latencyMs.p50.toFixed(2)} ms, ${score.throughput.toFixed(0)} items/s,`,
      `${score.samples} samples${score.partial ? ` (stopped: ${score.stopReason})` : ''}`,
    );
  }

  // The measured successes and failures are priors now: selection starts from them.
  const selected = await scout.selectOptimal({ candidates: scores.map((score) => score.modelId) });
  // Thompson sampling still explores: close models each get some requests until outcomes decide.
  console.log(`selectOptimal → ${selected.primary.id}: ${selected.explanation.summary}`);
  const history = await scout.getEvaluationHistory(scores[0]!.modelId);
  console.log(`history of ${scores[0]!.modelId}: ${history.length} evaluation(s) stored`);
} finally {
  await hub.close();
}
