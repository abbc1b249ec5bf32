// The built `modelscout` binary, run as a user runs it: help, version, usage errors, search,
// info and select against a local hub serving the model zoo over real HTTP on 127.0.0.1.

import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createLocalHub, type LocalHub } from '../discovery/local-hub/create-local-hub.js';
import { BUILD_TIMEOUT_MS, ensureBuiltCli, REPOSITORY_ROOT } from './testing/built-cli.js';
import { type CliResult, hasTerminalControls, runCli } from './testing/cli-process.js';

const ZOO = path.join(REPOSITORY_ROOT, 'examples', 'models');
const SST2_MODELS = [
  'modelscout/sst2-bigram-hashed',
  'modelscout/sst2-bow-logreg',
  'modelscout/sst2-embedding-mlp',
];
const ALL_MODELS = ['modelscout/agnews-bow', 'modelscout/sentence-embedding-mini', ...SST2_MODELS];

let hub: LocalHub;
let directory: string;

beforeAll(async () => {
  await ensureBuiltCli();
  hub = await createLocalHub({ root: ZOO, port: 0 });
  directory = await mkdtemp(path.join(tmpdir(), 'modelscout-cli-'));
}, BUILD_TIMEOUT_MS);

afterAll(async () => {
  await hub?.close();
  if (directory !== undefined) await rm(directory, { recursive: true, force: true });
});

