// Evaluate the zoo's SST-2 sentiment models on a small labeled sample, serve more sentences with
// selectOptimal/recordOutcome while recording the selector's learning curve, and write the
// self-contained HTML report (no network: the local hub serves the bundled zoo).
//   npx tsx examples/report.ts [output.html]     (default: build/report.html)
import { fileURLToPath } from 'node:url';
import {
  createLocalHub,
  createScout,
  type LoadedModel,
  localDirectory,
  readLabeledData,
  recordLearningCurve,
  transformersJsRunner,
  writeReport,
} from 'modelscout';

const zoo = fileURLToPath(new URL('./models', import.meta.url));
const sample = fileURLToPath(new URL('./data/sst2-sample.tsv', import.meta.url));
const output = process.argv[2] ?? 'build/report.html';
const EVALUATION_ROWS = 200;
const SERVED_REQUESTS = 300;
const LABELS = ['NEGATIVE', 'POSITIVE'];
const { examples: rows } = await readLabeledData({ file: sample, labelNames: LABELS });
const evaluationRows = rows.slice(0, EVALUATION_ROWS);
const servedRows = rows.slice(EVALUATION_ROWS, EVALUATION_ROWS + SERVED_REQUESTS);

const hub = await createLocalHub({ root: zoo, port: 0 });
const loaded: LoadedModel[] = [];
try {
  const runner = transformersJsRunner({ hubUrl: hub.url });
  const scout = createScout({ seed: 7, providers: [localDirectory({ root: zoo })], runners: [runner] });
  const { candidates } = await scout.discover({ task: 'text-classification', text: 'sst2' });
  console.log(`Evaluating ${candidates.length} SST-2 models on ${evaluationRows.length} labeled rows…`);
  const scores = await scout.evaluate({
    candidates,
    data: { task: 'text-classification', examples: evaluationRows },
    race: { minSamples: 100, roundSize: 50 },
  });

  // Serve the next sentences: the selector chooses a model per request and learns from whether
  // its answer was right. The recorder keeps one observation per outcome for the learning curves.
  const recorder = recordLearningCurve(scout.events);
  const models = new Map<string, LoadedModel>();
  for (const candidate of candidates) {
    const model = await runner.load(candidate, 'text-classification');
    loaded.push(model);
    models.set(candidate.id, model);
  }
  const ids = candidates.map((candidate) => candidate.id);
  for (const { input, label } of servedRows) {
    const { primary } = await scout.selectOptimal({ candidates: ids });
    const started = performance.now();
    const [prediction] = await models.get(primary.id)!.predict([input]);
    const latencyMs = performance.now() - started;
    await scout.recordOutcome({ modelId: primary.id, success: prediction?.output === label, latencyMs });
  }
  recorder.stop();

  const path = await writeReport(output, {
    title: 'SST-2 sentiment models',
    description:
      `The zoo's sentiment classifiers raced on ${evaluationRows.length} rows of the bundled SST-2 sample, ` +
      `then chosen per request by Thompson sampling for ${servedRows.length} more.`,
    dataset: `SST-2 sample (${evaluationRows.length} rows)`,
    scores,
    learningCurve: recorder.observations,
  });
  for (const score of scores) {
    console.log(
      `- ${score.modelId}: ${score.quality.metric} ${score.quality.value.toFixed(3)}, ` +
        `p50 ${score.latencyMs.p50.toFixed(2)} ms, ${score.samples} samples (${score.stopReason})`,
    );
  }
  console.log(`report: ${path}`);
  await scout.close();
} finally {
  for (const model of loaded) await model.dispose();
  await hub.close();
}
