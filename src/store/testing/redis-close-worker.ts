/**
 * A child process for `redis-store.test.ts`: a store on the Redis at `argv[2]` (key prefix
 * `argv[3]`), reached through a cutting proxy, connects, loses its connection for good (the proxy
 * goes away), is closed, and then writes as JSON what still keeps the process alive
 * (`process.getActiveResourcesInfo()`, once sockets destroyed by `close()` had a few turns of the
 * event loop to be released). Not part of the package API.
 *
 * @internal
 * @module
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { StoreError } from '../../errors/store-error.js';
import { redisStore } from '../redis-store.js';
import { startCuttingProxy } from './redis-server.js';

const [url, prefix] = process.argv.slice(2);
if (url === undefined || prefix === undefined) {
  process.stderr.write('usage: redis-close-worker <url> <prefix>\n');
  process.exit(2);
}
const proxy = await startCuttingProxy(url);
// A long backoff, so that a reconnection timer left behind would keep the process alive.
const store = redisStore({ url: proxy.url, prefix, maximumReconnectDelayMs: 600_000 });
await store.increment([{ key: 'k', deltas: { n: 1 } }]);
await proxy.close();
// Until the store knows Redis is away: a call rejects without sending anything.
for (;;) {
  try {
    await store.readCounters(['k']);
  } catch (error) {
    if (StoreError.isInstance(error) && /unreachable|could not connect/.test(error.message)) break;
  }
  await nextTurn();
}
await store.close();
// A destroyed socket is released a turn or two of the event loop later; a timer is not.
const streams = new Set(['PipeWrap', 'TTYWrap']);
for (let turn = 0; turn < 20; turn++) {
  if (process.getActiveResourcesInfo().every((resource) => streams.has(resource))) break;
  await nextTurn();
}
process.stdout.write(JSON.stringify(process.getActiveResourcesInfo()));
