/**
 * `npm run claims` as a process: a progress line per row on stderr as it is decided, the
 * table (or one JSON document) alone on stdout, and --quiet. Each run is some seconds of
 * exhaustive checks, in its own process.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runProcess } from '../capture.ts';

const root = resolve(__dirname, '../..');
const claims = (...argv: string[]) => runProcess(process.execPath, ['--import', 'tsx', 'model/claims.ts', ...argv], { cwd: root });

describe('npm run claims', () => {
  it('says on stderr when each row is decided; --json is one JSON document on stdout; --quiet says nothing', async () => {
    const [loud, quiet] = await Promise.all([claims('--json'), claims('--json', '--quiet')]);
    expect(loud.code).toBe(0);
    const rows = JSON.parse(loud.out) as { mode: string }[];
    const lines = loud.err.trimEnd().split('\n');
    expect(lines).toHaveLength(rows.length);
    lines.forEach((l, i) => expect(l).toMatch(new RegExp(`^claims: ${i + 1}/${rows.length} .+: .+, [\\d,]+ states \\(\\d+\\.\\d s\\)$`)));
    expect(lines[0]).toMatch(/^claims: 1\/7 synchronous: yes, /);
    expect(quiet.code).toBe(0);
    expect(quiet.err).toBe('');
    expect(JSON.parse(quiet.out)).toEqual(rows.map((r) => expect.objectContaining({ mode: r.mode })));
  });

  it('bad input: one line and exit 2', async () => {
    const r = await claims('--bogus');
    expect(r).toMatchObject({ code: 2, out: '' });
    expect(r.err).toMatch(/^claims: Unknown option '--bogus'/);
  });
});
