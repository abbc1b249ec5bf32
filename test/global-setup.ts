// Vitest global setup: finds the Redis the redisStore tests run against, starting a private
// redis-server when there is none, and hands its URL to the tests (`inject('redisUrl')`).
//
// - MODELSCOUT_REDIS_URL set: that Redis (CI's .ci/run starts one and sets it).
// - Else a Redis answering at the default, redis://127.0.0.1:6390.
// - Else a private redis-server on a free port (in a temporary directory, nothing saved),
//   stopped when the run ends. MODELSCOUT_REDIS_SERVER names the executable when it is not
//   /usr/bin/redis-server or on PATH (the tests' private servers use it too).
//
// When none can be had (redis-server not installed), the run goes on and the Redis tests fail
// with `redisProblem`, which says how to install it: they never skip, and tests that need no
// Redis are not held up.
import type { TestProject } from 'vitest/node';
import {
  pingRedisUrl,
  REDIS_SERVER_MISSING,
  type RedisServer,
  startRedisServer,
} from '../src/store/testing/redis-server.js';

/** The Redis the tests use when MODELSCOUT_REDIS_URL is not set and one answers there. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6390';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The Redis URL for the redisStore tests; '' when there is none (see `redisProblem`). */
    redisUrl: string;
    /** Why there is no Redis, and how to get one; '' when there is. */
    redisProblem: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let server: RedisServer | undefined;
  const configured = process.env.MODELSCOUT_REDIS_URL;
  let url = '';
  let problem = '';
  if (configured !== undefined && configured !== '') {
    url = configured;
    let host: string | undefined;
    try {
      host = new URL(url).host;
    } catch {
      problem = 'MODELSCOUT_REDIS_URL is not a URL (e.g. redis://127.0.0.1:6379)';
    }
    if (host !== undefined && url.startsWith('redis://') && !(await pingRedisUrl(url))) {
      problem = `nothing answers PING at MODELSCOUT_REDIS_URL (${host})`;
    }
  } else if (await pingRedisUrl(DEFAULT_REDIS_URL)) {
    url = DEFAULT_REDIS_URL;
  } else {
    try {
      server = await startRedisServer();
      url = server.url;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      problem = message === REDIS_SERVER_MISSING ? message : `could not start redis-server: ${message}`;
    }
  }
  project.provide('redisUrl', url);
  project.provide('redisProblem', problem);
  return async () => {
    await server?.dispose();
  };
}
