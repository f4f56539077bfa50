// Vitest configuration of the e2e suite: the dashboard in Debian's Chromium (playwright-core) against the headless bridge.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    globalSetup: ['test/e2e/support/build-renderer.ts'],
    testTimeout: 240_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two files at a time (each its own Chromium and bridge): 172 s -> 92 s here, 104 s beside a CPU burner.
    maxWorkers: 2,
  },
});
