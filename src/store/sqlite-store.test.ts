import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, test } from 'vitest';
import { manualClock } from '../clock/manual-clock.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { StoreError } from '../errors/store-error.js';
import { storeConformance } from '../testing/store-conformance.js';
import { SQLITE_STORE_DEFAULTS, sqliteStore } from './sqlite-store.js';

const WORKER = fileURLToPath(new URL('./testing/sqlite-increment-worker.ts', import.meta.url));

let directory: string;
let files = 0;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'modelscout-sqlite-'));
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

/** A path for a new database file in this run's temporary directory. */
function freshPath(): string {
  files++;
  return join(directory, `store-${files}.sqlite`);
}

storeConformance(
  { test },
  {
    name: 'sqliteStore',
    create: ({ clock }) => sqliteStore({ path: freshPath(), clock }),
  },
);

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

function assertClose(actual: number | undefined, expected: number, label: string): void {
  assert.ok(
    actual !== undefined && Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)),
    `${label}: ${actual} is not ${expected}`,
  );
}

/** Runs the increment worker in a child process (through tsx) and collects its stdout. */
function startWorker(path: string, calls: number | 'forever', workerId: string): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', WORKER, path, String(calls), workerId], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Resolves with the exit code (or signal) of `child`, rejecting with its stderr when it fails to start. */
function exited(
  child: ChildProcess,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

/** Resolves once `child` has written a line to stdout that matches `pattern`. */
function printed(child: ChildProcess, pattern: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: string) => {
      output += chunk;
      if (pattern.test(output)) {
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolve();
      }
    };
    child.stdout?.setEncoding('utf8').on('data', onData);
    child.once('close', () => reject(new Error(`the worker exited before printing ${pattern}: ${output}`)));
  });
}

test('sqliteStore is a v1 store named sqlite with frozen defaults', async () => {
  const store = sqliteStore({ path: freshPath() });
  assert.equal(store.specificationVersion, 'v1');
  assert.equal(store.name, 'sqlite');
  assert.ok(Object.isFrozen(SQLITE_STORE_DEFAULTS));
  assert.equal(SQLITE_STORE_DEFAULTS.busyTimeoutMs, 5000);
  await store.close();
});

test('sqliteStore validates its options', () => {
  for (const options of [
    undefined,
    {},
    { path: '' },
    { path: 7 },
    { path: 'x.sqlite', extra: true },
    { path: 'x.sqlite', clock: { now: 1 } },
    { path: 'x.sqlite', busyTimeoutMs: -1 },
    { path: 'x.sqlite', busyTimeoutMs: 1.5 },
  ]) {
    assert.throws(
      () => sqliteStore(options as never),
      InvalidArgumentError.isInstance,
      JSON.stringify(options),
    );
  }
});

test('a file that cannot be opened throws a StoreError carrying the cause', () => {
  assert.throws(
    () => sqliteStore({ path: join(directory, 'missing-directory', 'store.sqlite') }),
    (error: unknown) => StoreError.isInstance(error) && (error as Error).cause instanceof Error,
  );
});

test('a file with a newer schema version is refused', async () => {
  const path = freshPath();
  const db = new Database(path);
  db.pragma('user_version = 99');
  db.close();
  assert.throws(
    () => sqliteStore({ path }),
    (error: unknown) => StoreError.isInstance(error) && /schema version 99/.test((error as Error).message),
  );
});

test('counters, documents and TTLs survive close and reopen', async () => {
  const path = freshPath();
  const clock = manualClock(Date.UTC(2030, 0, 1));
  const first = sqliteStore({ path, clock });
  await first.increment([
    { key: 'arm:a', deltas: { pulls: 3, reward: 0.1 } },
    { key: 'arm:b', deltas: { pulls: 1 } },
  ]);
  await first.increment([{ key: 'arm:a', deltas: { reward: 0.2 } }]);
  await first.setDocument('model:x', { id: 'x', tags: ['a', 'b'] });
  await first.setDocument('session', 'short', { ttlMs: 1000 });
  await first.close();

  const second = sqliteStore({ path, clock });
  const [a, b] = await second.readCounters(['arm:a', 'arm:b']);
  assert.equal(a?.pulls, 3);
  assertClose(a?.reward, 0.3, 'arm:a reward');
  assert.deepStrictEqual(b, { pulls: 1 });
  assert.deepStrictEqual(await second.getDocument('model:x'), { id: 'x', tags: ['a', 'b'] });
  assert.equal(await second.getDocument('session'), 'short');
  clock.advance(1000);
  assert.equal(await second.getDocument('session'), undefined);
  await second.increment([{ key: 'arm:b', deltas: { pulls: 1 } }]);
  await second.close();

  const third = sqliteStore({ path, clock });
  assert.deepStrictEqual(await third.readCounters(['arm:b']), [{ pulls: 2 }]);
  await third.close();
});

