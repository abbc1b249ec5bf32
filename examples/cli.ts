// The `modelscout` command line, offline: a local hub serves the zoo in examples/models, and the
// built binary (dist/cli/main.js, package.json's "bin") searches it, describes a model, races the
// SST-2 models on the bundled sample, chooses one for a requirements file and writes the report.
//   npm run build && npx tsx examples/cli.ts
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createLocalHub } from 'modelscout';

const run = promisify(execFile);
const binary = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const zoo = fileURLToPath(new URL('./models', import.meta.url));
const sample = fileURLToPath(new URL('./data/sst2-sample.tsv', import.meta.url));
if (!existsSync(binary)) {
  console.error(`${binary} is missing: run 'npm run build' first`);
  process.exit(1);
}

/** Runs `modelscout …args`, prints the command line and what it wrote; resolves to its exit status. */
async function modelscout(...args: string[]): Promise<number> {
  console.log(`\n$ modelscout ${args.map((arg) => (/[\s,]/.test(arg) ? `'${arg}'` : arg)).join(' ')}`);
  try {
    const { stdout, stderr } = await run(process.execPath, [binary, ...args]);
    process.stdout.write(stdout + stderr);
    return 0;
  } catch (error) {
    // A non-zero exit status: a failure the CLI explains on stderr, with a status that says which.
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    process.stdout.write(`${stdout}${stderr}(exit status ${code})\n`);
    return code;
  }
}

const hub = await createLocalHub({ root: zoo, port: 0 });
const work = await mkdtemp(path.join(tmpdir(), 'modelscout-cli-example-'));
try {
  const offline = ['--hub', hub.url, '--download-dir', path.join(work, 'downloads')];
  await modelscout('--version');
  await modelscout('search', 'sst2', '--hub', hub.url, '--sort', 'size');
  await modelscout('info', 'modelscout/sst2-bow-logreg', '--hub', hub.url);

  // Race the SST-2 models: the scores go to evaluation.json, and to an embedded SQLite store where
  // --warm-start also makes them the selector's priors.
  const store = path.join(work, 'scout.sqlite');
  const evaluation = path.join(work, 'evaluation.json');
  const models = [
    'modelscout/sst2-bow-logreg',
    'modelscout/sst2-bigram-hashed',
    'modelscout/sst2-embedding-mlp',
  ];
  const { stdout } = await run(process.execPath, [
    binary,
    'eval',
    ...models,
    ...['--data', sample, '--labels', 'NEGATIVE,POSITIVE', '--race', '--seed', '1'],
    ...['--store', store, '--warm-start', '--json', '--quiet', ...offline],
  ]);
  await writeFile(evaluation, stdout);
  const document = JSON.parse(stdout) as { best: string; scores: { modelId: string; stopReason: string }[] };
  console.log('\n$ modelscout eval … --race --store scout.sqlite --warm-start --json > evaluation.json');
  console.log(`best: ${document.best}`);
  for (const score of document.scores) console.log(`  ${score.modelId}: ${score.stopReason}`);
  await modelscout('report', '--from', evaluation, '--out', path.join(work, 'report.html'));

  const requirements = path.join(work, 'requirements.yaml');
  await writeFile(
    requirements,
    [
      'version: 1',
      'tasks:',
      '  sentiment:',
      '    task: text-classification',
      '    candidates: [modelscout/sst2-bow-logreg, modelscout/sst2-bigram-hashed, modelscout/sst2-embedding-mlp]',
      '    license: { allow: [permissive] }',
      '    limits: { maxSizeBytes: 3MB }',
      '',
    ].join('\n'),
  );
  // Selection starts from what the evaluation measured (the store's warm-started statistics).
  await modelscout(
    'select',
    '--requirements',
    requirements,
    '--store',
    store,
    '--hub',
    hub.url,
    '--seed',
    '1',
  );
  // Exit statuses mean something: 4 is "nothing found".
  await modelscout('info', 'modelscout/no-such-model', '--hub', hub.url);
} finally {
  await hub.close();
  await rm(work, { recursive: true, force: true });
}
