/**
 * The Redis adapter of the {@link Store} plug-in point, through
 * [`@redis/client`](https://github.com/redis/node-redis) (loaded on first use, so that importing
 * modelscout never loads it).
 *
 * **Key layout.** Every Redis key starts with the store's `prefix`; a store key `k` becomes:
 *
 * | What | Redis key | Redis type |
 * | --- | --- | --- |
 * | counter hash `k` | `${prefix}c:${k}` | hash of field → number (decimal text) |
 * | document `k` | `${prefix}d:${k}` | string (JSON), with a PX expiry when set with `ttlMs` |
 * | applied batch id `id` | `${prefix}b:${id}` | string `1`, expiring after `batchIdTtlMs` |
 *
 * Counters and documents are separate key spaces, as the {@link Store} spec requires.
 *
 * @module
 */
import type { CommandParser, ErrorReply, RedisClientType } from '@redis/client';
import type { NumberReply } from '@redis/client/dist/lib/RESP/types.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { redactSecrets } from '../errors/redact-secrets.js';
import { StoreError } from '../errors/store-error.js';
import {
  addToField,
  assertJsonValue,
  assertKey,
  assertKeys,
  assertOptions,
  assertPrefix,
  expiryTime,
  readIncrements,
} from './internal.js';
import type {
  CounterIncrement,
  CounterRecord,
  IncrementOptions,
  JsonValue,
  SetDocumentOptions,
  Store,
} from './spec.js';

/** Options of {@link redisStore}. */
export interface RedisStoreOptions {
  /**
   * Where Redis is: `redis://[[user]:password@]host[:port][/database]`, or `rediss://…` for TLS.
   * Credentials in it never appear in error messages.
   */
  readonly url: string;
  /**
   * Prepended to every Redis key the store reads or writes (see the key layout above), so
   * several stores (applications, tenants, test runs) share one Redis database without seeing
   * each other's data; `clear()` never touches a key outside it. With `''`, the store's keys are
   * `c:…`, `d:…` and `b:…` at the top of the database, shared with anything else stored there.
   * Two prefixes overlap when one is the other followed by `c:`, `d:` or `b:` (`'app:'` and
   * `'app:c:'`: the second store's keys are keys of the first); `'app:'` and `'app:x:'` do not.
   * @default 'modelscout:'
   */
  readonly prefix?: string;
  /**
   * Sliding expiry of counter hashes, in whole milliseconds: each increment of a hash resets its
   * time to live, so a hash disappears (with everything learned in it) once nothing has
   * incremented it for this long. Leave it unset to keep what is learned forever.
   * @default none (counters never expire)
   */
  readonly counterTtlMs?: number;
  /**
   * How long the id of an applied `increment()` batch (see {@link IncrementOptions.batchId}) is
   * remembered, in whole milliseconds: a retry of the same batch within this time is recognised
   * and not applied again. It must exceed the longest time a caller may keep retrying a batch.
   * @default 86_400_000 (24 hours)
   */
  readonly batchIdTtlMs?: number;
  /**
   * How long connecting to Redis (TCP connect and handshake) may take before the call that
   * needed the connection rejects with a retryable {@link StoreError}, in milliseconds. The
   * connection is made on the first call, and made again by the first call after it was lost;
   * after a failed attempt, see `maximumReconnectDelayMs`.
   * @default 5000
   */
  readonly connectTimeoutMs?: number;
  /**
   * How long a call waits for Redis's reply before it rejects with a retryable
   * {@link StoreError}, in milliseconds. An increment that timed out may still be applied by
   * Redis; retry it with the same `batchId` to apply it at most once.
   * @default 5000
   */
  readonly commandTimeoutMs?: number;
  /**
   * The longest wait between two attempts to connect, in milliseconds. After a failed attempt,
   * calls reject at once with a retryable {@link StoreError} (they are never queued) until the
   * wait has passed; then the next call tries again. The wait starts at 20 ms and doubles per
   * failed attempt up to this. Attempts are only made by calls: an idle store makes none, and
   * nothing is left running after `close()`.
   * @default 2000
   */
  readonly maximumReconnectDelayMs?: number;
}

