// The built `modelscout cache` commands on a temporary Hugging Face cache, filled by downloading
// zoo models over real HTTP from a local hub (the same layout huggingface_hub writes).
import { appendFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createLocalHub, type LocalHub } from '../discovery/local-hub/create-local-hub.js';
import { createDownloader } from '../lifecycle/download/create-downloader.js';
import { BUILD_TIMEOUT_MS, ensureBuiltCli, REPOSITORY_ROOT } from './testing/built-cli.js';
import { type CliResult, hasTerminalControls, runCli } from './testing/cli-process.js';

const ZOO = path.join(REPOSITORY_ROOT, 'examples', 'models');

let hub: LocalHub;
let directory: string;

/** A fresh cache holding sst2-bow-logreg (q8 weights only) and agnews-bow (every dtype). */
async function filledCache(name: string): Promise<string> {
  const cacheDirectory = path.join(directory, name);
  const downloader = createDownloader({ hubUrl: hub.url, cacheDirectory });
  await downloader.download('modelscout/sst2-bow-logreg', { dtype: 'q8' });
  await downloader.download('modelscout/agnews-bow');
  return cacheDirectory;
}

function json<Document>(result: CliResult): Document {
  return JSON.parse(result.stdout) as Document;
}

interface CacheJson {
  sizeOnDisk: number;
  repositories: { id: string; sizeOnDisk: number; revisions: { files: { path: string }[] }[] }[];
}

let cache: string;

beforeAll(async () => {
  await ensureBuiltCli();
  hub = await createLocalHub({ root: ZOO, port: 0 });
  directory = await mkdtemp(path.join(tmpdir(), 'modelscout-cli-cache-'));
  cache = await filledCache('cache');
}, BUILD_TIMEOUT_MS);

afterAll(async () => {
  await hub?.close();
  if (directory !== undefined) await rm(directory, { recursive: true, force: true });
});

describe('cache ls', () => {
  test('lists the cached models with revisions, refs, size and last access', async () => {
    const result = await runCli(['cache', 'ls', '--dir', cache]);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^MODEL\s+REVISIONS\s+REFS\s+SIZE\s+LAST ACCESS$/);
    expect(lines[1]).toMatch(/^modelscout\/agnews-bow\s+1\s+main\s+[\d.]+ MB\s+\d{4}-\d\d-\d\d \d\d:\d\d$/);
    expect(lines[2]).toMatch(
      /^modelscout\/sst2-bow-logreg\s+1\s+main\s+[\d.]+ kB\s+\d{4}-\d\d-\d\d \d\d:\d\d$/,
    );
    expect(result.stderr).toMatch(new RegExp(`^2 models, 2 revisions, [\\d.]+ MB in ${cache}\\n$`));
    expect(hasTerminalControls(result.stdout + result.stderr)).toBe(false);
  });

  test('--json prints the scan; HF_HUB_CACHE is the default folder', async () => {
    const result = await runCli(['cache', 'ls', '--json'], { env: { HF_HUB_CACHE: cache } });
    expect(result.code).toBe(0);
    const report = json<CacheJson>(result);
    expect(report.repositories.map((repository) => repository.id)).toEqual([
      'modelscout/agnews-bow',
      'modelscout/sst2-bow-logreg',
    ]);
    const files = report.repositories[1]!.revisions[0]!.files.map((file) => file.path);
    expect(files).toContain('onnx/model_quantized.onnx');
    expect(files).not.toContain('onnx/model.onnx');
  });

  test('output flags may come between the group and its command', async () => {
    const [listed, alone] = await Promise.all([
      runCli(['cache', '--json', 'ls', '--dir', cache]),
      runCli(['cache', '--json']),
    ]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(json<CacheJson>(listed).repositories).toHaveLength(2);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toMatch(/^modelscout: 'cache' needs a command/m);
    expect(json(alone)).toMatchObject({ error: { name: 'UsageError', exitCode: 2 } });
  });

  test('a missing cache folder is an empty cache', async () => {
    const result = await runCli(['cache', 'ls', '--dir', path.join(directory, 'nothing-here')]);
    expect(result).toMatchObject({ code: 0, stdout: '' });
    expect(result.stderr).toMatch(/^0 models, 0 revisions, 0 B in .*\(no such folder yet\)\n$/);
  });

  test('--cache=<dir> makes the cache a provider of the other commands', async () => {
    const result = await runCli(['search', `--cache=${cache}`]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^modelscout\/agnews-bow\s/m);
    expect(result.stdout).toMatch(/^modelscout\/sst2-bow-logreg\s/m);
  });
});

