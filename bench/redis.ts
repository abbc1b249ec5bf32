import { pingRedisUrl, redisAddress, startRedisServer } from '../src/store/testing/redis-server.js';

/**
 * The Redis the storage benchmark runs against: `MODELSCOUT_REDIS_URL` when set, else a private
 * `redis-server` on a free loopback port (nothing saved), stopped by `stop()`.
 */
export async function startRedisForBenchmark(): Promise<{ url: string; stop(): Promise<void> }> {
  const configured = process.env.MODELSCOUT_REDIS_URL;
  if (configured !== undefined && configured !== '') {
    if (!(await pingRedisUrl(configured))) {
      const { host, port } = redisAddress(configured);
      throw new Error(`nothing answers PING at MODELSCOUT_REDIS_URL (${host}:${port})`);
    }
    return { url: configured, stop: async () => undefined };
  }
  const server = await startRedisServer();
  return { url: server.url, stop: () => server.dispose() };
}
