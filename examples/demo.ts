/**
 * modelscout demo: the whole job, offline, on the model zoo bundled in examples/models.
 *
 * 1. starts the local hub (a Hugging Face–compatible mirror) over examples/models;
 * 2. discovers the sentiment classifiers through `huggingFace({ hubUrl })` and `localDirectory()`;
 * 3. evaluates them with racing on a bundled sample of labeled sentences (examples/data);
 * 4. chooses one with `selectOptimal`, warm-started from the evaluation;
 * 5. serves a stream of requests with fallbacks and circuit breakers (the models are downloaded
 *    from the hub into a fresh Hugging Face cache and loaded once), learning from every outcome,
 *    through a simulated outage of the chosen model;
 * 6. keeps what it learned in the embedded SQLite store (.modelscout/demo.sqlite);
 * 7. writes the HTML report and prints a summary.
 *
 *   npm run demo                                   # offline, on the bundled zoo
 *   npm run demo -- --hub https://huggingface.co   # the same on the real Hub (needs network)
 */
import { mkdirSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  createLocalHub,
  createScout,
  huggingFace,
  type LocalHub,
  localDirectory,
  type ModelProvider,
  readLabeledData,
  recordLearningCurve,
  runWithFallback,
  transformersJsRunner,
  writeReport,
} from 'modelscout';

const { values: flags } = parseArgs({
  options: {
    hub: { type: 'string' },
    requests: { type: 'string', default: '300' },
    report: { type: 'string', default: 'build/demo-report.html' },
  },
});
const REQUESTS = Number(flags.requests);
const TASK = 'text-classification';
const LABELS = ['NEGATIVE', 'POSITIVE'];
const zoo = fileURLToPath(new URL('./models', import.meta.url));
const sample = fileURLToPath(new URL('./data/sst2-sample.tsv', import.meta.url));
const started = performance.now();
const seconds = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;

// Labeled sentences: the first 300 to evaluate on, the rest to serve.
const { examples: rows } = await readLabeledData({ file: sample, labelNames: LABELS });
const evaluationRows = rows.slice(0, 300);
const servedRows = rows.slice(300);

// 1. The hub: the local mirror over the zoo, unless --hub names another (e.g. the real Hub).
let hub: LocalHub | undefined;
let hubUrl = flags.hub;
if (hubUrl === undefined) {
  hub = await createLocalHub({ root: zoo, port: 0 });
  hubUrl = hub.url;
  console.log(`1. local hub: serving ${path.relative(process.cwd(), zoo)} at ${hubUrl}`);
} else {
  console.log(`1. hub: ${hubUrl}`);
}

const storePath = path.resolve('.modelscout', 'demo.sqlite');
mkdirSync(path.dirname(storePath), { recursive: true });
for (const suffix of ['', '-wal', '-shm']) rmSync(`${storePath}${suffix}`, { force: true });
const cacheDirectory = await mkdtemp(path.join(tmpdir(), 'modelscout-demo-cache-'));

