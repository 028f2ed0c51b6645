/**
 * `npm run conform -- --score`: the canonical suite judged by what it rejects. The model
 * passes every vector and every mutant (those of today and any added later: the rows are
 * the provider's mutants) is rejected by at least two; a suite too weak for that exits 1.
 */
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MUTANTS } from '../../model/config.ts';
import { MIN_REJECTIONS, scoreProblems, type ScoreRow } from '../../traces/conformScore.ts';
import type { VectorResult } from '../../traces/conform.ts';
import { runProcess } from '../capture.ts';

const root = resolve(__dirname, '../..');
const conform = (...argv: string[]) => runProcess(process.execPath, ['--import', 'tsx', 'traces/conform.ts', ...argv], { cwd: root });

let full: Awaited<ReturnType<typeof conform>>;
let json: Awaited<ReturnType<typeof conform>>;
beforeAll(async () => {
  [full, json] = await Promise.all([conform('--score'), conform('--score', '--json', '--suite', resolve(root, 'traces/vectors/tiny'))]);
});

const result = (vector: string, verdict: VectorResult['verdict']): VectorResult => ({ vector, expect: 'conform', verdict, step: 1, reason: 'r', log: [], ms: 0 });

describe('conform --score', () => {
  it('the canonical suite: the model passes every vector, every mutant is rejected by two or more', () => {
    expect(full.code).toBe(0);
    const lines = full.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^implementation +rejected by +vectors$/);
    const vectors = Number(/passes all (\d+) vectors$/.exec(lines[1]!)?.[1]);
    expect(lines[1]).toMatch(/^model \(no mutant\) +0 +passes all \d+ vectors$/);
    expect(vectors).toBeGreaterThan(100);
    const rows = new Map(lines.slice(2, -1).map((l) => {
      const m = /^mutant (\S+) +(\d+) +(.*)$/.exec(l)!;
      return [m[1]!, { count: Number(m[2]), vectors: m[3]!.split(' ') }] as const;
    }));
    expect([...rows.keys()].sort()).toEqual([...MUTANTS].sort());
    for (const [m, r] of rows) {
      expect(r.count, m).toBeGreaterThanOrEqual(MIN_REJECTIONS);
      expect(r.vectors.length, m).toBe(r.count);
      // Its own counterexample rejects it, and the vector of its first difference (where it has one).
      expect(r.vectors, m).toContain(`mutants/${m}`);
      if (m !== 'duplicate-shuttle') expect(r.vectors.filter((v) => v.startsWith(`mutants/${m}.`)).length, m).toBe(1);
    }
    expect(lines.at(-1)).toBe(`score: ${MUTANTS.length}/${MUTANTS.length} mutants rejected by at least 2 of ${vectors} vectors; the model passes every vector`);
    // A progress line per implementation on stderr, and nothing else.
    expect(full.err.trimEnd().split('\n').length).toBe(MUTANTS.length + 1);
    expect(full.err).toMatch(new RegExp(`^conform --score: 1/${MUTANTS.length + 1} `));
  });

  it('a suite too weak (tiny alone) exits 1 and names each mutant it rejects too rarely; --json is a row per implementation', () => {
    expect(json.code).toBe(1);
    const rows = json.out.trimEnd().split('\n').map((l) => JSON.parse(l) as { mutant: string | null; rejectedBy: string[] });
    expect(rows.map((r) => r.mutant)).toEqual([null, ...MUTANTS]);
    expect(rows[0]!.rejectedBy).toEqual([]);
    const weak = rows.filter((r) => r.mutant !== null && r.rejectedBy.length < 2).map((r) => r.mutant);
    expect(weak.length).toBeGreaterThan(0);
    for (const m of weak) expect(json.err).toMatch(new RegExp(`\\nconform --score: mutant ${m}: rejected by [01] vectors?, fewer than 2\\n`));
  });

  it('counts FAILs of a mutant, not SKIPs, and every vector the model does not pass', () => {
    const rows: ScoreRow[] = [
      { mutant: undefined, results: [result('a', 'PASS'), result('b', 'SKIP')], rejectedBy: ['b'] },
      { mutant: 'm', results: [result('a', 'FAIL'), result('b', 'FAIL')], rejectedBy: ['a', 'b'] },
      { mutant: 'n', results: [result('a', 'FAIL'), result('b', 'PASS')], rejectedBy: ['a'] },
    ];
    expect(scoreProblems(rows)).toEqual(['the model itself: SKIP b at step 1: r', 'mutant n: rejected by 1 vector, fewer than 2']);
  });

  it('takes no --impl', async () => {
    const r = await conform('--score', '--impl', 'true');
    expect(r.code).toBe(2);
    expect(r.err).toBe('conform: --score runs the model and its mutants as the implementations; it takes no --impl\n');
  });
});