/** Defaults of {@link redisStore}'s options (`counterTtlMs` has none: counters never expire). */
export const REDIS_STORE_DEFAULTS = Object.freeze({
  prefix: 'modelscout:',
  batchIdTtlMs: 24 * 60 * 60 * 1000,
  connectTimeoutMs: 5000,
  commandTimeoutMs: 5000,
  maximumReconnectDelayMs: 2000,
});

const OPTION_KEYS = [
  'url',
  'prefix',
  'counterTtlMs',
  'batchIdTtlMs',
  'connectTimeoutMs',
  'commandTimeoutMs',
  'maximumReconnectDelayMs',
] as const;

const INCREMENT_OPTION_KEYS = ['batchId'] as const;

const STORE_NAME = 'redis';
const COUNTER_SPACE = 'c:';
const DOCUMENT_SPACE = 'd:';
const BATCH_SPACE = 'b:';

/** How many keys one `SCAN` step examines (a hint to Redis), and at most how many keys one UNLINK removes. */
const SCAN_COUNT = 1000;

/** The wait after a first failed attempt to connect, in milliseconds; it doubles per failed attempt. */
const FIRST_RECONNECT_DELAY_MS = 20;

/** Redis error replies after which the same command may succeed later. */
const RETRYABLE_REPLY = /^(LOADING|BUSY|TRYAGAIN|MASTERDOWN|READONLY|OOM|CLUSTERDOWN|NOREPLICAS)\b/;

/**
 * Applies one `increment()` call atomically (a Lua script runs without interleaving).
 *
 * KEYS: the batch marker (when ARGV[1] is '1'), then each counter hash once. ARGV: [1] whether
 * KEYS[1] is a batch marker, [2] the marker's time to live (ms), [3] the counters' time to live
 * (ms, 0 for none), then per counter hash its number of fields followed by field, delta pairs.
 * Returns 1 when applied, 0 when the batch marker already existed (nothing applied).
 *
 * Every new value is computed (and every failure raised) before the first write, because Redis
 * does not roll back a script that fails halfway: a call that fails writes nothing. Values are
 * IEEE doubles (Lua numbers) added in the call's order, like every other store, and written with
 * the fewest digits (up to 17) that read back as the same double, so nothing is rounded away.
 * (HINCRBYFLOAT would compute in long double and format with 17 decimals after the point, which
 * keeps only a few significant digits of small values such as 1.2345e-12, and it fails halfway
 * through a call on overflow.)
 */
const INCREMENT_SCRIPT = `
local function format(value)
  for digits = 15, 16 do
    local text = string.format('%.' .. digits .. 'g', value)
    if tonumber(text) == value then return text end
  end
  return string.format('%.17g', value)
end
local first = 1
if ARGV[1] == '1' then
  if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
  first = 2
end
local counterTtl = tonumber(ARGV[3])
local updates = {}
local position = 4
for index = first, #KEYS do
  local key = KEYS[index]
  local count = tonumber(ARGV[position])
  position = position + 1
  local values = {}
  local order = {}
  for _ = 1, count do
    local field = ARGV[position]
    local delta = tonumber(ARGV[position + 1])
    position = position + 2
    local value = values[field]
    if value == nil then
      local stored = redis.call('HGET', key, field)
      if stored then
        value = tonumber(stored)
        if value == nil or value ~= value or value == math.huge or value == -math.huge then
          return redis.error_reply('ERR modelscout: field ' .. field .. ' of ' .. key .. ' is not a finite number')
        end
        value = value + delta
      else
        value = delta
      end
      order[#order + 1] = field
    else
      value = value + delta
    end
    if value ~= value or value == math.huge or value == -math.huge then
      return redis.error_reply('ERR modelscout: field ' .. field .. ' of ' .. key .. ' would overflow')
    end
    values[field] = value
  end
  updates[#updates + 1] = { key, order, values }
end
if first == 2 then redis.call('SET', KEYS[1], '1', 'PX', ARGV[2]) end
for _, update in ipairs(updates) do
  local key, order, values = update[1], update[2], update[3]
  for start = 1, #order, 500 do
    local pairs = {}
    for index = start, math.min(start + 499, #order) do
      pairs[#pairs + 1] = order[index]
      pairs[#pairs + 1] = format(values[order[index]])
    end
    redis.call('HSET', key, unpack(pairs))
  end
  if counterTtl > 0 then redis.call('PEXPIRE', key, counterTtl) end
end
return 1
`;