test('two stores over one file share data', async () => {
  const path = freshPath();
  const first = sqliteStore({ path });
  const second = sqliteStore({ path });
  await first.increment([{ key: 'k', deltas: { n: 1 } }]);
  await second.increment([{ key: 'k', deltas: { n: 2 } }]);
  await first.setDocument('doc', 'from first');
  assert.deepStrictEqual(await second.readCounters(['k']), [{ n: 3 }]);
  assert.deepStrictEqual(await collect(second.scanDocuments('')), [['doc', 'from first']]);
  await first.close();
  await second.close();
});

test('scans page through more keys than one page holds, with other calls between items', async () => {
  const store = sqliteStore({ path: freshPath() });
  const increments = [];
  for (let index = 0; index < 1000; index++) {
    increments.push({ key: `page:${String(index).padStart(4, '0')}`, deltas: { n: index, m: 1 } });
  }
  await store.increment(increments);
  for (let index = 0; index < 600; index++) await store.setDocument(`doc:${index}`, index);
  let counters = 0;
  for await (const [key, record] of store.scanCounters('page:')) {
    assert.deepStrictEqual(record, { n: Number(key.slice(5)), m: 1 });
    // Another statement runs while the scan is suspended between items.
    await store.readCounters([key]);
    counters++;
  }
  assert.equal(counters, 1000);
  const documents = await collect(store.scanDocuments('doc:'));
  assert.equal(documents.length, 600);
  assert.equal(new Set(documents.map(([key]) => key)).size, 600);
  await store.close();
});

test('the schema: WAL, synchronous NORMAL, and prefix scans use the primary key range', async () => {
  const path = freshPath();
  const store = sqliteStore({ path });
  await store.increment([{ key: 'k', deltas: { n: 1 } }]);
  const db = new Database(path, { readonly: true });
  try {
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    const plan = db
      .prepare(
        'explain query plan select distinct key from counters where key >= ? and key < cast(? as text) order by key',
      )
      .all('a', Buffer.from('b')) as { detail: string }[];
    assert.ok(
      plan.some(({ detail }) => /SEARCH counters USING PRIMARY KEY \(key>\? AND key<\?\)/.test(detail)),
      JSON.stringify(plan),
    );
  } finally {
    db.close();
    await store.close();
  }
});

test('4 processes × 2,000 increment calls give exact counts', { timeout: 60_000 }, async () => {
  const path = freshPath();
  // Created (with its tables) before the workers start.
  await sqliteStore({ path }).close();
  const workers = ['0', '1', '2', '3'].map((workerId) => exited(startWorker(path, 2000, workerId)));
  for (const { code, stderr } of await Promise.all(workers)) assert.equal(code, 0, stderr);
  const store = sqliteStore({ path });
  const [a, b, ...perWorker] = await store.readCounters([
    'pair:a',
    'pair:b',
    'worker:0',
    'worker:1',
    'worker:2',
    'worker:3',
  ]);
  assert.equal(a?.n, 8000);
  assert.equal(b?.n, 8000);
  assertClose(a?.sum, 800, 'pair:a sum');
  assertClose(b?.sum, 800, 'pair:b sum');
  assert.deepStrictEqual(perWorker, [{ n: 2000 }, { n: 2000 }, { n: 2000 }, { n: 2000 }]);
  await store.close();
});

test('a process killed with SIGKILL while writing leaves the file intact and consistent', {
  timeout: 60_000,
}, async () => {
  const path = freshPath();
  await sqliteStore({ path }).close();
  // One worker is killed mid-loop while another keeps writing, then finishes normally.
  const victim = startWorker(path, 'forever', 'victim');
  const victimExit = exited(victim);
  await printed(victim, /progress 500\n/);
  const survivor = startWorker(path, 1000, 'survivor');
  const survivorExit = exited(survivor);
  await printed(survivor, /progress 100\n/);
  assert.ok(victim.kill('SIGKILL'));
  const { signal } = await victimExit;
  assert.equal(signal, 'SIGKILL');
  const survived = await survivorExit;
  assert.equal(survived.code, 0, survived.stderr);

  const db = new Database(path);
  try {
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
  } finally {
    db.close();
  }
  const store = sqliteStore({ path });
  const [a, b, victimRecord, survivorRecord] = await store.readCounters([
    'pair:a',
    'pair:b',
    'worker:victim',
    'worker:survivor',
  ]);
  assert.ok(a !== undefined && b !== undefined && victimRecord !== undefined);
  // Every committed call incremented all three keys; the interrupted one none of them.
  assert.deepStrictEqual(survivorRecord, { n: 1000 });
  assert.ok((victimRecord.n ?? 0) >= 500, `the victim committed ${victimRecord.n} calls`);
  assert.equal(a.n, b.n);
  assert.equal(a.n, (victimRecord.n ?? 0) + 1000);
  assertClose(a.sum, (a.n ?? 0) * 0.1, 'pair:a sum');
  assertClose(b.sum, a.sum ?? 0, 'pair:b sum');
  // The file is writable again after the crash.
  await store.increment([{ key: 'pair:a', deltas: { n: 1 } }]);
  assert.equal((await store.readCounters(['pair:a']))[0]?.n, (a.n ?? 0) + 1);
  await store.close();
});
