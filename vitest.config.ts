// Vitest configuration: unit and integration suites (e2e runs under Playwright, benches by hand).
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Most files spend their time waiting on sockets, child processes and timers (one worker kept 2 cores ~40% busy):
    // two workers even on a 2-core machine, where vitest's default (cores - 1) would run one. 331 s -> 198 s here.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