type RedisModule = typeof import('@redis/client');

/** The script command the client gets from its `scripts` option: `(keys, arguments) => 0 | 1`. */
interface IncrementScriptConfig {
  readonly SCRIPT: string;
  parseCommand(this: void, parser: CommandParser, keys: string[], arguments_: string[]): void;
  readonly transformReply: (this: void, reply: NumberReply) => NumberReply;
}

type IncrementScript = IncrementScriptConfig & { readonly SHA1: string };

type Client = RedisClientType<
  Record<string, never>,
  Record<string, never>,
  { modelscoutIncrement: IncrementScript },
  2
>;

interface Connection {
  readonly client: Client;
  readonly redis: RedisModule;
}

/**
 * A {@link Store} in Redis, shared by every process and host that uses the same Redis (and the
 * same `prefix`). Use it to learn across a fleet: what one process learns, the others pick up.
 *
 * **Increments are atomic and all-or-nothing.** One `increment()` call is one Lua script (sent
 * with EVALSHA, falling back to EVAL the first time), which Redis runs without interleaving any
 * other command; it computes every new value before writing any, so a call that fails applies
 * nothing. Concurrent calls from any number of processes never lose an update. Counters are
 * 64-bit floats, added in order like every other store's and stored with enough digits to read
 * back exactly.
 *
 * **In-doubt writes and `batchId`.** When the connection drops (or `commandTimeoutMs` passes)
 * after an increment was sent, the store cannot know whether Redis applied it: the call rejects
 * with a retryable {@link StoreError} that says so. Pass a `batchId` (unique across processes)
 * and retry with the same one: the script records applied ids (for `batchIdTtlMs`) and applies a
 * batch at most once. Without a `batchId`, such a retry may count the call twice.
 *
 * **Outages.** The connection is made on the first call, and again by the first call after it
 * was lost. Calls made while Redis is unreachable reject promptly with a retryable `StoreError`
 * (within `connectTimeoutMs` when they try to connect); they are never queued. After a failed
 * attempt, calls reject at once without trying until a wait has passed (from 20 ms, doubling up
 * to `maximumReconnectDelayMs`). No reconnection runs in the background, so an idle store costs
 * nothing while Redis is away and `close()` leaves no timer behind. Credentials in `url` never
 * appear in errors.
 *
 * **Reads.** `readCounters` sends one HGETALL per key, pipelined in one round trip (not a
 * snapshot: a concurrent increment may land between two keys). Scans use SCAN with a literal
 * MATCH pattern, so their cost grows with the size of the whole Redis database, not just with
 * the matches; values are fetched per page, pipelined. A scan yields each key at most once, and
 * may miss keys created while it runs. Documents are JSON strings; `ttlMs` becomes Redis's own
 * expiry (PX, rounded up to whole milliseconds), so it is measured by the Redis server's clock.
 *
 * Needs Redis 6.0 or newer (SCAN … TYPE). One Redis server (or a primary with its replicas) is
 * supported; Redis Cluster is not (a call's keys may live in different slots).
 *
 * @example
 * ```ts
 * const store = redisStore({ url: 'redis://127.0.0.1:6379', prefix: 'my-app:' });
 * const scout = createScout({ store });
 * await store.increment([{ key: 'arm:a', deltas: { pulls: 1, reward: 0.8 } }], { batchId: crypto.randomUUID() });
 * const [record] = await store.readCounters(['arm:a']); // { pulls: 1, reward: 0.8 }
 * await store.close();
 * ```
 */
