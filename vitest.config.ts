import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'tools/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'dist/**', '**/testdata/**'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 600_000,
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
