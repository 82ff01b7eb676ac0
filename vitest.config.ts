import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'sqlite', include: ['test/**/*.test.ts'] } },
      {
        // The gateway's end-to-end tests again, on the Redis backend (REDIS_URL; fails if Redis is down).
        extends: true,
        test: {
          name: 'redis',
          include: ['test/gateway/*.test.ts'],
          // These start no gateway through the harness (config, the demo CLI) or pick Redis themselves.
          exclude: ['test/gateway/{config,demo-cli,cluster,leases}.test.ts'],
          env: { CMPPGW_TEST_STORE: 'redis' },
        },
      },
    ],
  },
});