describe('a cached copy', () => {
  test('eval loads the dtype the cache holds, not one only the Hub has', async () => {
    const data = path.join(directory, 'two-rows.jsonl');
    await writeFile(
      data,
      '{"text": "a gorgeous, witty, seductive movie.", "label": "POSITIVE"}\n{"text": "the plot is a tedious mess.", "label": "NEGATIVE"}\n',
    );
    // The Hub lists fp32, fp16 and q8; the cache holds only the q8 weights of sst2-bow-logreg.
    const result = await runCli([
      'eval',
      'modelscout/sst2-bow-logreg',
      '--data',
      data,
      '--hub',
      hub.url,
      `--cache=${cache}`,
      '--json',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const [score] = json<{ scores: { dtype: string; samples: number; stopReason: string }[] }>(result).scores;
    expect(score).toMatchObject({ dtype: 'q8', samples: 2, stopReason: 'completed' });
  });
});

describe('cache prune', () => {
  test('plans without removing anything unless --yes', async () => {
    const before = await runCli(['cache', 'ls', '--dir', cache, '--json']);
    const result = await runCli(['cache', 'prune', '--dir', cache, '--budget', '1MB']);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^REMOVE\s+MODEL\s+WHAT\s+WHY\s+LAST ACCESS\s+FREES$/);
    expect(result.stdout).toMatch(
      /^revision\s+modelscout\/\S+\s+[0-9a-f]{12} \(main\)\s+size budget \(least recently used\)/m,
    );
    expect(lines.at(-1)).toMatch(
      /^Would free [\d.]+ [kM]B: [\d.]+ MB → [\d.]+ kB\. Nothing was removed; run again with --yes to remove it\.$/,
    );
    const after = await runCli(['cache', 'ls', '--dir', cache, '--json']);
    expect(json<CacheJson>(after).sizeOnDisk).toBe(json<CacheJson>(before).sizeOnDisk);
  });

  test('--unused-dtypes q8 --yes removes the other weights', async () => {
    const pruned = await filledCache('to-prune');
    const result = await runCli([
      'cache',
      'prune',
      '--dir',
      pruned,
      '--unused-dtypes',
      'q8',
      '--yes',
      '--json',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const document = json<{
      dryRun: boolean;
      plan: { files: { path: string; dtype: string }[] };
      result: { freedBytes: number; removedFiles: { path: string }[] };
    }>(result);
    expect(document.dryRun).toBe(false);
    expect(document.plan.files.map((file) => file.path).sort()).toEqual([
      'onnx/model.onnx',
      'onnx/model_fp16.onnx',
    ]);
    expect(document.result.freedBytes).toBeGreaterThan(0);
    const snapshots = path.join(pruned, 'models--modelscout--agnews-bow', 'snapshots');
    const [commit] = await readdir(snapshots);
    expect(await readdir(path.join(snapshots, commit!, 'onnx'))).toEqual(['model_quantized.onnx']);
  });

  test('usage errors: no strategy, contradicting flags, a bad size', async () => {
    const [none, both, size] = await Promise.all([
      runCli(['cache', 'prune', '--dir', cache]),
      runCli(['cache', 'prune', '--dir', cache, '--budget', '1GB', '--yes', '--dry-run']),
      runCli(['cache', 'prune', '--dir', cache, '--budget', 'lots']),
    ]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(
      /choose what to prune: --budget <size>, --unused-revisions or --unused-dtypes <keep>/,
    );
    expect(both.code).toBe(2);
    expect(size.code).toBe(2);
  });

  test('an unknown dtype or a malformed pin is named by its option', async () => {
    const [dtype, pin] = await Promise.all([
      runCli(['cache', 'prune', '--dir', cache, '--unused-dtypes', 'q8,q9']),
      runCli(['cache', 'prune', '--dir', cache, '--budget', '1GB', '--pin', 'not a model id']),
    ]);
    expect(dtype.code).toBe(2);
    expect(dtype.stderr).toMatch(
      /^modelscout: option '--unused-dtypes': 'q9' is not a dtype \(fp32, .*q8.*\)/,
    );
    expect(pin.code).toBe(2);
    expect(pin.stderr).toMatch(/^modelscout: option '--pin': 'not a model id' must be a model id/);
  });
});

describe('cache verify', () => {
  test('--model of a model the cache does not hold checks nothing: 4, not OK', async () => {
    const [none, some] = await Promise.all([
      runCli(['cache', 'verify', '--dir', cache, '--model', 'modelscout/not-cached', '--json']),
      runCli([
        'cache',
        'verify',
        '--dir',
        cache,
        '--model',
        'modelscout/sst2-bow-logreg',
        'modelscout/not-cached',
      ]),
    ]);
    expect(none.code).toBe(4);
    expect(none.stderr).toBe(`modelscout: the cache in ${cache} holds no modelscout/not-cached\n`);
    expect(json(none)).toMatchObject({ error: { name: 'NothingFoundError', exitCode: 4 } });
    expect(some.code, some.stderr).toBe(0);
    expect(some.stderr).toBe(`modelscout: warning: the cache in ${cache} holds no modelscout/not-cached\n`);
    expect(some.stdout).toMatch(/^OK: \d+ blobs? /m);
  });

  test('exits with 0 when every blob matches its hash, 1 when one does not', async () => {
    const verified = await filledCache('to-verify');
    const clean = await runCli(['cache', 'verify', '--dir', verified]);
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.stdout).toMatch(/^OK: \d+ blobs \([\d.]+ MB\) checked in .*, no problem found\.$/m);

    // Corrupt the q8 weights of sst2-bow-logreg: its blob is named by its sha256.
    const blobs = path.join(verified, 'models--modelscout--sst2-bow-logreg', 'blobs');
    const names = await readdir(blobs);
    const weights = names.find(
      (name) => name === '7f2ee5f5f69b28f38bd55ac3bde9035d0293b87d3ac5f9a6b3df3367b19c5978',
    );
    expect(weights).toBeDefined();
    await appendFile(path.join(blobs, weights!), 'corruption');
    const [corrupted, asJson] = await Promise.all([
      runCli(['cache', 'verify', '--dir', verified]),
      runCli(['cache', 'verify', '--dir', verified, '--model', 'modelscout/sst2-bow-logreg', '--json']),
    ]);
    expect(corrupted.code).toBe(1);
    expect(corrupted.stdout).toMatch(
      /^corrupted\s+modelscout\/sst2-bow-logreg\s+onnx\/model_quantized\.onnx\s+/m,
    );
    expect(corrupted.stdout).toMatch(/^1 problem: /m);
    expect(asJson.code).toBe(1);
    expect(json<{ ok: boolean; problems: { kind: string }[] }>(asJson)).toMatchObject({
      ok: false,
      problems: [{ kind: 'corrupted' }],
    });
  });
});
