import { describe, expect, it } from 'vitest';
import { matches, parseQuery, searchPath } from '../../../checker/explorer/search.ts';
import { PathError } from '../../../checker/explorer/session.ts';
import { twoPhase } from '../../examples/twoPhase.ts';

describe('search within a path', () => {
  it('reads a place, and an optional comparison', () => {
    expect(parseQuery('secondaryBlades[1].journal')).toEqual({ place: ['secondaryBlades', 1, 'journal'], op: 'set' });
    expect(parseQuery(' writes[0].status = 2 ')).toEqual({ place: ['writes', 0, 'status'], op: '=', value: '2' });
    expect(parseQuery('site != "running"')).toEqual({ place: ['site'], op: '!=', value: '"running"' });
    for (const bad of ['', '[0]', 'a..b', 'a[x]', 'a = ', 'a; b', 'x'.repeat(1001)]) expect(() => parseQuery(bad), bad).toThrow(PathError);
  });

  it('a place alone holds when it is there and not empty, zero or false', () => {
    const s = { journal: [], n: 0, flag: false, list: [1], m: new Map([['k', 1]]), e: new Map(), name: 'x' };
    const holds = (q: string) => matches(s, parseQuery(q));
    expect(['journal', 'n', 'flag', 'e', 'missing', 'list[3]', 'name.x'].filter(holds)).toEqual([]);
    expect(['list', 'list[0]', 'm', 'm.k', 'name'].every(holds)).toBe(true);
  });

  it('compares values as the state panel shows them, strings with or without quotes', () => {
    const s = { site: 'running', xs: [1, 2], rec: { a: 1 } };
    const holds = (q: string) => matches(s, parseQuery(q));
    expect(['site = running', 'site = "running"', 'xs = [1, 2]', 'xs = [1,2]', 'rec = {a: 1}', 'xs[1] = 2', 'site != stopped'].every(holds)).toBe(true);
    expect(['site = stopped', 'xs = [1]', 'xs[1] != 2', 'missing = 1'].filter(holds)).toEqual([]);
    expect(holds('missing != 1')).toBe(true);
  });

  it('finds the steps of a path whose state matches', () => {
    const m = twoPhase(2);
    const path = { init: 0, actions: [3, 2, 8, 7] }; // r1 prepares, TM hears it, r2 prepares, TM hears it
    expect(searchPath(m, path, 'tmPrepared[0]')).toEqual([2, 3, 4]);
    expect(searchPath(m, path, 'rmState[1] = prepared')).toEqual([3, 4]);
    expect(searchPath(m, path, 'msgs.commit')).toEqual([]);
  });
});
