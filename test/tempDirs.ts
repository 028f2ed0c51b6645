/**
 * Temporary directories for a test file: `fresh()` makes one (named `sc-<what>-…` in the
 * system's temporary directory) and `removeAll` (for afterAll) removes every one it made.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const tempDirs = (what: string): { fresh: () => string; removeAll: () => void } => {
  const made: string[] = [];
  return {
    fresh: () => {
      const d = mkdtempSync(join(tmpdir(), `sc-${what}-`));
      made.push(d);
      return d;
    },
    removeAll: () => {
      for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
    },
  };
};
