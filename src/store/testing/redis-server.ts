/**
 * Test helpers for the Redis store: a private `redis-server` on a free loopback port (which can
 * be stopped and restarted on the same port, keeping its data), and a TCP proxy that can cut a
 * connection after forwarding a request, before its reply arrives. Not part of the package API.
 *
 * @internal
 * @module
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where Debian and Ubuntu install the server. */
const REDIS_SERVER = '/usr/bin/redis-server';

/** What to do when `redis-server` is missing. */
export const REDIS_SERVER_MISSING =
  'redis-server is not installed: install it (e.g. `sudo apt-get install redis-server`) or set ' +
  'MODELSCOUT_REDIS_URL to a Redis to test against (the Redis tests never skip)';

/**
 * The `redis-server` executable: `$MODELSCOUT_REDIS_SERVER` when set, else /usr/bin/redis-server,
 * else the one on PATH; `undefined` when there is none.
 */
export function findRedisServer(): string | undefined {
  const configured = process.env.MODELSCOUT_REDIS_SERVER;
  const candidates =
    configured !== undefined && configured !== '' ? [configured] : [REDIS_SERVER, 'redis-server'];
  for (const candidate of candidates) {
    const probe = spawnSync(candidate, ['--version'], { stdio: 'ignore' });
    if (probe.error === undefined && probe.status === 0) return candidate;
  }
  return undefined;
}

/** A private redis-server (see {@link startRedisServer}). */
export interface RedisServer {
  readonly port: number;
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  /** Whether the server process is running. */
  readonly running: boolean;
  /** Stops the server (SIGTERM: with `persistent`, it writes its append-only file before exiting). */
  stop(): Promise<void>;
  /** Starts the server again on the same port and directory; resolves once it answers PING. */
  restart(): Promise<void>;
  /** Stops the server and deletes its directory. */
  dispose(): Promise<void>;
}

/** Options of {@link startRedisServer}. */
export interface StartRedisServerOptions {
  /**
   * Keep data across {@link RedisServer.restart} (`--appendonly yes --appendfsync always`).
   * @default false (`--appendonly no`, nothing on disk)
   */
  readonly persistent?: boolean;
  /** How long to wait for the server to answer PING, in milliseconds. @default 10000 */
  readonly readyTimeoutMs?: number;
}

/**
 * Starts `redis-server` on a free 127.0.0.1 port in a fresh temporary directory, and resolves
 * once it answers PING. Throws {@link REDIS_SERVER_MISSING} when the server is not installed.
 */
export async function startRedisServer(options: StartRedisServerOptions = {}): Promise<RedisServer> {
  const executable = findRedisServer();
  if (executable === undefined) throw new Error(REDIS_SERVER_MISSING);
  const readyTimeoutMs = options.readyTimeoutMs ?? 10_000;
  const directory = await mkdtemp(join(tmpdir(), 'modelscout-redis-'));
  let port = 0;
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const launch = async (): Promise<void> => {
    const args = [
      '--bind',
      '127.0.0.1',
      '--port',
      String(port),
      '--save',
      '',
      '--dir',
      directory,
      '--daemonize',
      'no',
      ...(options.persistent ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']),
    ];
    const process_ = spawn(executable, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    process_.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      output = (output + chunk).slice(-4000);
    });
    process_.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      output = (output + chunk).slice(-4000);
    });
    let hasExited = false;
    exited = new Promise<void>((resolve) => {
      process_.once('exit', () => {
        hasExited = true;
        resolve();
      });
      // Spawning failed (the executable went away): no 'exit' follows.
      process_.once('error', (error) => {
        output += String(error);
        hasExited = true;
        resolve();
      });
    });
    child = process_;
    const deadline = Date.now() + readyTimeoutMs;
    while (!(await pingRedis(port))) {
      if (hasExited) throw new Error(`redis-server exited on port ${port}: ${output}`);
      if (Date.now() > deadline) {
        process_.kill('SIGKILL');
        throw new Error(
          `redis-server did not answer PING on port ${port} within ${readyTimeoutMs} ms: ${output}`,
        );
      }
      // The poll interval of a deadline-bounded readiness check.
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };

  // A free port can be taken by someone else before the server binds it: try a few.
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    try {
      await launch();
      break;
    } catch (error) {
      if (attempt >= 3) {
        await rm(directory, { recursive: true, force: true });
        throw error;
      }
    }
  }

  const stop = async (): Promise<void> => {
    const running = child;
    if (running === undefined || running.exitCode !== null || running.signalCode !== null) return;
    running.kill('SIGTERM');
    await exited;
  };
  const killOnExit = () => child?.kill('SIGKILL');
  process.once('exit', killOnExit);

  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    get running() {
      return child !== undefined && child.exitCode === null && child.signalCode === null;
    },
    stop,
    async restart() {
      await stop();
      await launch();
    },
    async dispose() {
      await stop();
      process.off('exit', killOnExit);
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** A free TCP port on 127.0.0.1 (free when this resolves; nothing reserves it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

/**
 * Whether something answers a Redis PING at `127.0.0.1:<port>` (or `host:port`) within
 * `timeoutMs`. An error reply (e.g. NOAUTH) counts as an answer: a Redis is there.
 */
export function pingRedis(port: number, host = '127.0.0.1', timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host });
    let settled = false;
    const finish = (answered: boolean) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(answered);
    };
    let reply = '';
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('close', () => finish(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.setEncoding('utf8').on('data', (chunk: string) => {
      reply += chunk;
      if (reply.includes('\r\n')) finish(reply.startsWith('+') || reply.startsWith('-'));
    });
  });
}