/** A port nothing listens on (it was free a moment ago). */
function freePort(): Promise<number> {
  return new Promise<number>((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

/** The one JSON document a `--json` run printed on stdout. */
function json(result: CliResult): Record<string, unknown> {
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

/** Checks the shape of a failure: one `modelscout:` line on stderr, no stack trace. */
function expectFailure(result: CliResult, code: number, message: RegExp): void {
  expect(result.code, result.stderr).toBe(code);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines[0]).toMatch(/^modelscout: /);
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(/^\s+at /m);
}

describe('help and version', () => {
  test('--version prints the version of package.json', async () => {
    const { version } = JSON.parse(await readFile(path.join(REPOSITORY_ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };
    const [plain, short, asJson] = await Promise.all([
      runCli(['--version']),
      runCli(['-V']),
      runCli(['--version', '--json']),
    ]);
    expect(plain).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: '' });
    expect(short.stdout).toBe(`${version}\n`);
    expect(json(asJson)).toEqual({ version });
  });

  test('--help lists every command and the exit statuses', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    for (const command of [
      'search',
      'info',
      'eval',
      'select',
      'cache ls',
      'cache prune',
      'cache verify',
      'hub serve',
      'report',
    ]) {
      expect(result.stdout).toContain(`  ${command} `);
    }
    expect(result.stdout).toMatch(/Exit status:\n\s+0 {2}success\n\s+1 {2}runtime failure/);
    for (const code of ['2', '3', '4', '130'])
      expect(result.stdout).toMatch(new RegExp(`^\\s+${code} {2}\\S`, 'm'));
    expect(hasTerminalControls(result.stdout)).toBe(false);
  });

  test('every command has --help (and -h): usage, options, examples, exit statuses', async () => {
    const commands = [
      'search',
      'info',
      'eval',
      'select',
      'cache ls',
      'cache prune',
      'cache verify',
      'hub serve',
      'report',
    ];
    const results = await Promise.all(commands.map((command) => runCli([...command.split(' '), '--help'])));
    results.forEach((result, index) => {
      const command = commands[index]!;
      expect(result.code, command).toBe(0);
      expect(result.stdout).toContain(`Usage: modelscout ${command}`);
      expect(result.stdout).toMatch(/\nOptions:\n/);
      expect(result.stdout).toContain('--json');
      expect(result.stdout).toMatch(/\nExamples:\n {2}modelscout /);
      expect(result.stdout).toContain('Exit status:');
      expect(result.stderr).toBe('');
    });
    const [short, group, helpCommand] = await Promise.all([
      runCli(['search', '-h']),
      runCli(['cache', '--help']),
      runCli(['help', 'hub', 'serve']),
    ]);
    expect(short.stdout).toBe(results[0]!.stdout);
    expect(group.code).toBe(0);
    expect(group.stdout).toMatch(/ls\s+list the cached models/);
    expect(helpCommand.stdout).toBe(results[7]!.stdout);
  });
});

describe('usage errors exit with 2', () => {
  test('unknown commands and options, with a suggestion', async () => {
    const [command, option, subcommand, none] = await Promise.all([
      runCli(['serch', 'bert']),
      runCli(['search', '--licence', 'mit']),
      runCli(['cache', 'prun']),
      runCli([]),
    ]);
    expectFailure(command, 2, /unknown command 'serch'; did you mean 'search'\?/);
    expectFailure(
      option,
      2,
      /unknown option '--licence'; did you mean '--license'\? \(see 'modelscout search --help'\)/,
    );
    expectFailure(subcommand, 2, /unknown command 'cache prun'; did you mean 'prune'\?/);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Usage: modelscout <command>');
    expect(none.stdout).toBe('');
  });

  test('missing arguments and invalid values', async () => {
    const [noId, noValue, badLimit, badSize, badTask, badHub, flagValue] = await Promise.all([
      runCli(['info', '--hub', hub.url]),
      runCli(['search', '--task']),
      runCli(['search', '--limit', 'many', '--hub', hub.url]),
      runCli(['search', '--max-size', 'huge', '--hub', hub.url]),
      runCli(['search', '--task', 'text-clasification', '--hub', hub.url]),
      runCli(['search', '--hub', 'not a url']),
      runCli(['search', '--json=yes', '--hub', hub.url]),
    ]);
    expectFailure(noId, 2, /missing model id/);
    expectFailure(noValue, 2, /option '--task' needs a value <task>/);
    expectFailure(badLimit, 2, /option '--limit' must be an integer from 1 to 10000, not 'many'/);
    expectFailure(badSize, 2, /option '--max-size' must be a size such as 500MB/);
    expectFailure(badTask, 2, /did you mean 'text-classification'\?/);
    expectFailure(badHub, 2, /option '--hub' must be an http\(s\) URL/);
    expectFailure(flagValue, 2, /option '--json' takes no value/);
  });

  test('integer options take decimal digits only', async () => {
    const results = await Promise.all(
      ['0x10', '1e1', '2.0', '0b11', ' 3'].map((limit) =>
        runCli(['search', '--limit', limit, '--hub', hub.url]),
      ),
    );
    for (const result of results) {
      expectFailure(result, 2, /option '--limit' must be an integer from 1 to 10000/);
    }
    const underscores = await runCli(['search', '--limit', '1_000', '--hub', hub.url]);
    expect(underscores.code, underscores.stderr).toBe(0);
  });

  test('HF_TOKEN and HF_ENDPOINT are named when they are invalid', async () => {
    const [token, endpoint] = await Promise.all([
      runCli(['search', '--hub', hub.url], { env: { HF_TOKEN: 'not-a-token' } }),
      runCli(['search'], { env: { HF_ENDPOINT: 'ftp://mirror.example' } }),
    ]);
    expectFailure(token, 2, /^modelscout: HF_TOKEN must be a Hugging Face access token \(hf_…\)/m);
    expect(token.stderr).not.toContain('not-a-token');
    expectFailure(endpoint, 2, /^modelscout: HF_ENDPOINT must be an http\(s\) URL/m);
  });

  test("only options before '--' count: '--json' after it is an argument", async () => {
    const result = await runCli(['info', '--hub', hub.url, '--', '--json']);
    expectFailure(result, 4, /no provider knows model '--json'/);
    expect(result.stdout).toBe('');
  });

  test('output flags may come before --help and --version', async () => {
    const [help, version] = await Promise.all([
      runCli(['--no-color', '--help']),
      runCli(['-q', '--version']),
    ]);
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toContain('Usage: modelscout <command>');
    expect(version.code, version.stderr).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  test('with --json, an error is also one JSON document on stdout', async () => {
    const result = await runCli(['search', '--limit', '0', '--json', '--hub', hub.url]);
    expect(result.code).toBe(2);
    expect(json(result)).toEqual({
      error: {
        name: 'UsageError',
        message: "option '--limit' must be an integer from 1 to 10000, not '0'",
        exitCode: 2,
        command: 'search',
      },
    });
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  test('MODELSCOUT_DEBUG=1 adds the stack trace', async () => {
    const result = await runCli(['search', '--limit', '0'], { env: { MODELSCOUT_DEBUG: '1' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^\s+at /m);
  });
});

describe('search', () => {
  test('prints a table of the models, one per line', async () => {
    const result = await runCli(['search', '--hub', hub.url]);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+TASK\s+LIBRARY\s+SIZE\s+DOWNLOADS\s+LIKES\s+LICENSE$/);
    expect(
      lines
        .slice(1)
        .map((line) => line.split(/\s+/)[0])
        .sort(),
    ).toEqual(ALL_MODELS);
    expect(result.stdout).toMatch(
      /modelscout\/sst2-bow-logreg\s+text-classification\s+transformers\.js\s+1\.15 MB\s+0\s+0\s+apache-2\.0/,
    );
    expect(result.stderr).toBe('5 models found\n');
    expect(hasTerminalControls(result.stdout + result.stderr)).toBe(false);
  });

  test('filters by text, task, license and size; --limit and --sort', async () => {
    const [sentiment, small, embedding, limited] = await Promise.all([
      runCli([
        'search',
        'sst2',
        '--task',
        'text-classification',
        '--license',
        'permissive',
        '--hub',
        hub.url,
      ]),
      runCli(['search', '--max-size', '2MB', '--sort', 'size', '--hub', hub.url]),
      runCli(['search', '--task', 'feature-extraction', '--local', ZOO]),
      runCli(['search', '--sort', 'size', '--limit', '2', '--hub', hub.url]),
    ]);
    const ids = (result: CliResult) =>
      result.stdout
        .trimEnd()
        .split('\n')
        .slice(1)
        .map((line) => line.split(/\s+/)[0]);
    expect(ids(sentiment).sort()).toEqual(SST2_MODELS);
    expect(ids(small)).toEqual(['modelscout/sst2-bow-logreg', 'modelscout/agnews-bow']);
    expect(ids(embedding)).toEqual(['modelscout/sentence-embedding-mini']);
    expect(ids(limited)).toEqual(['modelscout/sst2-bow-logreg', 'modelscout/agnews-bow']);
    expect(limited.stderr).toBe('5 models found, 2 shown (--limit)\n');
  });

  test('--json prints one document: total, candidates without raw records, facets, providers', async () => {
    const result = await runCli(['search', '--json', '--hub', hub.url, '--local', ZOO]);
    expect(result.code).toBe(0);
    const document = json(result) as {
      total: number;
      candidates: { id: string; providers: string[]; raw?: unknown }[];
      facets: { tasks: { value: string; count: number }[] };
      providers: { provider: string; status: string }[];
      errors: unknown[];
    };
    expect(document.total).toBe(5);
    expect(document.candidates.map((candidate) => candidate.id).sort()).toEqual(ALL_MODELS);
    expect(document.candidates.every((candidate) => candidate.raw === undefined)).toBe(true);
    expect(document.candidates[0]!.providers).toEqual(['huggingface', 'local-directory']);
    expect(document.facets.tasks).toEqual([
      { value: 'text-classification', count: 4 },
      { value: 'feature-extraction', count: 1 },
    ]);
    expect(document.providers.map(({ provider, status }) => [provider, status])).toEqual([
      ['huggingface', 'listed'],
      ['local-directory', 'listed'],
    ]);
    expect(document.errors).toEqual([]);
    expect(result.stderr).toBe('5 models found\n');
  });

  test('nothing found exits with 4 (the JSON document is still printed)', async () => {
    const [plain, asJson] = await Promise.all([
      runCli(['search', 'no-such-model-anywhere', '--hub', hub.url]),
      runCli(['search', 'no-such-model-anywhere', '--hub', hub.url, '--json']),
    ]);
    expect(plain).toMatchObject({ code: 4, stdout: '', stderr: 'modelscout: no model matches\n' });
    expect(asJson.code).toBe(4);
    expect(json(asJson)).toMatchObject({ total: 0, candidates: [] });
  });

  test('a provider that cannot be reached is a runtime failure (1); the token is never printed', async () => {
    const closedPort = await freePort();
    const token = 'hf_cliTestSecretToken1234567890';
    const result = await runCli(['search', '--hub', `http://127.0.0.1:${closedPort}`, '--json'], {
      env: { HF_TOKEN: token, MODELSCOUT_DEBUG: '1' },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^modelscout: Provider 'huggingface' failed while listing models/);
    expect(json(result)).toMatchObject({
      error: { name: 'ProviderError', provider: 'huggingface', exitCode: 1 },
    });
    expect(result.stdout + result.stderr).not.toContain(token);
    // With other providers answering, the failure is a warning and the others' models are listed.
    const partial = await runCli(['search', '--hub', `http://127.0.0.1:${closedPort}`, '--local', ZOO]);
    expect(partial.code).toBe(0);
    expect(partial.stderr).toMatch(/^modelscout: warning: Provider 'huggingface' failed/m);
    expect(partial.stdout.trimEnd().split('\n')).toHaveLength(6);
  });
});

describe('the access token', () => {
  test('is redacted from warnings and from the errors of a --json document', async () => {
    // Not shaped like the tokens the generic redaction knows (hf_ and 6+ letters or digits), and
    // part of the URL, so that a provider's failure message holds it.
    const token = 'hf_ab-cd_ef.gh1234';
    const closedHub = `http://127.0.0.1:${await freePort()}/${token}`;
    const [plain, asJson] = await Promise.all([
      runCli(['search', '--hub', closedHub, '--local', ZOO], { env: { HF_TOKEN: token } }),
      runCli(['search', '--hub', closedHub, '--local', ZOO, '--json'], { env: { HF_TOKEN: token } }),
    ]);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stderr).toMatch(/^modelscout: warning: Provider 'huggingface' failed .*\[redacted\]/m);
    expect(asJson.code, asJson.stderr).toBe(0);
    const { errors } = json(asJson) as { errors: { message: string }[] };
    expect(errors[0]!.message).toContain('[redacted]');
    expect(plain.stdout + plain.stderr + asJson.stdout + asJson.stderr).not.toContain(token);
  });
});

describe('info', () => {
  test("prints a model's details, its card's first paragraph and its files", async () => {
    const result = await runCli(['info', 'modelscout/sst2-bow-logreg', '--hub', hub.url]);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe('modelscout/sst2-bow-logreg');
    expect(lines[1]).toMatch(/^Binary sentiment \(NEGATIVE \/ POSITIVE\) of English movie-review phrases\./);
    expect(result.stdout).toMatch(/^tasks\s+text-classification$/m);
    expect(result.stdout).toMatch(/^license\s+apache-2\.0 \(permissive\)$/m);
    expect(result.stdout).toMatch(/^dtypes\s+fp32, fp16, q8$/m);
    expect(result.stdout).toMatch(/^metrics\s+accuracy 0\.903, f1 0\.902$/m);
    expect(result.stdout).toMatch(/^FILE\s+SIZE\s+DTYPE\s+SHA256$/m);
    expect(result.stdout).toMatch(/^onnx\/model_quantized\.onnx\s+62\.2 kB\s+q8\s+7f2ee5f5f69b$/m);
    expect(result.stderr).toBe('');
  });

  test('--json prints the merged candidate with its card summary', async () => {
    const result = await runCli([
      'info',
      'modelscout/agnews-bow',
      '--hub',
      hub.url,
      '--local',
      ZOO,
      '--json',
    ]);
    expect(result.code).toBe(0);
    const { candidates } = json(result) as {
      candidates: {
        id: string;
        providers: string[];
        localPath: string;
        cardSummary: string;
        files: unknown[];
      }[];
    };
    expect(candidates).toHaveLength(1);
    expect(candidates[0]).toMatchObject({
      id: 'modelscout/agnews-bow',
      providers: ['huggingface', 'local-directory'],
      localPath: path.join(ZOO, 'modelscout', 'agnews-bow'),
    });
    expect(candidates[0]!.cardSummary).toMatch(/^Four-way topic classification of English news snippets/);
  });

  test('an unknown model exits with 4', async () => {
    const result = await runCli(['info', 'modelscout/no-such-model', '--hub', hub.url, '--json']);
    expectFailure(result, 4, /no provider knows model 'modelscout\/no-such-model'/);
    expect(json(result)).toEqual({
      error: {
        name: 'NothingFoundError',
        message: "no provider knows model 'modelscout/no-such-model'",
        exitCode: 4,
      },
    });
  });
});

describe('report', () => {
  const scores = [
    {
      modelId: 'org/model',
      quality: { metric: 'accuracy', value: 0.9, lower: 0.85, upper: 0.93 },
      latencyMs: { p50: 1, p95: 2, p99: 3 },
      throughput: 100,
      samples: 100,
    },
  ];

  test('a file without any score is invalid (3): there is nothing to report', async () => {
    const empty = path.join(directory, 'no-scores.json');
    await writeFile(empty, JSON.stringify({ scores: [] }));
    const out = path.join(directory, 'no-scores.html');
    const result = await runCli(['report', '--from', empty, '--out', out]);
    expectFailure(result, 3, /no-scores\.json:1:1: .*no evaluation score/);
    await expect(stat(out)).rejects.toThrow();
  });

  test('a store that does not exist holds nothing (4), and is not created', async () => {
    const store = path.join(directory, 'no-such-folder', 'scout.sqlite');
    const result = await runCli([
      'report',
      '--store',
      store,
      '--model',
      'org/model',
      '--out',
      path.join(directory, 'never.html'),
    ]);
    expectFailure(result, 4, /no store at .*no-such-folder\/scout\.sqlite/);
    await expect(stat(path.dirname(store))).rejects.toThrow();
  });

  test('a score the report refuses makes the file invalid (3), not the command line (2)', async () => {
    const refused = path.join(directory, 'refused.json');
    await writeFile(refused, JSON.stringify([{ ...scores[0], latencyMs: 'fast' }]));
    const result = await runCli(['report', '--from', refused, '--out', path.join(directory, 'refused.html')]);
    expectFailure(result, 3, /refused\.json:1:1: scores\[0\]\.latencyMs must be \{ p50\?, p95\?, p99\? \}/);
  });

  test('a file that starts with a byte order mark is read (editors on Windows write one)', async () => {
    const withMark = path.join(directory, 'with-bom.json');
    await writeFile(withMark, `\uFEFF${JSON.stringify({ scores })}`);
    const out = path.join(directory, 'with-bom.html');
    const result = await runCli(['report', '--from', withMark, '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(`Report of 1 evaluation written to ${out}\n`);
  });

  test('a leading ~ in a path given with = is the home folder', async () => {
    const home = path.join(directory, 'home');
    await mkdir(home);
    await writeFile(path.join(home, 'scores.json'), JSON.stringify(scores));
    const result = await runCli(['report', '--from=~/scores.json', '--out=~/reports/report.html'], {
      env: { HOME: home },
      cwd: directory,
    });
    expect(result.code, result.stderr).toBe(0);
    const out = path.join(home, 'reports', 'report.html');
    expect(result.stdout).toBe(`Report of 1 evaluation written to ${out}\n`);
    expect((await stat(out)).size).toBeGreaterThan(1000);
    await expect(stat(path.join(directory, '~'))).rejects.toThrow();
  });
});

describe('select', () => {
  const requirements = () => path.join(directory, 'requirements.yaml');

  beforeAll(async () => {
    await writeFile(
      requirements(),
      [
        'version: 1',
        'tasks:',
        '  sentiment:',
        '    description: Tell positive reviews from negative ones.',
        '    task: text-classification',
        '    candidates: [modelscout/sst2-bow-logreg, modelscout/sst2-bigram-hashed, modelscout/sst2-embedding-mlp]',
        '    license: { allow: [permissive] }',
        '    limits: { maxSizeBytes: 3MB }',
        '    fallbacks: 1',
        '  tiny:',
        '    task: text-classification',
        '    candidates: [modelscout/sst2-bow-logreg, modelscout/sst2-embedding-mlp]',
        '    limits: { maxSizeBytes: 100kB }',
        '',
      ].join('\n'),
    );
  });

  test('chooses among the candidates that meet the constraints, with fallbacks and why', async () => {
    const result = await runCli([
      'select',
      '--requirements',
      requirements(),
      '--task',
      'sentiment',
      '--hub',
      hub.url,
      '--seed',
      '3',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const chosen = /^chosen\s+(\S+)$/m.exec(result.stdout)?.[1];
    expect(['modelscout/sst2-bow-logreg', 'modelscout/sst2-bigram-hashed']).toContain(chosen);
    expect(result.stdout).toMatch(/^fallbacks\s+modelscout\/sst2-(bow-logreg|bigram-hashed)$/m);
    expect(result.stdout).toMatch(/^MODEL\s+QUALITY \[INTERVAL\]\s+LATENCY\s+COST\s+UTILITY\s+OUTCOMES$/m);
    expect(result.stdout).toMatch(
      /removed by maxSizeBytes \(modelscout\/sst2-embedding-mlp: 3585976 > 3000000\)/,
    );
  });

  test('--json, and --candidates instead of those the task lists', async () => {
    const result = await runCli([
      'select',
      '--requirements',
      requirements(),
      '--task',
      'sentiment',
      '--candidates',
      'modelscout/sst2-bow-logreg',
      'modelscout/agnews-bow',
      '--hub',
      hub.url,
      '--json',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const document = json(result) as {
      task: { name: string; task: string };
      primary: { id: string };
      fallbacks: { id: string }[];
      estimates: { id: string; quality: { mean: number; lower: number; upper: number } }[];
      explanation: { summary: string; strategy: string };
    };
    expect(document.task).toMatchObject({ name: 'sentiment', task: 'text-classification' });
    expect([document.primary.id, ...document.fallbacks.map((model) => model.id)].sort()).toEqual([
      'modelscout/agnews-bow',
      'modelscout/sst2-bow-logreg',
    ]);
    expect(document.estimates).toHaveLength(2);
    expect(document.explanation.strategy).toBe('thompson-sampling');
  });

  test('constraints that remove every candidate exit with 4, naming what removed each', async () => {
    const result = await runCli([
      'select',
      '--requirements',
      requirements(),
      '--task',
      'tiny',
      '--hub',
      hub.url,
    ]);
    expectFailure(result, 4, /No candidate satisfies the hard constraints: maxSizeBytes/);
    expect(result.stderr).toContain('modelscout/sst2-bow-logreg: 1149876 > 100000');
  });

  test('an invalid requirements file exits with 3 and says file:line:column', async () => {
    const broken = path.join(directory, 'broken.yaml');
    await writeFile(broken, 'version: 1\ntasks:\n  a:\n    task: [text-classification\n');
    const typo = path.join(directory, 'typo.yaml');
    await writeFile(
      typo,
      'version: 1\ntasks:\n  a:\n    task: text-classification\n    limts: { maxSizeBytes: 1GB }\n',
    );
    const [syntax, schema, asJson, missing] = await Promise.all([
      runCli(['select', '--requirements', broken, '--hub', hub.url]),
      runCli(['select', '--requirements', typo, '--hub', hub.url]),
      runCli(['select', '--requirements', broken, '--hub', hub.url, '--json']),
      runCli(['select', '--requirements', path.join(directory, 'missing.yaml'), '--hub', hub.url]),
    ]);
    expectFailure(syntax, 3, new RegExp(`${broken.replaceAll('.', '\\.')}:5:1: `));
    expectFailure(
      schema,
      3,
      new RegExp(`${typo.replaceAll('.', '\\.')}:5:5: .*'limts'.*did you mean 'limits'`),
    );
    expect(json(asJson)).toMatchObject({
      error: { name: 'ConfigurationError', exitCode: 3, file: broken, line: 5, column: 1, kind: 'syntax' },
    });
    expectFailure(missing, 3, /missing\.yaml:1:1: .*no such file/);
  });

  test('a provider that fails is a runtime failure (1), not a pass through the constraints', async () => {
    const closedHub = `http://127.0.0.1:${await freePort()}`;
    const discovering = path.join(directory, 'discovering.yaml');
    await writeFile(discovering, 'version: 1\ntasks:\n  any:\n    task: text-classification\n');
    const [listed, asJson, discovered] = await Promise.all([
      // The candidates the task lists could not be described, so their sizes are unknown: the
      // 100 kB limit cannot be checked, and choosing one anyway would hide the failure.
      runCli(['select', '--requirements', requirements(), '--task', 'tiny', '--hub', closedHub]),
      runCli([
        'select',
        '--requirements',
        requirements(),
        '--task',
        'sentiment',
        '--hub',
        closedHub,
        '--json',
      ]),
      // A task without candidates discovers them: no provider answered, which is not "none found".
      runCli(['select', '--requirements', discovering, '--hub', closedHub]),
    ]);
    expectFailure(listed, 1, /Provider 'huggingface' failed while getting a model/);
    expect(listed.stdout).toBe('');
    expect(asJson.code).toBe(1);
    expect(json(asJson)).toMatchObject({
      error: { name: 'ProviderError', provider: 'huggingface', exitCode: 1 },
    });
    expectFailure(discovered, 1, /Provider 'huggingface' failed while listing models/);
  });

  test('a task the file does not have is a usage error', async () => {
    const result = await runCli([
      'select',
      '--requirements',
      requirements(),
      '--task',
      'sentimnt',
      '--hub',
      hub.url,
    ]);
    expectFailure(result, 2, /no task 'sentimnt'; did you mean 'sentiment'\?/);
  });
});
