/**
 * PROTOCOL.md §9: the claims table's rows, decided by the checker (the timer sweep is in
 * bite.test.ts; `npm run claims` runs it whole).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { formatClaims, type ClaimRow } from '../../model/claims.ts';
import { runInChild, stopChild } from '../inChild.ts';

// Each row is exhaustive checks and a measure over every state: they run in a child process.
afterAll(stopChild);
const modeRows = () => runInChild<ClaimRow[]>('model/claims.ts', 'modeRows');
const fig13Row = () => runInChild<ClaimRow>('model/claims.ts', 'fig13Row');

describe('claims of the patent (PROTOCOL.md §9)', () => {
  it('synchronous holds with nothing lost; background copy and semi-synchronous (several devices) give counterexamples; both shuttles hold', async () => {
    const rows = await modeRows();
    const by = Object.fromEntries(rows.map((r) => [r.mode, r]));
    expect(by['synchronous']!.consistent).toBe('yes');
    expect(by['synchronous']!.lost).toMatch(/^0 /);
    expect(by['synchronous']!.hostWaits).toBe('yes, every write');
    expect(by['background (adaptive) copy']!.consistent).toMatch(/^no/);
    expect(by['background (adaptive) copy']!.counterexampleLength).toBeGreaterThan(0);
    expect(by['background (adaptive) copy']!.lost).toMatch(/^3 of 3/);
    expect(by['semi-synchronous']!.consistent).toMatch(/^no/);
    expect(by['semi-synchronous']!.hostWaits).toMatch(/^for the previous transfer/);
    for (const m of ['WAN blade, ring shuttle', 'WAN blade, slot shuttle']) {
      expect(by[m]!.consistent).toBe('yes');
      expect(by[m]!.hostWaits).toMatch(/^no/);
    }
    const modes = ['synchronous', 'semi-synchronous', 'background (adaptive) copy', 'WAN blade, ring shuttle', 'WAN blade, slot shuttle'];
    expect(rows.map((r) => r.mode)).toEqual(expect.arrayContaining(modes));
    const table = formatClaims(rows).split('\n');
    expect(table).toHaveLength(rows.length + 2);
    for (const r of rows) expect(table.filter((l) => l.startsWith(`| ${r.mode} `)), r.mode).toHaveLength(1);
  });

  it('Fig 13: a dependent pair can share a number, yet ordering and the atomic apply hold', async () => {
    const r = await fig13Row();
    expect(r.consistent).toMatch(/^false: .*seq\(w1\) ≤ seq\(w2\): holds; atomic apply \(recoverable consistency\): holds$/);
    expect(r.counterexampleLength).toBeGreaterThan(0);
  });
});
