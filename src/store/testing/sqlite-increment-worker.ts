/**
 * A child process for `sqlite-store.test.ts`: opens the SQLite store at `argv[2]` and makes
 * `argv[3]` increment calls (forever when `argv[3]` is `forever`), each adding 1 to `n` and 0.1
 * to `sum` of both `pair:a` and `pair:b`, and 1 to `n` of `worker:<argv[4]>`. It writes a line
 * `progress <calls>` to stdout every 100 calls, and `done` at the end. Not part of the package API.
 *
 * @internal
 * @module
 */
import { sqliteStore } from '../sqlite-store.js';

const [path, callsArgument, workerId] = process.argv.slice(2);
if (path === undefined || callsArgument === undefined || workerId === undefined) {
  process.stderr.write('usage: sqlite-increment-worker <path> <calls|forever> <worker id>\n');
  process.exit(2);
}
const calls = callsArgument === 'forever' ? Number.POSITIVE_INFINITY : Number(callsArgument);
const store = sqliteStore({ path });
for (let call = 1; call <= calls; call++) {
  await store.increment([
    { key: 'pair:a', deltas: { n: 1, sum: 0.1 } },
    { key: 'pair:b', deltas: { n: 1, sum: 0.1 } },
    { key: `worker:${workerId}`, deltas: { n: 1 } },
  ]);
  if (call % 100 === 0) process.stdout.write(`progress ${call}\n`);
}
await store.close();
process.stdout.write('done\n');
