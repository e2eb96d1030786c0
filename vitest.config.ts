import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    // Removing a suite's temp apps (some with installed node_modules) can take longer than the
    // default 10 s on a busy machine.
    hookTimeout: 120_000,
  },
});
