// End-to-end tests: a real `mira serve` driven through Debian Chromium with playwright-core, one file at a time.
import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: path.resolve(import.meta.dirname, '..'),
  test: {
    include: ['e2e/**/*.e2e.ts'],
    environment: 'node',
    globalSetup: ['e2e/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // One browser and one server at a time: the machines running this have two cores.
    fileParallelism: false,
  },
});
