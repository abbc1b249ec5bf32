/**
 * Builds the model zoo: trains every model of scripts/zoo/zoo.ts from ../shared/datasets, writes
 * them in transformers.js layout under examples/models/modelscout/<name>/, and writes the bundled
 * samples to examples/data/. Deterministic: two runs give byte-identical files.
 *
 *   npx tsx scripts/zoo/build.ts            rebuild examples/models and examples/data
 *   npx tsx scripts/zoo/build.ts --check    rebuild into a temporary folder; exit 1 if any byte differs
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { DTYPE_FILES, DTYPES, parameterCount } from './architectures.js';
import { modelCard, modelConfig, samplesProvenance, zooProvenance } from './cards.js';
import {
  encodeCorpus,
  loadAgNews,
  loadEncoder,
  loadSst2,
  seededPermutation,
  TOKENIZER_FILES,
  tokenizerDirectory,
} from './data.js';
import {
  MODELS_DIRECTORY,
  REPOSITORY_ROOT,
  SAMPLES_DIRECTORY,
  sharedInput,
  ZOO_ORGANIZATION,
} from './paths.js';
import { type BuiltModel, buildModel, type ZooData, zooModels } from './zoo.js';

/** Rows in each bundled sample. */
const SAMPLE_SIZE = 500;

/** The zoo's output: file contents by path relative to the repository root. */
export type ZooFiles = Map<string, Uint8Array>;

/** Progress lines go to stderr so that stdout stays clean for callers. */
function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** Trains and writes everything in memory. */
export async function buildZoo(): Promise<{ files: ZooFiles; built: BuiltModel[] }> {
  const started = performance.now();
  const encoder = await loadEncoder();
  const sst2 = encodeCorpus(await loadSst2(), encoder);
  const agnews = encodeCorpus(await loadAgNews(), encoder);
  const data: ZooData = { vocabularySize: encoder.vocabularySize, sst2, agnews };
  log(`data and tokenization: ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const files: ZooFiles = new Map();
  const text = (value: string) => new TextEncoder().encode(value);
  const tokenizerFiles = new Map<string, Uint8Array>();
  for (const name of TOKENIZER_FILES) {
    tokenizerFiles.set(name, new Uint8Array(await readFile(path.join(tokenizerDirectory(), name))));
  }
  const tokenizerBytes = [...tokenizerFiles.values()].reduce((sum, bytes) => sum + bytes.length, 0);

  const built: BuiltModel[] = [];
  for (const model of zooModels()) {
    const modelStarted = performance.now();
    const result = buildModel(model, data);
    built.push(result);
    const folder = `examples/models/${ZOO_ORGANIZATION}/${model.name}`;
    files.set(`${folder}/config.json`, text(modelConfig(result)));
    files.set(`${folder}/README.md`, text(modelCard(result, { sst2, agnews }, tokenizerBytes)));
    for (const [name, bytes] of tokenizerFiles) files.set(`${folder}/${name}`, bytes);
    for (const dtype of DTYPES) files.set(`${folder}/${DTYPE_FILES[dtype]}`, result.files[dtype]);
    const summary = DTYPES.map(
      (dtype) =>
        `${dtype} ${(result.files[dtype].length / 1024).toFixed(0)} kB ${result.metrics[dtype].map((metric) => metric.value.toFixed(4)).join('/')}`,
    ).join(', ');
    log(
      `${model.name}: ${parameterCount(result.report.network)} parameters, epoch ${result.report.epochs}, validation ${result.report.validation.value.toFixed(4)}; ${summary} (${((performance.now() - modelStarted) / 1000).toFixed(1)} s)`,
    );
  }
  files.set('examples/models/PROVENANCE.md', text(zooProvenance(built)));

  const sst2Sample = seededPermutation(sst2.heldOut.length, 'zoo:sample:sst2')
    .slice(0, SAMPLE_SIZE)
    .sort((a, b) => a - b);
  files.set(
    'examples/data/sst2-sample.tsv',
    text(['sentence\tlabel', ...sst2Sample.map((index) => sst2.heldOut[index]!.line), ''].join('\n')),
  );
  const agnewsSample = seededPermutation(agnews.heldOut.length, 'zoo:sample:agnews')
    .slice(0, SAMPLE_SIZE)
    .sort((a, b) => a - b);
  files.set(
    'examples/data/agnews-sample.tsv',
    text(['text\tlabel', ...agnewsSample.map((index) => agnews.heldOut[index]!.line), ''].join('\n')),
  );
  files.set('examples/data/PROVENANCE.md', text(samplesProvenance(SAMPLE_SIZE)));
  files.set(
    'examples/data/LICENSE.alps-repo.txt',
    new Uint8Array(await readFile(sharedInput('datasets/LICENSE.alps-repo.txt'))),
  );
  log(`total: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return { files, built };
}

/** Every file under `directory`, as `/`-separated paths relative to it. */
async function listFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) =>
      path.relative(directory, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'),
    )
    .sort();
}

async function writeFiles(root: string, files: ZooFiles): Promise<void> {
  for (const [relative, bytes] of files) {
    const target = path.join(root, relative);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, bytes);
  }
}

/**
 * The differences between the zoo as built and as committed: files that differ or are missing,
 * and files under examples/models that the build does not produce.
 */
async function compareWithRepository(built: string): Promise<string[]> {
  const problems: string[] = [];
  for (const [folder, strict] of [
    [path.relative(REPOSITORY_ROOT, MODELS_DIRECTORY), true],
    [path.relative(REPOSITORY_ROOT, SAMPLES_DIRECTORY), false],
  ] as const) {
    const expected = await listFiles(path.join(built, folder));
    const actual = new Set(await listFiles(path.join(REPOSITORY_ROOT, folder)));
    for (const file of expected) {
      const relative = `${folder}/${file}`;
      if (!actual.has(file)) {
        problems.push(`missing: ${relative}`);
        continue;
      }
      const [want, have] = await Promise.all([
        readFile(path.join(built, relative)),
        readFile(path.join(REPOSITORY_ROOT, relative)),
      ]);
      if (!want.equals(have)) problems.push(`differs: ${relative}`);
      actual.delete(file);
    }
    if (strict) for (const file of actual) problems.push(`not produced by the build: ${folder}/${file}`);
  }
  return problems;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });
  const { files } = await buildZoo();
  if (values.check) {
    const temporary = await mkdtemp(path.join(tmpdir(), 'modelscout-zoo-'));
    await writeFiles(temporary, files);
    const problems = await compareWithRepository(temporary);
    if (problems.length > 0) {
      log(`The zoo in the repository is not what the build produces (rebuilt in ${temporary}):`);
      for (const problem of problems) log(`  ${problem}`);
      process.exitCode = 1;
      return;
    }
    await rm(temporary, { recursive: true, force: true });
    log(`examples/models and examples/data match the build (${files.size} files).`);
    return;
  }
  await rm(path.join(MODELS_DIRECTORY, ZOO_ORGANIZATION), { recursive: true, force: true });
  await writeFiles(REPOSITORY_ROOT, files);
  log(`wrote ${files.size} files under examples/models and examples/data.`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