/**
 * The TCP address of a `redis://` or `rediss://` URL: its host (without the brackets of an IPv6
 * address) and its port, 6379 when the URL has none.
 */
export function redisAddress(url: string): { host: string; port: number } {
  const { hostname, port } = new URL(url);
  return { host: hostname.replace(/^\[(.*)\]$/, '$1'), port: port === '' ? 6379 : Number(port) };
}

/** Whether something answers a Redis PING at the address of `url` (see {@link pingRedis}). */
export function pingRedisUrl(url: string, timeoutMs = 1000): Promise<boolean> {
  const { host, port } = redisAddress(url);
  return pingRedis(port, host, timeoutMs);
}

/** A TCP proxy in front of a Redis (see {@link startCuttingProxy}). */
export interface CuttingProxy {
  readonly port: number;
  /**
   * The URL to reach Redis through the proxy: the target URL (credentials, database) with the
   * proxy's `127.0.0.1:<port>` as its host, or `redis://127.0.0.1:<port>` for a target port.
   */
  readonly url: string;
  /**
   * Arms the proxy: the next request chunk a client sends that contains `marker` is forwarded
   * to Redis, but the reply to it is dropped and that client's connection is cut (both ways).
   * Resolves once the connection was cut, i.e. after Redis replied (so Redis ran the request).
   */
  cutAfterForwarding(marker: string): Promise<void>;
  /**
   * Holds Redis's replies back (requests still reach Redis) until the returned function is
   * called, which delivers them, in order.
   */
  holdReplies(): () => void;
  /** Cuts every open connection now (as if the network failed). */
  cutAll(): void;
  /** Stops accepting connections and cuts the open ones. */
  close(): Promise<void>;
}

/**
 * Starts a {@link CuttingProxy} on a free 127.0.0.1 port, forwarding to the Redis at `target`: a
 * Redis URL, or a port on 127.0.0.1.
 */
export async function startCuttingProxy(target: string | number): Promise<CuttingProxy> {
  const { host: targetHost, port: targetPort } =
    typeof target === 'number' ? { host: '127.0.0.1', port: target } : redisAddress(target);
  const connections = new Set<Socket>();
  let armed: { marker: string; cut: () => void } | undefined;
  let held: Array<() => void> | undefined;
  const server: Server = createServer((downstream) => {
    const upstream = createConnection({ port: targetPort, host: targetHost });
    connections.add(downstream);
    connections.add(upstream);
    let cutOnReply: (() => void) | undefined;
    const destroyBoth = () => {
      downstream.destroy();
      upstream.destroy();
      connections.delete(downstream);
      connections.delete(upstream);
    };
    downstream.on('data', (chunk: Buffer) => {
      if (armed !== undefined && chunk.includes(armed.marker)) {
        cutOnReply = armed.cut;
        armed = undefined;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (held !== undefined) {
        held.push(() => {
          if (!downstream.destroyed) downstream.write(chunk);
        });
        return;
      }
      if (cutOnReply !== undefined) {
        const cut = cutOnReply;
        cutOnReply = undefined;
        destroyBoth();
        cut();
        return;
      }
      downstream.write(chunk);
    });
    downstream.on('error', destroyBoth).on('close', destroyBoth);
    upstream.on('error', destroyBoth).on('close', destroyBoth);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address !== 'object') throw new Error('the proxy has no port');
  const cutAll = () => {
    for (const socket of connections) socket.destroy();
    connections.clear();
  };
  let url = `redis://127.0.0.1:${address.port}`;
  if (typeof target === 'string') {
    const proxied = new URL(target);
    proxied.host = `127.0.0.1:${address.port}`;
    url = proxied.href;
  }
  return {
    port: address.port,
    url,
    cutAfterForwarding(marker: string) {
      return new Promise<void>((resolve) => {
        armed = { marker, cut: resolve };
      });
    },
    holdReplies() {
      const replies: Array<() => void> = [];
      held = replies;
      return () => {
        if (held === replies) held = undefined;
        for (const deliver of replies) deliver();
      };
    },
    cutAll,
    close() {
      cutAll();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
