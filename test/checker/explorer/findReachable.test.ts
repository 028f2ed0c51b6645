import { describe, expect, it } from 'vitest';
import type { Model } from '../../../checker/model.ts';
import { findReachable } from '../../../checker/explorer/findReachable.ts';
import { parseQuery } from '../../../checker/explorer/search.ts';
import { replay } from '../../../checker/replay.ts';
import { grid } from '../../examples/grid.ts';
import { twoPhase } from '../../examples/twoPhase.ts';

const big = { maxStates: 1_000_000, maxMs: 60_000 };

describe('search across the state tree', () => {
  it('finds the first matching state by a shortest path, the first in action-index order among the shortest', () => {
    const m = twoPhase(2);
    const found = findReachable(m, parseQuery('tmPrepared[1]'), big);
    // r2 must prepare, then the TM must hear it: two steps, by r2's actions (RMPrepare(r2) is index 8, TMRcvPrepared(r2) index 7).
    expect(found.path).toEqual({ init: 0, actions: [8, 7] });
    expect(found.cut).toBeUndefined();
    const steps = replay(m, found.path!);
    expect(steps.at(-1)!.state.tmPrepared).toEqual([false, true]);
    // A committed RM needs the TM to commit first, after every RM prepared and was heard.
    const commit = findReachable(m, parseQuery('rmState[0] = committed'), big);
    expect(commit.path!.actions).toHaveLength(6);
    // The initial state itself may match: a path of no steps.
    expect(findReachable(m, parseQuery('tmState = init'), big).path).toEqual({ init: 0, actions: [] });
  });

  it('says when nothing reachable matches, having looked at every state', () => {
    const m = grid(2, 4); // 16 states
    const none = findReachable(m, parseQuery('x'), big);
    expect(none).toMatchObject({ explored: 16 });
    expect(none.path).toBeUndefined();
    expect(none.cut).toBeUndefined();
  });

  it('stops at its bounds, and says which one', () => {
    const m = grid(3, 50); // 125,000 states; no state has a field "missing"
    const states = findReachable(m, parseQuery('missing'), { maxStates: 500, maxMs: 60_000 });
    expect(states).toMatchObject({ cut: 'states', explored: 500 });
    const time = findReachable(m, parseQuery('missing'), { maxStates: 1_000_000, maxMs: 0 });
    expect(time.cut).toBe('time');
    expect(time.explored).toBeLessThan(1000);
  });

  it('looks at states on the boundary but does not expand them', () => {
    const line: Model<{ n: number }, 'inc'> = {
      name: 'line',
      initStates: () => [{ n: 0 }],
      actions: () => ['inc'],
      nextState: (s) => (s.n < 10 ? { n: s.n + 1 } : undefined),
      actionName: (a) => a,
      terminalOk: 'always',
      withinBoundary: (s) => s.n < 3,
    };
    expect(findReachable(line, parseQuery('n = 3'), big).path).toEqual({ init: 0, actions: [0, 0, 0] });
    expect(findReachable(line, parseQuery('n = 4'), big)).toMatchObject({ explored: 4 });
    expect(findReachable(line, parseQuery('n = 4'), big).path).toBeUndefined();
  });
});
