import { describe, expect, it } from 'vitest';
import { check } from '../../../checker/check.ts';
import type { Model } from '../../../checker/model.ts';
import { livenessRegion } from '../../../checker/explorer/region.ts';
import { regionSvg } from '../../../checker/explorer/regionSvg.ts';
import { PathError } from '../../../checker/explorer/session.ts';
import { oneBit } from '../../examples/oneBit.ts';
import { trap } from '../../examples/trap.ts';

describe('the liveness view of a reachability violation', () => {
  const cx = check(trap).counterexample!;

  it('starts from the stuck state, the counterexample\'s last, and draws what the allowed actions reach: no goal there', () => {
    expect(cx).toMatchObject({ property: 'done stays reachable', kind: 'reachability', path: { init: 0, actions: [0, 0, 1] } });
    const r = livenessRegion(trap, cx.path, cx.property);
    expect(r.stuckStep).toBe(3);
    expect(r.nodes.map((n) => [n.path, n.depth, n.label, n.goal])).toEqual([
      ['0.0.0.1', 0, undefined, undefined],
      ['0.0.0.1.2', 1, '"Spin"', undefined],
      ['0.0.0.1.2.2', 2, '"Spin"', undefined],
    ]);
    // The ring, and Fix (not allowed by the property) is not followed.
    expect(r.edges).toEqual([{ from: 0, to: 1 }, { from: 1, to: 2 }, { from: 2, to: 0 }]);
    expect(r.cut).toBeUndefined();
    expect(r.why).toBe(
      'No state in this region satisfies the goal of "done stays reachable", and the actions it allows never lead out of it: all 3 states reachable from it are drawn, none satisfies it, so from step 3 the goal can never be reached.',
    );
  });

  it('says when a state is not stuck, and when the region is cut at its bound', () => {
    const early = livenessRegion(trap, { init: 0, actions: [0] }, 'done stays reachable');
    expect(early.nodes.filter((n) => n.goal).map((n) => n.path)).toEqual(['0.0.0.0']);
    expect(early.why).toMatch(/^Step 1 is not stuck: 1 state of the region \(in green\) satisfies the goal/);
    const cut = livenessRegion(trap, cx.path, cx.property, undefined, { maxStates: 2, maxMs: 10_000 });
    expect(cut.nodes).toHaveLength(2);
    expect(cut.cut).toBe('states');
    expect(cut.why).toContain('the first 2 states reachable from it (the region is cut there: more states than are drawn)');
  });

  it('refuses a property the model does not have, and a temporal one without its loop', () => {
    expect(() => livenessRegion(trap, cx.path, 'nope')).toThrow(PathError);
    const m = oneBit({ fair: true });
    const lasso = check(m).counterexample!;
    expect(() => livenessRegion(m, lasso.path, lasso.property)).toThrow(/needs the step its loop starts at/);
    expect(() => livenessRegion(m, lasso.path, lasso.property, 99)).toThrow(PathError);
  });
});

describe('the liveness view of a lasso', () => {
  it('marks the loop (states and steps) and the states that would satisfy the property', () => {
    // A ring of four states that the behaviour walks around; Exit (never forced) would reach the goal.
    type R = { readonly at: number; readonly out: boolean };
    const ring: Model<R, 'Step' | 'Exit'> = {
      name: 'ring',
      initStates: () => [{ at: 0, out: false }],
      actions: () => ['Step', 'Exit'],
      nextState: (s, a) => (s.out ? undefined : a === 'Step' ? { at: (s.at + 1) % 4, out: false } : s.at === 2 ? { at: s.at, out: true } : undefined),
      actionName: (a) => a,
      terminalOk: 'always',
      temporal: [{ kind: 'eventually', name: 'gets out', holds: (s) => s.out }],
      fairness: [{ kind: 'weak', name: 'WF(Step)', actions: ['Step'] }],
    };
    const cx = check(ring).counterexample!;
    expect(cx).toMatchObject({ property: 'gets out', kind: 'temporal' });
    const r = livenessRegion(ring, cx.path, cx.property, cx.loop);
    expect(r.stuckStep).toBe(cx.loop);
    expect(r.nodes.filter((n) => n.loop)).toHaveLength(4);
    expect(r.nodes.filter((n) => n.goal)).toHaveLength(1);
    expect(r.edges.filter((e) => e.loop)).toHaveLength(4);
    expect(r.edges.filter((e) => !e.loop)).toHaveLength(1); // Exit
    expect(r.why).toMatch(/^The behaviour repeats steps \d+ to \d+ forever \(the loop, in orange\) without what "gets out" waits for: no state of the loop satisfies it\. Of all 5 states reachable from it \(drawn\), 1 state \(in green\) would satisfy it, but no fairness condition forces the behaviour there\.$/);
  });

  it('for a behaviour that stays in its last state, says so', () => {
    const m = oneBit({ fair: true });
    const cx = check(m).counterexample!;
    expect(cx.loop).toBe(cx.path.actions.length);
    const r = livenessRegion(m, cx.path, cx.property, cx.loop);
    expect(r.nodes[0]).toMatchObject({ loop: true, depth: 0 });
    expect(r.edges.some((e) => e.loop)).toBe(false);
    expect(r.why).toMatch(/^The behaviour stays in step 5 forever \(no fairness condition makes it move on\), and the conclusion of "StarvationFree\(0\)" does not hold there\. Of all \d+ states reachable from it \(drawn\), \d+ states \(in green\) would satisfy it/);
  });
});

describe('the region drawn', () => {
  it('marks the stuck state, the loop and the goal, each node with the path a click opens', () => {
    const svg = regionSvg({
      property: 'p',
      kind: 'temporal',
      stuckStep: 2,
      nodes: [
        { path: '0.1.1', depth: 0, loop: true },
        { path: '0.1.1.0', depth: 1, label: 'A', loop: true },
        { path: '0.1.1.1', depth: 1, label: 'B<x>', goal: true },
      ],
      edges: [{ from: 0, to: 1, loop: true }, { from: 1, to: 0, loop: true }, { from: 0, to: 2 }],
      why: '',
    });
    expect([...svg.matchAll(/<g class="([^"]*)" data-node="(\d)" data-path="([^"]*)"/g)].map((m) => [m[1], m[3]])).toEqual([
      ['node stuck loop', '0.1.1'],
      ['node loop', '0.1.1.0'],
      ['node goal', '0.1.1.1'],
    ]);
    expect(svg.match(/class="edge loop"/g)).toHaveLength(2);
    expect(svg.match(/class="edge"/g)).toHaveLength(1);
    expect(svg).toContain('last B&lt;x&gt; (satisfies it)');
    // The two opposite loop steps are two curves, not one line drawn twice.
    const [a, b] = [...svg.matchAll(/class="edge loop" d="([^"]*)"/g)].map((m) => m[1]);
    expect(a).not.toBe(b);
  });
});
