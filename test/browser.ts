/**
 * A real browser for the tests that drive a page: Debian's chromium at /usr/bin/chromium,
 * headless, through playwright-core (no browser download). .ci/run installs it when it is
 * missing. On a machine without it the browser tests are skipped, and a line says so; under
 * CI=true a missing browser fails the run.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export const hasBrowser = existsSync(CHROMIUM);

/** Whether a missing browser must fail the run (CI) rather than skip the browser tests. */
export const browserRequired = process.env['CI'] === 'true';

if (!hasBrowser && !browserRequired) {
  process.stderr.write(`browser tests skipped: no browser at ${CHROMIUM} (apt-get install -y chromium)\n`);
}

export const launchBrowser = (): Promise<Browser> =>
  chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
