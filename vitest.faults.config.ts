import { defineConfig } from 'vitest/config';

/**
 * The fault suite (`npm run test:faults`): the scenario run fault-free and again under faults, kills and restarts.
 * Heavy (worker processes, a private Redis and PostgreSQL), so it runs apart from `npm test`, one file at a time.
 */
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
