import { defineConfig } from 'vitest/config';

/** Browser tests (`npm run test:browser`): a real server and Debian's Chromium through playwright-core. */
export default defineConfig({
  test: {
    include: ['src/**/*.browser.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
