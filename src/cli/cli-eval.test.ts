// The built `modelscout` binary evaluating the zoo's sentiment models (downloaded over real HTTP
// from a local hub), with progress on a non-terminal stderr, the store, the HTML report, and
// `report` reading `eval --json` back; plus interruption with SIGINT.
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createLocalHub, type LocalHub } from '../discovery/local-hub/create-local-hub.js';
import { BUILD_TIMEOUT_MS, ensureBuiltCli, REPOSITORY_ROOT } from './testing/built-cli.js';
import { type CliResult, hasTerminalControls, runCli, startCli } from './testing/cli-process.js';

const ZOO = path.join(REPOSITORY_ROOT, 'examples', 'models');
const SAMPLE = path.join(REPOSITORY_ROOT, 'examples', 'data', 'sst2-sample.tsv');
const LABELS = ['NEGATIVE', 'POSITIVE'];
const SST2_MODELS = [
  'modelscout/sst2-bow-logreg',
  'modelscout/sst2-bigram-hashed',
  'modelscout/sst2-embedding-mlp',
];
const ROWS = 150;

let hub: LocalHub;
let directory: string;
let data: string;

/** Common options: the local hub, and a download folder of this test's own. */
const fromHub = () => ['--hub', hub.url, '--download-dir', path.join(directory, 'downloads')];

function json<Document>(result: CliResult): Document {
  return JSON.parse(result.stdout) as Document;
}

interface EvaluationJson {
  version: number;
  task: string;
  data: { file: string; examples: number };
  race: boolean;
  best: string | null;
  scores: {
    modelId: string;
    quality: { metric: string; value: number; lower: number; upper: number };
    latencyMs: { p50: number; p95: number };
    samples: number;
    stopReason: string;
  }[];
  store: string | null;
  report: string | null;
}

beforeAll(async () => {
  await ensureBuiltCli();
  hub = await createLocalHub({ root: ZOO, port: 0 });
  directory = await mkdtemp(path.join(tmpdir(), 'modelscout-cli-eval-'));
  const rows = (await readFile(SAMPLE, 'utf8'))
    .split('\n')
    .slice(1, ROWS + 1)
    .map((line) => {
      const tab = line.lastIndexOf('\t');
      return JSON.stringify({ text: line.slice(0, tab), label: LABELS[Number(line.slice(tab + 1))] });
    });
  data = path.join(directory, 'sst2.jsonl');
  await writeFile(data, `${rows.join('\n')}\n`);
}, BUILD_TIMEOUT_MS);

afterAll(async () => {
  await hub?.close();
  if (directory !== undefined) await rm(directory, { recursive: true, force: true });
});