export function redisStore(options: RedisStoreOptions): Store {
  assertOptions(options, 'options', OPTION_KEYS, false);
  const url = assertRedisUrl(options.url);
  const keyPrefix = options.prefix ?? REDIS_STORE_DEFAULTS.prefix;
  if (typeof keyPrefix !== 'string') {
    throw new InvalidArgumentError({
      argument: 'options.prefix',
      value: keyPrefix,
      message: 'must be a string',
    });
  }
  const counterTtlMs = options.counterTtlMs;
  if (counterTtlMs !== undefined) assertMilliseconds('options.counterTtlMs', counterTtlMs);
  const batchIdTtlMs = options.batchIdTtlMs ?? REDIS_STORE_DEFAULTS.batchIdTtlMs;
  assertMilliseconds('options.batchIdTtlMs', batchIdTtlMs);
  const connectTimeoutMs = options.connectTimeoutMs ?? REDIS_STORE_DEFAULTS.connectTimeoutMs;
  assertMilliseconds('options.connectTimeoutMs', connectTimeoutMs);
  const commandTimeoutMs = options.commandTimeoutMs ?? REDIS_STORE_DEFAULTS.commandTimeoutMs;
  assertMilliseconds('options.commandTimeoutMs', commandTimeoutMs);
  const maximumReconnectDelayMs =
    options.maximumReconnectDelayMs ?? REDIS_STORE_DEFAULTS.maximumReconnectDelayMs;
  assertMilliseconds('options.maximumReconnectDelayMs', maximumReconnectDelayMs);

  const location = describeUrl(url);
  const secrets = secretsOf(url);
  const counterPrefix = `${keyPrefix}${COUNTER_SPACE}`;
  const documentPrefix = `${keyPrefix}${DOCUMENT_SPACE}`;
  const batchPrefix = `${keyPrefix}${BATCH_SPACE}`;

  /** The connection made last; its client may have lost it since (`isOpen` false). */
  let connection: Connection | undefined;
  /** An attempt to connect in progress, shared by the calls that wait for it. */
  let connecting: Promise<Connection> | undefined;
  let lastConnectionError: unknown;
  /** Failed attempts to connect since the last success, and when the next one may be made. */
  let failedAttempts = 0;
  let nextAttemptAt = 0;
  let closed = false;
  let closing: Promise<void> | undefined;
  let active = 0;
  let whenIdle: (() => void) | undefined;

  /** Removes credentials from a message built from text that third-party code produced. */
  function redact(text: string): string {
    let result = redactSecrets(text);
    for (const secret of secrets) result = result.split(secret).join('[redacted]');
    return result;
  }

  function closedError(): StoreError {
    return new StoreError({ store: STORE_NAME, message: 'the store is closed' });
  }

  /**
   * The open connection, or a new one. The client never reconnects by itself (a reconnection
   * loop would sleep on timers that `close()` cannot cancel): a connection that was lost is
   * replaced on the next call, and failed attempts back off.
   */
  function connect(): Promise<Connection> {
    if (connection !== undefined) {
      if (connection.client.isOpen) return Promise.resolve(connection);
      connection.client.destroy();
      connection = undefined;
    }
    if (connecting !== undefined) return connecting;
    const waitMs = nextAttemptAt - performance.now();
    if (failedAttempts > 0 && waitMs > 0) {
      const reason =
        lastConnectionError === undefined ? '' : `: ${describeError(lastConnectionError, redact)}`;
      return Promise.reject(
        new StoreError({
          store: STORE_NAME,
          message: `could not connect to Redis at ${location}${reason}; not trying again for ${Math.ceil(waitMs)} ms (nothing was sent)`,
          isRetryable: true,
        }),
      );
    }
    const attempt = openConnection().then(
      (opened) => {
        connecting = undefined;
        connection = opened;
        failedAttempts = 0;
        return opened;
      },
      (error: unknown) => {
        connecting = undefined;
        // A failure that waiting cannot cure (@redis/client is not installed) is not backed off.
        if (StoreError.isInstance(error) && !error.isRetryable) throw error;
        failedAttempts++;
        nextAttemptAt =
          performance.now() +
          Math.min(maximumReconnectDelayMs, FIRST_RECONNECT_DELAY_MS * 2 ** Math.min(failedAttempts - 1, 20));
        throw error;
      },
    );
    connecting = attempt;
    return attempt;
  }

  async function openConnection(): Promise<Connection> {
    let redis: RedisModule;
    try {
      redis = await import('@redis/client');
    } catch (error) {
      throw new StoreError({
        store: STORE_NAME,
        message: `could not load @redis/client (install it with 'npm install @redis/client'): ${describeError(error, redact)}`,
        cause: error,
      });
    }
    const script: IncrementScript = redis.defineScript<IncrementScriptConfig>({
      SCRIPT: INCREMENT_SCRIPT,
      parseCommand(parser, keys, arguments_) {
        parser.pushKeysLength(keys);
        for (const argument of arguments_) parser.push(argument);
      },
      transformReply: (reply) => reply,
    });
    const client: Client = redis.createClient({
      url,
      RESP: 2,
      disableOfflineQueue: true,
      scripts: { modelscoutIncrement: script },
      socket: {
        connectTimeout: connectTimeoutMs,
        // Never retried by the client (see connect()): a failed or lost connection ends it.
        reconnectStrategy: false,
      },
    });
    // Without an 'error' listener, a connection error would crash the process.
    client.on('error', (error: unknown) => {
      lastConnectionError = error;
    });
    client.on('ready', () => {
      lastConnectionError = undefined;
    });
    let timer: NodeJS.Timeout | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        timer = setTimeout(() => {
          reject(new Error(`no connection within ${connectTimeoutMs} ms`));
        }, connectTimeoutMs);
        client.connect().then(() => resolve(), reject);
      });
    } catch (error) {
      client.destroy();
      lastConnectionError = error;
      throw new StoreError({
        store: STORE_NAME,
        message: `could not connect to Redis at ${location}: ${describeError(error, redact)}`,
        cause: error,
        isRetryable: true,
      });
    } finally {
      clearTimeout(timer);
    }
    return { client, redis };
  }

  /**
   * Runs one operation on the connection, bounded by `commandTimeoutMs`, turning failures into
   * {@link StoreError}s. `close()` waits for the operations in progress.
   */
  async function run<T>(
    operation: string,
    body: (client: Client) => Promise<T>,
    mayApplyOnFailure = false,
  ): Promise<T> {
    if (closed) throw closedError();
    active++;
    let current: Connection | undefined;
    try {
      current = await connect();
      return await withTimeout(body(current.client), commandTimeoutMs);
    } catch (error) {
      throw failure(operation, error, current?.redis, mayApplyOnFailure);
    } finally {
      active--;
      if (active === 0) whenIdle?.();
    }
  }

  function failure(
    operation: string,
    error: unknown,
    redis: RedisModule | undefined,
    mayApplyOnFailure: boolean,
  ): StoreError {
    if (StoreError.isInstance(error)) return error;
    if (redis !== undefined && error instanceof redis.ErrorReply) {
      // Redis refused the command (the increment script fails before its first write).
      const nothingApplied = mayApplyOnFailure ? ' (nothing of the call was applied)' : '';
      return new StoreError({
        store: STORE_NAME,
        message: `Redis refused to ${operation}${nothingApplied}: ${redact((error as ErrorReply).message)}`,
        cause: error,
        isRetryable: RETRYABLE_REPLY.test(error.message),
      });
    }
    if (
      redis !== undefined &&
      (error instanceof redis.ClientOfflineError || error instanceof redis.ClientClosedError)
    ) {
      // Rejected before it was sent.
      const reason =
        lastConnectionError === undefined ? '' : ` (${describeError(lastConnectionError, redact)})`;
      return new StoreError({
        store: STORE_NAME,
        message: `could not ${operation}: Redis at ${location} is unreachable${reason}; nothing was sent`,
        cause: error,
        isRetryable: true,
      });
    }
    const doubt = mayApplyOnFailure
      ? '; it may have been applied: retry it with the same batchId to apply it at most once'
      : '';
    return new StoreError({
      store: STORE_NAME,
      message: `could not ${operation} at ${location}: ${describeError(error, redact)}${doubt}`,
      cause: error,
      isRetryable: true,
    });
  }

  /**
   * Yields pages of keys matching `pattern`, one SCAN step per page; each key once unless
   * `deduplicate` is false (SCAN may return a key twice; remembering them costs memory).
   */
  async function* scanPages(
    pattern: string,
    type: 'hash' | 'string' | undefined,
    deduplicate = true,
  ): AsyncGenerator<string[]> {
    const seen = new Set<string>();
    let cursor = '0';
    do {
      const command = ['SCAN', cursor, 'MATCH', pattern, 'COUNT', String(SCAN_COUNT)];
      if (type !== undefined) command.push('TYPE', type);
      const [next, keys] = await run('scan keys', (client) =>
        client.sendCommand<[string, string[]]>(command),
      );
      cursor = next;
      if (!deduplicate) {
        if (keys.length > 0) yield keys;
        continue;
      }
      const fresh: string[] = [];
      for (const key of keys) {
        if (seen.has(key)) continue;
        seen.add(key);
        fresh.push(key);
      }
      if (fresh.length > 0) yield fresh;
    } while (cursor !== '0');
  }

  function parseCounter(key: string, reply: readonly string[]): CounterRecord | undefined {
    if (reply.length === 0) return undefined;
    const record: Record<string, number> = {};
    for (let index = 0; index < reply.length; index += 2) {
      const field = reply[index] as string;
      const text = reply[index + 1] as string;
      const value = Number(text);
      // Refused like the increment script refuses it (Number('') is 0; the script's tonumber is nil).
      if (!Number.isFinite(value) || text.trim() === '') {
        throw new StoreError({
          store: STORE_NAME,
          message: `field '${field}' of the counter '${key}' is not a finite number`,
        });
      }
      addToField(record, field, value);
    }
    return record;
  }

  function parseDocument(key: string, json: string): JsonValue {
    try {
      return JSON.parse(json) as JsonValue;
    } catch (error) {
      throw new StoreError({
        store: STORE_NAME,
        message: `the document at '${key}' is not valid JSON`,
        cause: error,
      });
    }
  }

  /** Deletes every key matching `pattern`, a page (one UNLINK) at a time. */
  async function unlinkMatching(pattern: string): Promise<void> {
    // Unlinking a key twice is harmless: no memory of every key deleted.
    for await (const keys of scanPages(pattern, undefined, false)) {
      await run('clear', (client) => client.sendCommand<number>(['UNLINK', ...keys]));
    }
  }

  return {
    specificationVersion: 'v1',
    name: STORE_NAME,

    async increment(
      increments: readonly CounterIncrement[],
      incrementOptions?: IncrementOptions,
    ): Promise<void> {
      if (closed) throw closedError();
      // Validated (and copied) before anything is sent: an invalid call writes nothing.
      const fields = readIncrements(increments);
      const batchId = readBatchId(incrementOptions);
      if (fields.length === 0) return;
      // Each hash once (the script reads a hash's stored fields once), its fields in call order.
      const byKey = new Map<string, string[]>();
      for (const { key, field, delta } of fields) {
        let list = byKey.get(key);
        if (list === undefined) {
          list = [];
          byKey.set(key, list);
        }
        // String(delta) is the shortest text that parses back to the same double, except for
        // -0 (String(-0) is '0'): a field that only ever got -0 holds -0, as in the memory store.
        list.push(field, Object.is(delta, -0) ? '-0' : String(delta));
      }
      const keys: string[] = [];
      const arguments_: string[] = [
        batchId === undefined ? '0' : '1',
        String(batchIdTtlMs),
        String(counterTtlMs ?? 0),
      ];
      if (batchId !== undefined) keys.push(`${batchPrefix}${batchId}`);
      for (const [key, list] of byKey) {
        keys.push(`${counterPrefix}${key}`);
        arguments_.push(String(list.length / 2));
        for (const item of list) arguments_.push(item);
      }
      await run('apply an increment', (client) => client.modelscoutIncrement(keys, arguments_), true);
    },

    async readCounters(keys: readonly string[]): Promise<ReadonlyArray<CounterRecord | undefined>> {
      if (closed) throw closedError();
      assertKeys(keys);
      if (keys.length === 0) return [];
      const unique = [...new Set(keys)];
      // Sent together: the client pipelines commands issued in the same tick (one round trip).
      const replies = await run('read counters', (client) =>
        Promise.all(unique.map((key) => client.sendCommand<string[]>(['HGETALL', `${counterPrefix}${key}`]))),
      );
      const replyOf = new Map<string, readonly string[]>();
      unique.forEach((key, index) => {
        replyOf.set(key, replies[index] as string[]);
      });
      // A key asked for twice gets two separate copies.
      return keys.map((key) => parseCounter(key, replyOf.get(key) ?? []));
    },

    async *scanCounters(prefix: string): AsyncGenerator<readonly [key: string, record: CounterRecord]> {
      if (closed) throw closedError();
      assertPrefix(prefix);
      const pattern = `${escapeGlob(counterPrefix)}${escapeGlob(prefix)}*`;
      for await (const page of scanPages(pattern, 'hash')) {
        const replies = await run('scan counters', (client) =>
          Promise.all(page.map((redisKey) => client.sendCommand<string[]>(['HGETALL', redisKey]))),
        );
        for (let index = 0; index < page.length; index++) {
          const key = (page[index] as string).slice(counterPrefix.length);
          // Deleted since SCAN saw it.
          const record = parseCounter(key, replies[index] as string[]);
          if (record !== undefined) yield [key, record];
        }
      }
    },

    async getDocument(key: string): Promise<JsonValue | undefined> {
      if (closed) throw closedError();
      assertKey(key);
      const json = await run('read a document', (client) =>
        client.sendCommand<string | null>(['GET', `${documentPrefix}${key}`]),
      );
      return json === null ? undefined : parseDocument(key, json);
    },

    async setDocument(key: string, value: JsonValue, setOptions?: SetDocumentOptions): Promise<void> {
      if (closed) throw closedError();
      assertKey(key);
      assertJsonValue(value);
      // On a clock standing at 0, the expiry time is the time to live itself.
      const ttlMs = expiryTime(setOptions, ZERO_CLOCK);
      const command = ['SET', `${documentPrefix}${key}`, JSON.stringify(value)];
      if (ttlMs !== undefined) {
        // Redis refuses an expiry past 2^63 ms; 2^53 - 1 ms (285,000 years) is as good as forever.
        const wholeMs = Math.min(Number.MAX_SAFE_INTEGER, Math.max(1, Math.ceil(ttlMs)));
        command.push('PX', String(wholeMs));
      }
      await run('write a document', (client) => client.sendCommand<string>(command));
    },

    async *scanDocuments(prefix: string): AsyncGenerator<readonly [key: string, value: JsonValue]> {
      if (closed) throw closedError();
      assertPrefix(prefix);
      const pattern = `${escapeGlob(documentPrefix)}${escapeGlob(prefix)}*`;
      for await (const page of scanPages(pattern, 'string')) {
        const values = await run('scan documents', (client) =>
          client.sendCommand<Array<string | null>>(['MGET', ...page]),
        );
        for (let index = 0; index < page.length; index++) {
          const json = values[index];
          // Expired or deleted since SCAN saw it.
          if (json === null || json === undefined) continue;
          const key = (page[index] as string).slice(documentPrefix.length);
          yield [key, parseDocument(key, json)];
        }
      }
    },

    async delete(key: string): Promise<boolean> {
      if (closed) throw closedError();
      assertKey(key);
      const deleted = await run('delete a key', (client) =>
        client.sendCommand<number>(['UNLINK', `${counterPrefix}${key}`, `${documentPrefix}${key}`]),
      );
      return deleted > 0;
    },

    async clear(prefix?: string): Promise<void> {
      if (closed) throw closedError();
      if (prefix !== undefined) assertPrefix(prefix);
      // Counters and documents in one pass; batch markers too when everything is cleared.
      const spaces = prefix === undefined ? '[cdb]' : '[cd]';
      await unlinkMatching(`${escapeGlob(keyPrefix)}${spaces}:${escapeGlob(prefix ?? '')}*`);
    },

    close(): Promise<void> {
      // Idempotent: closing twice is harmless; every other call after the first close rejects.
      closed = true;
      closing ??= (async () => {
        // Calls started before close() complete first.
        while (active > 0) {
          await new Promise<void>((resolve) => {
            whenIdle = resolve;
          });
        }
        whenIdle = undefined;
        // No call is in progress, so no attempt to connect is either; nothing is in flight.
        const pending = connecting;
        connecting = undefined;
        const opened = (await pending?.catch(() => undefined)) ?? connection;
        connection = undefined;
        opened?.client.destroy();
      })();
      return closing;
    },
  };
}

