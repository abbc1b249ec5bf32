// Many processes, one embedded store: four worker processes record outcomes into one SQLite file
// at the same time, and a fresh process (a restart) reads exact totals from it. No server, no
// network; npx tsx examples/storage.ts
//
// With Redis instead of SQLite, only the store changes: see examples/redis.ts.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createScout } from 'modelscout';

const MODELS = ['fast-small', 'slow-large'];
const WORKERS = 4;
const OUTCOMES_PER_WORKER = 1_000;

/** One worker: records its outcomes through its own scout on the shared file, then closes it. */
async function work(path: string, worker: number): Promise<void> {
  const scout = createScout({ path, seed: worker, models: MODELS });
  for (let index = 0; index < OUTCOMES_PER_WORKER; index++) {
    const modelId = MODELS[index % 2]!;
    const success = modelId === 'slow-large' ? index % 10 !== 1 : index % 4 !== 0; // 80 % vs 50 %
    await scout.recordOutcome({ modelId, success, latencyMs: modelId === 'slow-large' ? 900 : 120 });
  }
  await scout.close();
}

if (process.argv[2] === 'worker') {
  await work(process.argv[3]!, Number(process.argv[4]));
} else {
  const folder = await mkdtemp(join(tmpdir(), 'modelscout-storage-'));
  const path = join(folder, 'shared.sqlite');
  try {
    // Start the workers as separate processes (the same tsx loader this script runs under).
    const started = performance.now();
    const exits = Array.from({ length: WORKERS }, (_, worker) => {
      const child = spawn(
        process.execPath,
        [...process.execArgv, fileURLToPath(import.meta.url), 'worker', path, String(worker)],
        { stdio: 'inherit' },
      );
      return new Promise<number | null>((resolve) => child.on('exit', resolve));
    });
    const codes = await Promise.all(exits);
    if (codes.some((code) => code !== 0)) throw new Error(`a worker failed: exit codes ${codes.join(', ')}`);
    console.log(
      `${WORKERS} processes × ${OUTCOMES_PER_WORKER.toLocaleString('en')} outcomes into ${path} in ${Math.round(performance.now() - started)} ms`,
    );

    // A restart: a new scout on the same file sees everything every worker learned.
    const scout = createScout({ path, seed: 99 });
    const selected = await scout.selectOptimal({
      candidates: MODELS,
      objective: { quality: 1, latencyMs: 0.0001 },
    });
    for (const estimate of selected.estimates) {
      console.log(
        `  ${estimate.id.padEnd(11)} ${estimate.pulls.toFixed(0).padStart(5)} outcomes, quality ${estimate.quality.mean.toFixed(3)} [${estimate.quality.lower.toFixed(3)}, ${estimate.quality.upper.toFixed(3)}], latency ${estimate.latencyMs.mean.toFixed(0)} ms`,
      );
    }
    const total = selected.estimates.reduce((sum, estimate) => sum + estimate.pulls, 0);
    console.log(
      `total ${total} of ${WORKERS * OUTCOMES_PER_WORKER} (${total === WORKERS * OUTCOMES_PER_WORKER ? 'exact: no update lost' : 'MISMATCH'}); chooses ${selected.primary.id}`,
    );
    await scout.close();
    if (total !== WORKERS * OUTCOMES_PER_WORKER) process.exitCode = 1;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
