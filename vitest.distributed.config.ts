import { defineConfig } from 'vitest/config';

/** `npm run test:distributed`: tests that start worker processes against a real Redis (REDIS_URL). */
export default defineConfig({
  test: {
    include: ['src/**/*.distributed.spec.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
