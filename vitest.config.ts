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
          include: ['test/gateway/*.test.ts', 'test/http/*.test.ts'],
          // These start no gateway through the harness (config, the demo CLI, the dashboard's bundle), pick
          // Redis themselves (cluster, leases), or test the browser UI over the API the others cover.
          exclude: [
            'test/gateway/{config,demo-cli,cluster,leases}.test.ts',
            'test/http/dashboard{-bundle,.browser}.test.ts',
          ],
          env: { CMPPGW_TEST_STORE: 'redis' },
        },
      },
    ],
  },
});
