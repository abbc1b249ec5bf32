import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { env, pipeline } from '@huggingface/transformers';
import {
  createEvaluator,
  createLocalHub,
  type EvaluationScore,
  seededRandom,
  transformersJsRunner,
} from 'modelscout';
import { information } from './measure.js';

const MODELS = [
  'modelscout/sst2-bow-logreg',
  'modelscout/sst2-bigram-hashed',
  'modelscout/sst2-embedding-mlp',
];
const LABELS = ['NEGATIVE', 'POSITIVE'];

/** The repository root: this file runs from `build/bench/bench/`. */
const REPOSITORY = path.resolve(import.meta.dirname, '../../..');

/** Formats a row whose target is a lower bound: measured, target, ratio measured/target, PASS when ≥ 1. */
function atLeast(label: string, measured: number, target: number, unit: string): string {
  const ratio = measured / target;
  return `${label.padEnd(66)} ${measured.toFixed(3).padStart(8)} ${unit}  target ≥ ${target} ${unit}  ratio ${ratio.toFixed(3)}  ${ratio >= 1 ? 'PASS' : 'FAIL'}`;
}

function atMost(label: string, measured: number, target: number, unit: string): string {
  const ratio = measured / target;
  return `${label.padEnd(66)} ${measured.toFixed(3).padStart(8)} ${unit}  target ≤ ${target} ${unit}  ratio ${ratio.toFixed(3)}  ${ratio <= 1 ? 'PASS' : 'FAIL'}`;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** SST-2 dev from ../shared (or MODELSCOUT_SHARED_DIR), else the bundled 500-row sample. */
async function readSst2(): Promise<{ rows: { input: string; label: string }[]; source: string }> {
  const shared = process.env.MODELSCOUT_SHARED_DIR ?? path.resolve(REPOSITORY, '../shared');
  const dev = path.join(shared, 'datasets', 'sst2', 'dev.tsv');
  const file = existsSync(dev) ? dev : path.join(REPOSITORY, 'examples', 'data', 'sst2-sample.tsv');
  const rows = (await readFile(file, 'utf8'))
    .split('\n')
    .slice(1)
    .filter((line) => line !== '')
    .map((line) => {
      const tab = line.lastIndexOf('\t');
      return { input: line.slice(0, tab), label: LABELS[Number(line.slice(tab + 1))]! };
    });
  return { rows, source: path.relative(path.resolve(REPOSITORY, '..'), file) };
}

/**
 * The evaluator on the zoo's SST-2 classifiers (issue: evaluation):
 * - racing: samples a race uses ÷ samples a full evaluation uses (target ≤ 0.40), same winner;
 * - overhead: evaluator throughput ÷ a plain `pipeline()` loop one item at a time, with batch
 *   size 1 (target ≥ 0.95) and 32 (target ≥ 1.5). The evaluator's time runs from the call to
 *   `evaluate` to the candidate's last prediction (its final progress event), minus the load:
 *   hashing and validating the data, every prediction with its timeout and bookkeeping are in it;
 *   the one-off final scoring, disposal and store write are not (the whole call's ratio is printed
 *   too, and the scoring time). The plain loop's time is its loop alone. Medians over `runs`.
 *   The runner reads every label's probability from the logits (no `TopK` session run), which is
 *   why it can be faster than the plain loop that it matches output for output.
 */
export async function runEvaluationBenchmark({ runs = 5 }: { runs?: number } = {}): Promise<{
  lines: string[];
  failures: number;
}> {
  const lines: string[] = [];
  let failures = 0;
  const { rows, source } = await readSst2();
  const hub = await createLocalHub({ root: path.join(REPOSITORY, 'examples', 'models'), port: 0 });
  const cacheDir = await mkdtemp(path.join(tmpdir(), 'modelscout-bench-evaluation-'));
  try {
    Object.assign(env, {
      remoteHost: `${hub.url}/`,
      remotePathTemplate: '{model}/resolve/{revision}/',
      allowRemoteModels: true,
      allowLocalModels: false,
      useFSCache: true,
      cacheDir,
    });
    const runner = transformersJsRunner({ hubUrl: hub.url, cacheDir });
    const evaluator = createEvaluator({ runners: [runner], random: seededRandom(1) });
    const candidates = MODELS.map((id) => ({ candidate: { id, dtypes: ['fp32'] }, dtype: 'fp32' }));
    const data = { task: 'text-classification' as const, examples: rows };
    lines.push(information(`data: ${source} (rows)`, rows.length, ''));

    // Racing against a full evaluation of all three.
    const full = await evaluator.evaluate({
      candidates,
      data,
      batchSize: 32,
      budgetMs: Number.POSITIVE_INFINITY,
    });
    const raced = await evaluator.evaluate({
      candidates,
      data,
      batchSize: 32,
      budgetMs: Number.POSITIVE_INFINITY,
      race: true,
    });
    const best = (scores: EvaluationScore[]) =>
      scores.reduce((left, right) => (right.quality.value > left.quality.value ? right : left)).modelId;
    const fullWinner = best(full);
    const raceWinner = raced.find((score) => score.race?.winner)?.modelId;
    const samples = (scores: EvaluationScore[]) => scores.reduce((sum, score) => sum + score.samples, 0);
    const ratio = samples(raced) / samples(full);
    for (const score of full) {
      const race = raced.find((each) => each.modelId === score.modelId)!;
      lines.push(
        information(
          `${score.modelId}: accuracy (full) / samples in the race (${race.stopReason})`,
          score.quality.value,
          `/ ${race.samples}`,
        ),
      );
    }
    lines.push(atMost('race samples ÷ full-evaluation samples (3 models)', ratio, 0.4, '×'));
    lines.push(
      `${'same winner as the full evaluation'.padEnd(66)} ${raceWinner} ${raceWinner === fullWinner ? 'PASS' : `FAIL (full: ${fullWinner})`}`,
    );
    if (ratio > 0.4) failures++;
    if (raceWinner !== fullWinner) failures++;

    // Overhead against a plain pipeline() loop, on the middle model.
    const modelId = MODELS[1]!;
    const classify = await pipeline('text-classification', modelId, { dtype: 'fp32' });
    const plainLoop = async () => {
      const start = performance.now();
      for (const row of rows) await classify(row.input);
      return rows.length / ((performance.now() - start) / 1000);
    };
    const evaluatorRun = async (batchSize: number) => {
      // The candidate's last progress event (etaMs 0) is sent when it stops predicting, before
      // the final scoring, the disposal of the model and the store write.
      let stoppedAt = Number.NaN;
      const onProgress = (event: { etaMs: number | undefined }) => {
        if (event.etaMs === 0) stoppedAt = performance.now();
      };
      evaluator.events.on('evaluation_progress', onProgress);
      const start = performance.now();
      const [score] = await evaluator.evaluate({
        candidates: [{ candidate: { id: modelId, dtypes: ['fp32'] }, dtype: 'fp32' }],
        data,
        batchSize,
        budgetMs: Number.POSITIVE_INFINITY,
      });
      const end = performance.now();
      evaluator.events.off('evaluation_progress', onProgress);
      return {
        perItem: score!.samples / ((stoppedAt - start - score!.loadMs) / 1000),
        overall: score!.samples / ((end - start - score!.loadMs) / 1000),
        scoringMs: score!.timings.scoringMs,
      };
    };
    // The same outputs as the runner: every label's probability, not only the top label (the runner
    // computes them from the logits without the pipeline's TopK session run).
    const plainAllScores = async () => {
      const start = performance.now();
      for (const row of rows) await classify([row.input], { top_k: null });
      return rows.length / ((performance.now() - start) / 1000);
    };
    await plainLoop();
    await evaluatorRun(1);
    const plain: number[] = [];
    const plainScores: number[] = [];
    const single: number[] = [];
    const batched: number[] = [];
    const singleOverall: number[] = [];
    const batchedOverall: number[] = [];
    const scoring: number[] = [];
    for (let run = 0; run < runs; run++) {
      plain.push(await plainLoop());
      plainScores.push(await plainAllScores());
      const one = await evaluatorRun(1);
      single.push(one.perItem);
      singleOverall.push(one.overall);
      const many = await evaluatorRun(32);
      batched.push(many.perItem);
      batchedOverall.push(many.overall);
      scoring.push(one.scoringMs, many.scoringMs);
    }
    await classify.dispose();
    lines.push(
      information(`plain pipeline() loop, one item at a time (median of ${runs})`, median(plain), 'items/s'),
    );
    lines.push(
      information(
        'plain pipeline([text], { top_k: null }) loop (every probability, as the runner)',
        median(plainScores),
        'items/s',
      ),
    );
    lines.push(
      information(
        'evaluator, batch size 1 (start of evaluate → last prediction, − load)',
        median(single),
        'items/s',
      ),
    );
    lines.push(
      information(
        'evaluator, batch size 32 (start of evaluate → last prediction, − load)',
        median(batched),
        'items/s',
      ),
    );
    lines.push(
      information('final scoring per evaluation (once; 1,000 bootstrap resamples)', median(scoring), 'ms'),
    );
    lines.push(
      information(
        'whole evaluate − load ÷ plain loop, batch size 1',
        median(singleOverall) / median(plain),
        '×',
      ),
    );
    lines.push(
      information(
        'whole evaluate − load ÷ plain loop, batch size 32',
        median(batchedOverall) / median(plain),
        '×',
      ),
    );
    lines.push(
      information(
        'evaluator (batch 1) ÷ the top_k: null loop (same outputs)',
        median(single) / median(plainScores),
        '×',
      ),
    );
    const singleRatio = median(single) / median(plain);
    const batchedRatio = median(batched) / median(plain);
    lines.push(atLeast('evaluator (batch 1) ÷ plain loop, throughput', singleRatio, 0.95, '×'));
    lines.push(atLeast('evaluator (batch 32) ÷ plain loop, throughput', batchedRatio, 1.5, '×'));
    if (singleRatio < 0.95) failures++;
    if (batchedRatio < 1.5) failures++;
  } finally {
    await hub.close();
    await rm(cacheDir, { recursive: true, force: true });
  }
  return { lines, failures };
}