const ZERO_CLOCK = { now: () => 0 };

function readBatchId(options: IncrementOptions | undefined): string | undefined {
  assertOptions(options, 'options', INCREMENT_OPTION_KEYS, true);
  const batchId = options?.batchId;
  if (batchId !== undefined && (typeof batchId !== 'string' || batchId.length === 0)) {
    throw new InvalidArgumentError({
      argument: 'options.batchId',
      value: batchId,
      message: 'must be a non-empty string',
    });
  }
  return batchId;
}

/** Throws an {@link InvalidArgumentError} unless `value` is an integer number of milliseconds ≥ 1. */
function assertMilliseconds(argument: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new InvalidArgumentError({
      argument,
      value,
      message: 'must be a whole number of milliseconds >= 1',
    });
  }
}

/**
 * Validates `url` (a `redis://` or `rediss://` URL, with an optional whole database number as its
 * path) without ever echoing its credentials.
 */
function assertRedisUrl(url: unknown): string {
  let parsed: URL | undefined;
  if (typeof url === 'string') {
    try {
      parsed = new URL(url);
    } catch {
      parsed = undefined;
    }
  }
  if (
    parsed === undefined ||
    (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') ||
    parsed.hostname === '' ||
    !/^\/?\d*$/.test(parsed.pathname) ||
    !decodes(parsed.username) ||
    !decodes(parsed.password)
  ) {
    throw new InvalidArgumentError({
      argument: 'options.url',
      value: typeof url === 'string' ? withoutCredentials(url) : url,
      message: "must be a Redis URL such as 'redis://127.0.0.1:6379' or 'redis://127.0.0.1:6379/1'",
    });
  }
  return url as string;
}

/** Whether `text` is valid percent-encoding (as @redis/client decodes user names and passwords). */
function decodes(text: string): boolean {
  try {
    decodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * `url` (which may not parse) with everything between `//` and its last `@` replaced: a
 * password may hold `/`, `?`, `#` or `@`, which end the user info of a well-formed URL.
 */
function withoutCredentials(url: string): string {
  return redactSecrets(url.replace(/\/\/.*@/s, '//[redacted]@'));
}

/** `url` without its credentials, for messages: `redis://[redacted]@host:port/db`. */
function describeUrl(url: string): string {
  const parsed = new URL(url);
  const credentials = parsed.username !== '' || parsed.password !== '' ? '[redacted]@' : '';
  return `${parsed.protocol}//${credentials}${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
}

/** The password of `url` (raw and percent-decoded), to strip from any message. */
function secretsOf(url: string): string[] {
  const parsed = new URL(url);
  const secrets = new Set<string>();
  const password = parsed.password;
  if (password !== '') {
    secrets.add(password);
    try {
      secrets.add(decodeURIComponent(password));
    } catch {
      // Not valid percent-encoding: the raw form is enough.
    }
  }
  return [...secrets].sort((left, right) => right.length - left.length);
}

function describeError(error: unknown, redact: (text: string) => string): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const message = error.message === '' && typeof code === 'string' ? code : error.message;
    return redact(message === '' ? error.name : message);
  }
  return redact(String(error));
}

/** `text` with Redis glob characters escaped, so that it matches itself only. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

/**
 * Settles like `promise`, or rejects once `timeoutMs` has passed. A promise left behind is
 * still observed, so its later rejection is not reported as unhandled.
 */
function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`no reply from Redis within ${timeoutMs} ms`));
    }, timeoutMs);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
