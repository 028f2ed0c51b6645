/**
 * PROTOCOL.md §9: the claims table's rows, decided by the checker, as `npm run claims`
 * prints them (the timer sweep is in bite.test.ts). The command runs once, as a process: a
 * progress line per row on stderr as it is decided, and the rows as one JSON document alone
 * on stdout. The rows are some seconds of exhaustive checks each.
 */
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ClaimRow, formatClaims } from '../../model/claims.ts';
import { runProcess } from '../capture.ts';

const root = resolve(__dirname, '../..');
const claims = (...argv: string[]) => runProcess(process.execPath, ['--import', 'tsx', 'model/claims.ts', ...argv], { cwd: root });

let run: { code: number | null; out: string; err: string };
let rows: ClaimRow[];
beforeAll(async () => {
  run = await claims('--json');
  rows = JSON.parse(run.out) as ClaimRow[];
});
const row = (mode: string): ClaimRow => {
  const r = rows.find((x) => x.mode === mode);
  expect(r, mode).toBeDefined();
  return r!;
};

describe('npm run claims', () => {
  it('says on stderr when each row is decided; --json is one JSON document on stdout', () => {
    expect(run.code).toBe(0);
    const lines = run.err.trimEnd().split('\n');
    expect(lines).toHaveLength(rows.length);
    lines.forEach((l, i) => expect(l).toMatch(new RegExp(`^claims: ${i + 1}/${rows.length} .+: .+, [\\d,]+ states \\(\\d+\\.\\d s\\)$`)));
    expect(lines[0]).toMatch(/^claims: 1\/7 synchronous: yes, /);
  });

  it('bad input: one line and exit 2', async () => {
    const r = await claims('--bogus');
    expect(r).toMatchObject({ code: 2, out: '' });
    expect(r.err).toMatch(/^claims: Unknown option '--bogus'/);
  });
});

describe('claims of the patent (PROTOCOL.md §9)', () => {
  it('synchronous holds with nothing lost; background copy and semi-synchronous (several devices) give counterexamples; both shuttles hold', () => {
    expect(row('synchronous').consistent).toBe('yes');
    expect(row('synchronous').lost).toMatch(/^0 /);
    expect(row('synchronous').hostWaits).toBe('yes, every write');
    expect(row('background (adaptive) copy').consistent).toMatch(/^no/);
    expect(row('background (adaptive) copy').counterexampleLength).toBeGreaterThan(0);
    expect(row('background (adaptive) copy').lost).toMatch(/^3 of 3/);
    expect(row('semi-synchronous').consistent).toMatch(/^no/);
    expect(row('semi-synchronous').hostWaits).toMatch(/^for the previous transfer/);
    for (const m of ['WAN blade, ring shuttle', 'WAN blade, slot shuttle']) {
      expect(row(m).consistent).toBe('yes');
      expect(row(m).hostWaits).toMatch(/^no/);
    }
  });

  it('Fig 13: a dependent pair can share a number, yet ordering and the atomic apply hold', () => {
    const r = row('Fig 13: "dependent writes get different numbers"');
    expect(r.consistent).toMatch(/^false: .*seq\(w1\) ≤ seq\(w2\): holds; atomic apply \(recoverable consistency\): holds$/);
    expect(r.counterexampleLength).toBeGreaterThan(0);
  });

  it('the table has one line per row, after its head and rule', () => {
    expect(rows).toHaveLength(7);
    const table = formatClaims(rows).split('\n');
    expect(table).toHaveLength(rows.length + 2);
    for (const r of rows) expect(table.filter((l) => l.startsWith(`| ${r.mode} `)), r.mode).toHaveLength(1);
  });
});
