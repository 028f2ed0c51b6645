import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Test files run in forked processes, as many at a time as the machine has cores (at least
 * two). Heavy synchronous checks do not run on vitest's workers: each test file hands them to
 * its own child process, one call at a time (test/inChild.ts), so a worker's event loop stays
 * free for vitest's RPC, and the CPU in use stays about one process per test file running.
 *
 * The timeouts are for hangs, not for speed: on a loaded machine (other builds beside the
 * suite) the longest checks take several times what they take on an idle one.
 */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/globalSetup.ts'],
    pool: 'forks',
    maxWorkers: Math.max(2, availableParallelism()),
    minWorkers: 1,
    testTimeout: 300_000,
    hookTimeout: 300_000,
    teardownTimeout: 30_000,
  },
});
