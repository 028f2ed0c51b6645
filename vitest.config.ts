import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Test files run in forked processes, as many at a time as the machine has cores (at least
 * two). Heavy synchronous checks do not run on vitest's workers: each test file hands them to
 * its own child process, one call at a time (test/inChild.ts), so a worker's event loop stays
 * free for vitest's RPC, and the CPU in use stays about one process per test file running.
 *
 * Test files share their fork's modules (`isolate: false`): loading vitest and the sources
 * afresh for each of some sixty files cost about 20 s of processor time a run. No test mocks
 * a module or keeps state another file could see; the one shared child process (inChild.ts)
 * is stopped by each file's `afterAll` and started again by the next file that needs it.
 *
 * The timeouts are for hangs, not for speed: on a loaded machine (other builds beside the
 * suite) the longest checks take several times what they take on an idle one.
 */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/globalSetup.ts'],
    pool: 'forks',
    isolate: false,
    maxWorkers: Math.max(2, availableParallelism()),
    minWorkers: 1,
    testTimeout: 300_000,
    hookTimeout: 300_000,
    teardownTimeout: 30_000,
  },
});
