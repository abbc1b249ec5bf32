// npm run bench: builds the package, compiles the benchmarks against the built `dist/` (as a user
// would run it), and prints medians and ratios to their targets. Exits non-zero when one is missed.
//
//   REGRET_HORIZON=10000 REGRET_SEEDS=5 npm run bench   # a quicker regret run
//   BENCH_ONLY=evaluation,search npm run bench          # only some sections
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runEvaluationBenchmark } from './evaluation.js';
import { runLearningBenchmark } from './learning.js';
import { runLifecycleBenchmark } from './lifecycle.js';
import { runListingBenchmark } from './listing.js';
import { information, verdict } from './measure.js';
import { checkRegretTargets, formatRegretTable, runRegretBenchmark } from './regret.js';
import { runSearchBenchmark } from './search.js';
import type { SpeedMeasurement } from './selection-speed.js';
import { runStorageBenchmark } from './storage.js';

function positiveInteger(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
}

const SECTIONS = [
  'speed',
  'learning',
  'regret',
  'search',
  'listing',
  'evaluation',
  'lifecycle',
  'storage',
] as const;
const only = process.env.BENCH_ONLY?.split(',')
  .map((name) => name.trim())
  .filter((name) => name !== '');
for (const name of only ?? []) {
  if (!(SECTIONS as readonly string[]).includes(name)) {
    throw new Error(`BENCH_ONLY: unknown section ${name} (sections: ${SECTIONS.join(', ')})`);
  }
}
const selected = (name: (typeof SECTIONS)[number]) => only === undefined || only.includes(name);

let failures = 0;
console.log(`modelscout benchmarks — node ${process.version}, ${new Date().toISOString()}\n`);

if (selected('speed')) {
  // Microbenchmarks on a JIT vary from process to process (code placement, inlining), more than
  // within one: measure in several fresh processes and report the median of their medians.
  const processes = positiveInteger('SPEED_PROCESSES', 5);
  console.log(
    `== Selection speed (in-memory store): median over ${processes} processes of each process's median over batches`,
  );
  const runs: SpeedMeasurement[][] = [];
  for (let run = 0; run < processes; run++) {
    const script = fileURLToPath(new URL('./speed-process.js', import.meta.url));
    runs.push(
      JSON.parse(execFileSync(process.execPath, [script], { encoding: 'utf8' })) as SpeedMeasurement[],
    );
  }
  for (const [index, first] of runs[0]!.entries()) {
    const values = runs
      .map((measurements) => measurements[index]!.microseconds)
      .sort((left, right) => left - right);
    const middle = values[Math.floor(values.length / 2)]!;
    const range = ` (range ${values[0]!.toFixed(2)}–${values.at(-1)!.toFixed(2)})`;
    if (first.target === undefined) console.log(information(first.label, middle, 'µs') + range);
    else {
      console.log(verdict(first.label, middle, first.target, 'µs') + range);
      if (middle > first.target) failures++;
    }
  }
}

if (selected('learning')) {
  console.log(
    '\n== Learning quality: contextual and change-point worlds (createSelector, Thompson sampling)',
  );
  const learning = await runLearningBenchmark(positiveInteger('LEARNING_SEEDS', 20));
  for (const line of learning.lines) console.log(line);
  failures += learning.failures;
}

if (selected('regret')) {
  const horizon = positiveInteger('REGRET_HORIZON', 100_000);
  const seeds = positiveInteger('REGRET_SEEDS', 20);
  console.log(
    `\n== Regret: Chapelle & Li (2011) Bernoulli testbed, K = 10, best arm 0.5, others 0.5 − ε, T = ${horizon}, ${seeds} seeds`,
  );
  const results = runRegretBenchmark({ horizon, seeds });
  console.log(formatRegretTable(results));
  const regret = checkRegretTargets(results);
  for (const line of regret.lines) console.log(line);
  failures += regret.passed ? 0 : 1;
}

if (selected('search')) {
  console.log('\n== Discovery search over 100,000 candidates (issue 3: p95 ≤ 10 ms per query)');
  const search = await runSearchBenchmark();
  for (const line of search.lines) console.log(line);
  failures += search.failures;
}

if (selected('listing')) {
  console.log('\n== Discovery listing: 2,000 models from a local hub through huggingFace() (issue 3)');
  const listing = await runListingBenchmark();
  for (const line of listing.lines) console.log(line);
  failures += listing.failures;
}

if (selected('evaluation')) {
  console.log(
    "\n== Evaluation: the zoo's SST-2 classifiers through transformersJsRunner() (issue: evaluation)",
  );
  const evaluation = await runEvaluationBenchmark({ runs: positiveInteger('EVALUATION_RUNS', 5) });
  for (const line of evaluation.lines) console.log(line);
  failures += evaluation.failures;
}

if (selected('lifecycle')) {
  console.log('\n== Lifecycle: the loaded-model registry on the zoo (issue 5)');
  const lifecycle = await runLifecycleBenchmark();
  for (const line of lifecycle.lines) console.log(line);
  failures += lifecycle.failures;
}

if (selected('storage')) {
  console.log('\n== Storage: the embedded SQLite store and Redis on loopback (issue 6)');
  const storage = await runStorageBenchmark();
  for (const line of storage.lines) console.log(line);
  failures += storage.failures;
}

console.log(`\n${failures === 0 ? 'all targets met' : `${failures} target(s) missed`}`);
if (failures > 0) process.exitCode = 1;
