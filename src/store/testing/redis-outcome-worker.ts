/**
 * A child process for `redis-store.test.ts`: a scout over `redisStore({ url: argv[2], prefix:
 * argv[3] })` records `argv[5]` outcomes (see `workerOutcome`), 50 at a time, with seed
 * `argv[4]`, then flushes and closes the store. It writes `done <milliseconds>` to stdout, and
 * exits with 1 (after writing the errors to stderr) when the store reported an error.
 * Not part of the package API.
 *
 * @internal
 * @module
 */
import { createScout } from '../../scout.js';
import { redisStore } from '../redis-store.js';
import { WORKER_MODELS, workerOutcome } from './redis-outcomes.js';

const CONCURRENT_OUTCOMES = 50;

const [url, prefix, seed, callsArgument] = process.argv.slice(2);
if (url === undefined || prefix === undefined || seed === undefined || callsArgument === undefined) {
  process.stderr.write('usage: redis-outcome-worker <url> <prefix> <seed> <calls>\n');
  process.exit(2);
}
const calls = Number(callsArgument);
const started = performance.now();
const store = redisStore({ url, prefix });
const scout = createScout({ store, models: WORKER_MODELS, seed });
const errors: string[] = [];
scout.events.on('store_error', ({ error, pendingIncrements }) => {
  errors.push(`${error.message} (${pendingIncrements} pending)`);
});
for (let start = 0; start < calls; start += CONCURRENT_OUTCOMES) {
  const recorded: Promise<void>[] = [];
  for (let index = start; index < Math.min(calls, start + CONCURRENT_OUTCOMES); index++) {
    recorded.push(scout.recordOutcome(workerOutcome(index)));
  }
  await Promise.all(recorded);
}
await scout.flush();
await store.close();
if (errors.length > 0) {
  process.stderr.write(`${errors.join('\n')}\n`);
  process.exit(1);
}
process.stdout.write(`done ${Math.round(performance.now() - started)}\n`);