try {
  const providers: ModelProvider[] = [huggingFace({ hubUrl })];
  if (flags.hub === undefined) providers.push(localDirectory({ root: zoo }));
  const scout = createScout({
    seed: 2026,
    path: storePath,
    providers,
    runners: [transformersJsRunner({ hubUrl })],
    lifecycle: {
      download: { hubUrl, cacheDirectory, offline: false },
      registry: { maxModels: 4, maxMemoryBytes: 1024 ** 3 },
      // A short cool-down, so that the demo shows the circuit closing again within its few seconds.
      circuitBreaker: { consecutiveFailureThreshold: 3, coolDownMs: 200 },
    },
  });

  // 2. Discover.
  // On the real Hub, only models transformers.js can run (ONNX weights) are candidates.
  const found = await scout.discover({
    task: TASK,
    text: 'sst2',
    limit: 3,
    ...(flags.hub === undefined ? {} : { library: 'transformers.js' }),
  });
  const listed = found.providers.map((summary) => `${summary.provider} ${summary.count}`).join(', ');
  console.log(`2. discover: listed ${listed}; sentiment candidates:`);
  for (const candidate of found.candidates) {
    console.log(
      `   - ${candidate.id} (found by ${(candidate.providers ?? [candidate.provider]).join(' + ')})`,
    );
  }
  if (found.candidates.length === 0) throw new Error('no candidates found');

  // 3. Evaluate with racing: clearly worse models stop early.
  const scores = await scout.evaluate(
    {
      candidates: found.candidates,
      data: { task: TASK, examples: evaluationRows },
      race: { minSamples: 100, roundSize: 50 },
    },
    { warmStart: true },
  );
  console.log(`3. evaluate (racing) on ${evaluationRows.length} labeled sentences:`);
  for (const score of scores) {
    const { quality, latencyMs } = score;
    console.log(
      `   - ${score.modelId.padEnd(32)} ${quality.metric} ${quality.value.toFixed(3)} [${quality.lower.toFixed(3)}, ${quality.upper.toFixed(3)}]  p50 ${latencyMs.p50.toFixed(2)} ms  ${String(score.samples).padStart(3)} samples (${score.stopReason})`,
    );
  }

  // 4. Select: warm-started from the evaluation, fast answers preferred a little.
  const ids = found.candidates.map((candidate) => candidate.id);
  const objective = { quality: 1, latencyMs: 0.001 };
  const first = await scout.selectOptimal({ candidates: ids, objective, fallbacks: 2 });
  console.log(`4. selectOptimal: ${first.explanation.summary}`);

  // 5. Serve: each request goes to the selected model, with the others as fallbacks. Feedback
  // (was the answer right?) is known here because the sample is labeled. A third of the way in,
  // the model serving then has an outage for 40 requests: after 3 failures its circuit opens,
  // the fallbacks serve; after the cool-down, a half-open probe lets it back if the selector
  // still offers it (it has also learned that the model failed, so it may not).
  const recorder = recordLearningCurve(scout.events);
  const { lifecycle } = scout;
  const served = new Map<string, number>();
  let correct = 0;
  let outageFailures = 0;
  let circuitsOpened = 0;
  let circuitsClosed = 0;
  lifecycle.events.on('circuit_opened', () => circuitsOpened++);
  lifecycle.events.on('circuit_closed', () => circuitsClosed++);
  const outage = { modelId: '', from: Math.floor(REQUESTS / 3), to: Math.floor(REQUESTS / 3) + 40 };
  const stream = Array.from({ length: REQUESTS }, (_, index) => servedRows[index % servedRows.length]!);
  for (const [index, { input, label }] of stream.entries()) {
    const selected = await scout.selectOptimal({ candidates: ids, objective, fallbacks: 2 });
    if (index === outage.from) outage.modelId = selected.primary.id;
    let answerWasRight = false;
    const { result, candidate } = await runWithFallback(
      selected,
      async (model, { signal }) => {
        if (model.id === outage.modelId && index >= outage.from && index < outage.to) {
          outageFailures++;
          throw new Error('simulated outage');
        }
        const prediction = await lifecycle.registry.use(
          model,
          { task: TASK, dtype: 'q8', signal },
          async (loaded) => (await loaded.predict([input], { signal }))[0]?.output,
        );
        answerWasRight = prediction === label;
        return prediction;
      },
      {
        circuitBreakers: lifecycle.circuitBreakers,
        // Every attempt is learned: a failure as such, a served answer by whether it was right.
        recordOutcome: (outcome) =>
          scout.recordOutcome(
            outcome.success === true ? { ...outcome, quality: answerWasRight ? 1 : 0 } : outcome,
          ),
      },
    );
    if (result === label) correct++;
    served.set(candidate.id, (served.get(candidate.id) ?? 0) + 1);
  }
  recorder.stop();
  const shares = [...served].map(([id, count]) => `${id} ${count}`).join(', ');
  console.log(
    `5. served ${REQUESTS} requests: ${((correct / REQUESTS) * 100).toFixed(1)} % right; served by ${shares}; ` +
      `outage of ${outage.modelId} (requests ${outage.from}–${outage.to - 1}): ${outageFailures} failed attempts, ` +
      `circuit opened ${circuitsOpened}×, closed again ${circuitsClosed}×; every request answered`,
  );

  // 6. Persisted: a restarted process reads it back from the SQLite file.
  await scout.close();
  const restarted = createScout({ seed: 1, path: storePath });
  const remembered = await restarted.selectOptimal({ candidates: ids, objective });
  const outcomes = remembered.estimates.reduce((sum, estimate) => sum + estimate.pulls, 0);
  console.log(
    `6. store: ${path.relative(process.cwd(), storePath)} holds ${outcomes.toFixed(0)} outcomes (evaluation warm start + serving); ` +
      `a restarted scout chooses ${remembered.primary.id}`,
  );
  await restarted.close();

  // 7. Report.
  const reportPath = await writeReport(flags.report, {
    title: 'modelscout demo: SST-2 sentiment classifiers',
    description:
      `Discovered on ${hubUrl}, raced on ${evaluationRows.length} labeled sentences, then chosen per ` +
      `request for ${REQUESTS} more (with an outage of ${outage.modelId}).`,
    dataset: `SST-2 sample (${evaluationRows.length} rows)`,
    scores,
    learningCurve: recorder.observations,
  });
  console.log(`7. report: ${reportPath}`);
  console.log(`\ndone in ${seconds()}`);
} finally {
  await hub?.close();
  await rm(cacheDirectory, { recursive: true, force: true });
}
