/**
 * Every test run gets its own temporary directory (TMPDIR, which os.tmpdir() and the child
 * processes the tests start inherit). At the end, anything the tests left in it fails the
 * run, by name: each test removes what it makes. Caches that tools keep there on purpose
 * (tsx's compile cache) are not the tests' doing.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const TOOL_CACHES = /^tsx-\d+$/;

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'shuttlecheck-tests-'));
  const before = process.env['TMPDIR'];
  process.env['TMPDIR'] = dir;
  return () => {
    if (before === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = before;
    const left = readdirSync(dir).filter((n) => !TOOL_CACHES.test(n));
    rmSync(dir, { recursive: true, force: true });
    if (left.length > 0) throw new Error(`the tests left ${left.length} temporary entries behind: ${left.join(', ')}`);
  };
}
