// Builds dist/ once for the CLI tests, which run the built binary (`node dist/cli/main.js`) as a
// user would. Several test files (in parallel vitest workers) call `ensureBuiltCli()`: a
// cross-process lock lets one of them run `npm run build` while the others wait, and nothing is
// built when dist/cli/main.js is newer than every source file, package.json and the tsconfigs.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { lock } from 'proper-lockfile';

/** The repository's root folder. */
export const REPOSITORY_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** The built CLI entry point, as package.json's `bin` names it. */
export const CLI_ENTRY = path.join(REPOSITORY_ROOT, 'dist', 'cli', 'main.js');
/** The longest a build may take (the type check dominates; about 30 s on a 2-core machine). */
export const BUILD_TIMEOUT_MS = 240_000;

async function modifiedAt(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).mtimeMs;
  } catch {
    return undefined;
  }
}

/** The newest modification time of the build's inputs: src/ (tests excluded), package.json, tsconfigs. */
async function newestInput(): Promise<number> {
  let newest = 0;
  const files = ['package.json', 'tsconfig.json', 'tsconfig.build.json'].map((file) =>
    path.join(REPOSITORY_ROOT, file),
  );
  const entries = await readdir(path.join(REPOSITORY_ROOT, 'src'), { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
      files.push(path.join(entry.parentPath, entry.name));
    }
  }
  for (const file of files) newest = Math.max(newest, (await modifiedAt(file)) ?? 0);
  return newest;
}

async function isFresh(): Promise<boolean> {
  const built = await modifiedAt(CLI_ENTRY);
  return built !== undefined && built >= (await newestInput());
}

function runBuild(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', 'build', '--silent'], {
      cwd: REPOSITORY_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGTERM'), BUILD_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`npm run build failed (${signal ?? `exit ${code}`}):\n${output}`));
    });
  });
}

/**
 * Makes sure dist/cli/main.js is built from the current sources, building once across the test
 * workers. Resolves to its path.
 */
export async function ensureBuiltCli(): Promise<string> {
  if (await isFresh()) return CLI_ENTRY;
  const lockName = `modelscout-cli-build-${createHash('sha256').update(REPOSITORY_ROOT).digest('hex').slice(0, 12)}`;
  const release = await lock(path.join(tmpdir(), lockName), {
    realpath: false,
    stale: 60_000,
    update: 10_000,
    retries: { retries: Math.ceil(BUILD_TIMEOUT_MS / 500), minTimeout: 500, maxTimeout: 500, factor: 1 },
  });
  try {
    // Another worker may have built it while this one waited for the lock.
    if (!(await isFresh())) await runBuild();
  } finally {
    await release();
  }
  return CLI_ENTRY;
}