describe('eval', () => {
  let evaluation: CliResult;
  const store = () => path.join(directory, 'store', 'scout.sqlite');
  const evaluationFile = () => path.join(directory, 'evaluation.json');

  beforeAll(async () => {
    evaluation = await runCli([
      'eval',
      ...SST2_MODELS,
      '--data',
      data,
      '--race',
      '--seed',
      '1',
      '--store',
      store(),
      '--report',
      path.join(directory, 'eval-report.html'),
      '--json',
      ...fromHub(),
    ]);
    await writeFile(evaluationFile(), evaluation.stdout);
  }, 60_000);

  test('--json prints one evaluation document: a score per model with its interval', () => {
    expect(evaluation.code, evaluation.stderr).toBe(0);
    const document = json<EvaluationJson>(evaluation);
    expect(document).toMatchObject({
      version: 1,
      task: 'text-classification',
      data: { file: data, examples: ROWS },
      race: true,
      store: store(),
      report: path.join(directory, 'eval-report.html'),
    });
    expect(document.scores.map((score) => score.modelId)).toEqual(SST2_MODELS);
    for (const score of document.scores) {
      expect(score.quality.metric).toBe('accuracy');
      expect(score.quality.value).toBeGreaterThan(0.7);
      expect(score.quality.lower).toBeLessThan(score.quality.value);
      expect(score.quality.upper).toBeGreaterThan(score.quality.value);
      expect(score.samples).toBeGreaterThan(0);
      expect(score.latencyMs.p50).toBeGreaterThan(0);
    }
    expect(SST2_MODELS).toContain(document.best);
  });

  test('progress goes to stderr as plain lines when it is not a terminal', () => {
    const { stderr } = evaluation;
    expect(hasTerminalControls(stderr)).toBe(false);
    expect(stderr).toMatch(/^Evaluating 3 models on 150 examples \(text-classification, racing\)$/m);
    for (const model of SST2_MODELS) {
      // Every model's end is reported, with how far it got.
      expect(stderr).toMatch(
        new RegExp(
          `^ {2}${model}: (done|stopped|eliminated by \\S+|race decided \\(leader \\S+\\)) at \\d+/150`,
          'm',
        ),
      );
    }
    expect(stderr).toMatch(/^Evaluated in \d/m);
    expect(stderr).toContain(`Scores kept in ${store()}.`);
  });

  test('--report writes the HTML report', async () => {
    const html = await readFile(path.join(directory, 'eval-report.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    for (const model of SST2_MODELS) expect(html).toContain(model);
  });

  test('prints a results table by default', async () => {
    const result = await runCli([
      'eval',
      'modelscout/sst2-bow-logreg',
      '--data',
      SAMPLE,
      '--labels',
      'NEGATIVE,POSITIVE',
      '--max-samples',
      '100',
      ...fromHub(),
    ]);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^MODEL\s+ACCURACY \[95% INTERVAL\]\s+P50\s+P95\s+THROUGHPUT\s+SAMPLES\s+STATUS$/,
    );
    expect(lines[1]).toMatch(
      /^modelscout\/sst2-bow-logreg\s+0\.\d{3} \[0\.\d{3}, 0\.\d{3}\]\s+[\d.]+ ms\s+[\d.]+ ms\s+\d+\/s\s+100\s+stopped at --max-samples$/,
    );
    expect(lines.at(-1)).toMatch(/^Best: modelscout\/sst2-bow-logreg \(accuracy 0\.\d{3}\)$/);
    // --max-samples caps the total the progress counts to.
    expect(result.stderr).toMatch(/^Evaluating 1 model on 100 examples \(text-classification\)$/m);
    expect(result.stderr).toMatch(/^ {2}modelscout\/sst2-bow-logreg: done at 100\/100/m);
  });

  test('labels that look like class indices get a hint', async () => {
    const result = await runCli([
      'eval',
      'modelscout/sst2-bow-logreg',
      '--data',
      SAMPLE,
      '--max-samples',
      '20',
      ...fromHub(),
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/warning: the models never predict the labels 0, 1: .*--labels/);
  });

  test('a model that cannot be loaded gets its end line in the progress too', async () => {
    const result = await runCli(
      [
        'eval',
        './no-such-model-folder',
        'modelscout/sst2-bow-logreg',
        '--task',
        'text-classification',
        '--data',
        data,
        '--max-samples',
        '20',
        ...fromHub(),
      ],
      { cwd: directory },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/no-such-model-folder\s+—.*\s+0\s+load failed: /);
    expect(result.stderr).toMatch(/^ {2}\S*no-such-model-folder: load failed at 0\/20$/m);
    expect(result.stderr).toMatch(/^ {2}modelscout\/sst2-bow-logreg: done at 20\/20$/m);
  });

  test('report --from reads eval --json back', async () => {
    const out = path.join(directory, 'from.html');
    const result = await runCli([
      'report',
      '--from',
      evaluationFile(),
      '--out',
      out,
      '--title',
      'SST-2 race',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(`Report of 3 evaluations written to ${out}\n`);
    const html = await readFile(out, 'utf8');
    expect(html).toContain('SST-2 race');
    expect(html).toContain('sst2.jsonl');
  });

  test('report --store --model reads the evaluation history', async () => {
    const out = path.join(directory, 'store.html');
    const [result, missing] = await Promise.all([
      runCli(['report', '--store', store(), '--model', ...SST2_MODELS, '--out', out, '--json']),
      runCli([
        'report',
        '--store',
        store(),
        '--model',
        'modelscout/agnews-bow',
        '--out',
        path.join(directory, 'x.html'),
      ]),
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(json(result)).toEqual({ report: out, scores: 3 });
    expect((await stat(out)).size).toBeGreaterThan(1000);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toBe('modelscout: the store holds no evaluation of modelscout/agnews-bow\n');
  });

  test('a data file that does not parse exits with 3 and says where', async () => {
    const broken = path.join(directory, 'broken.jsonl');
    await writeFile(broken, '{"text": "fine", "label": "POSITIVE"}\n{"text": "oops" "label": "NEGATIVE"}\n');
    const noLabel = path.join(directory, 'no-label.csv');
    await writeFile(noLabel, 'text,target\ngreat,POSITIVE\n');
    const [syntax, column] = await Promise.all([
      runCli(['eval', 'modelscout/sst2-bow-logreg', '--data', broken, ...fromHub()]),
      runCli(['eval', 'modelscout/sst2-bow-logreg', '--data', noLabel, ...fromHub(), '--json']),
    ]);
    expect(syntax.code).toBe(3);
    expect(syntax.stderr).toMatch(
      new RegExp(`^modelscout: ${broken.replaceAll('.', '\\.')}:2:17: invalid JSON`),
    );
    expect(column.code).toBe(3);
    expect(json(column)).toMatchObject({
      error: { name: 'InputFileError', file: noLabel, line: 1, column: 1 },
    });
  });

  test('a data file without any usable example is invalid (3), not a usage error', async () => {
    const unlabeled = path.join(directory, 'unlabeled.csv');
    await writeFile(unlabeled, 'text,label\na fine movie,\na tedious mess,\n');
    const result = await runCli([
      'eval',
      'modelscout/sst2-bow-logreg',
      '--data',
      unlabeled,
      '--json',
      ...fromHub(),
    ]);
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toBe(
      `modelscout: ${unlabeled}:1:1: no usable example: 2 without a label, 0 invalid (not { input, label }, or a label the 'text-classification' scorer rejects)\n`,
    );
    expect(json(result)).toMatchObject({ error: { name: 'InputFileError', exitCode: 3, file: unlabeled } });
  });

  test('a data file that starts with a byte order mark is read', async () => {
    const withMark = path.join(directory, 'with-bom.jsonl');
    await writeFile(withMark, `\uFEFF${(await readFile(data, 'utf8')).split('\n').slice(0, 5).join('\n')}\n`);
    const result = await runCli([
      'eval',
      'modelscout/sst2-bow-logreg',
      '--data',
      withMark,
      '--json',
      ...fromHub(),
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(json<EvaluationJson>(result).data.examples).toBe(5);
  });

  test('an unknown model exits with 4; a missing --data with 2', async () => {
    const [unknown, noData] = await Promise.all([
      runCli(['eval', 'modelscout/no-such-model', '--data', data, ...fromHub()]),
      runCli(['eval', 'modelscout/sst2-bow-logreg', ...fromHub()]),
    ]);
    expect(unknown.code).toBe(4);
    expect(unknown.stderr).toBe("modelscout: no provider knows model 'modelscout/no-such-model'\n");
    expect(noData.code).toBe(2);
    expect(noData.stderr).toMatch(/^modelscout: missing option '--data <file>'/);
  });

  test('scores the store could not keep are a failure (1), not "kept"', async () => {
    const lockedStore = path.join(directory, 'locked', 'scout.sqlite');
    // A first run makes the store; then another connection holds its write lock while a second
    // run evaluates, so that saving its scores fails once SQLite's busy timeout is over.
    const first = await runCli([
      'eval',
      'modelscout/sst2-bow-logreg',
      '--data',
      data,
      '--max-samples',
      '10',
      '--store',
      lockedStore,
      ...fromHub(),
    ]);
    expect(first.code, first.stderr).toBe(0);
    const many = path.join(directory, 'many-for-the-lock.jsonl');
    const row = JSON.stringify({ text: 'a gorgeous, witty, seductive movie.', label: 'POSITIVE' });
    await writeFile(many, `${Array.from({ length: 200_000 }, () => row).join('\n')}\n`);
    // Seconds of predictions (a time budget, not a wait): the lock is taken long before they end.
    const running = startCli([
      'eval',
      'modelscout/sst2-embedding-mlp',
      '--data',
      many,
      '--max-samples',
      '200000',
      '--budget-ms',
      '2000',
      '--store',
      lockedStore,
      '--json',
      ...fromHub(),
    ]);
    await running.waitForLine(/^Evaluating 1 model/m, 'stderr');
    const holder = new Database(lockedStore);
    holder.exec('BEGIN IMMEDIATE');
    let result: CliResult;
    try {
      result = await running.exited;
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).not.toContain('Scores kept in');
    expect(result.stderr).toMatch(/^modelscout: warning: the scores could not be kept in .*scout\.sqlite: /m);
    const document = json<EvaluationJson>(result);
    expect(document.store).toBeNull();
    expect(document.scores[0]!.samples).toBeGreaterThan(0);
  }, 60_000);

  test('SIGINT stops an evaluation: exit 130', async () => {
    // Many rows and a long budget: the evaluation is still running when the signal arrives.
    const many = path.join(directory, 'many.jsonl');
    const row = JSON.stringify({ text: 'a gorgeous, witty, seductive movie.', label: 'POSITIVE' });
    await writeFile(many, `${Array.from({ length: 200_000 }, () => row).join('\n')}\n`);
    const running = startCli([
      'eval',
      'modelscout/sst2-embedding-mlp',
      '--data',
      many,
      '--budget-ms',
      '600000',
      '--max-samples',
      '200000',
      ...fromHub(),
    ]);
    await running.waitForLine(/^Evaluating 1 model on 200000 examples/m, 'stderr');
    running.child.kill('SIGINT');
    const result = await running.exited;
    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(/^modelscout: interrupted \(SIGINT\)$/m);
    expect(result.stdout).toBe('');
  });
});
