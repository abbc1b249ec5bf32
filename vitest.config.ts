import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    pool: 'forks',
    // Finds (or starts) the Redis the redisStore tests run against; see test/global-setup.ts.
    globalSetup: ['test/global-setup.ts'],
  },
});
