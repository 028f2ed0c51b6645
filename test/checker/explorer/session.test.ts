import { describe, expect, it } from 'vitest';
import type { Model } from '../../../checker/model.ts';
import { parsePath, PathError, pathText, pathView, stepView } from '../../../checker/explorer/session.ts';
import counter from '../../examples/counter.ts';
import { twoPhase } from '../../examples/twoPhase.ts';

describe('paths as text', () => {
  it('reads and writes the initial state index then action indices', () => {
    expect(parsePath('0.3.1')).toEqual({ init: 0, actions: [3, 1] });
    expect(pathText({ init: 2, actions: [] })).toBe('2');
  });
  it.each(['', '.', '0.', 'a', '0..1', '-1', '0.1e3', '1'.repeat(11), '0;rm -rf'])('refuses %j', (text) => {
    expect(() => parsePath(text)).toThrow(PathError);
  });
});

describe('the path view', () => {
  const model = twoPhase(2, { plantCommitEarly: true });
  // TwoPhase(2)'s actions: 0 TMCommit, 1 TMAbort, then per rm 5 each: TMRcvPrepared, RMPrepare, RMChooseToAbort, RMRcvCommitMsg, RMRcvAbortMsg.
  const bug = { init: 0, actions: [3, 2, 0, 5, 9] }; // r1 prepares, TM hears it, commits early, r1 commits, r2 aborts

  it('lists each step with its action, the chart events of the view, and what fails there', () => {
    const v = pathView(model, bug);
    expect(v.lanes).toEqual(['TM', 'r1', 'r2']);
    expect(v.steps.map((s) => s.label)).toEqual(['initial state 0', 'RMPrepare(r1)', 'TMRcvPrepared(r1)', 'TMCommit', 'RMRcvCommitMsg(r1)', 'RMChooseToAbort(r2)']);
    expect(v.steps[2]!.events).toEqual([{ from: 'r1', to: 'TM', label: 'Prepared' }]);
    expect(v.steps[4]!.events).toEqual([{ from: 'TM', to: 'r1', label: 'Commit' }]);
    expect(v.steps.map((s) => s.failing)).toEqual([[], [], [], [], [], ['TCConsistent']]);
  });

  it('says which step repeats an earlier state', () => {
    const v = pathView(counter, { init: 0, actions: [0, 1, 0] }); // Inc, Reset (back to 0), Inc
    expect(v.steps.map((s) => s.repeats)).toEqual([undefined, undefined, 0, 1]);
  });

  it('refuses a path the model cannot follow, naming the step', () => {
    expect(() => pathView(model, { init: 0, actions: [3, 99] })).toThrow(/step 2: action index 99 out of range/);
    expect(() => pathView(model, { init: 0, actions: [0] })).toThrow(/step 1: action TMCommit \(index 0\) is not enabled/);
    expect(() => pathView(model, { init: 1, actions: [] })).toThrow(PathError);
  });
});

describe('the step view', () => {
  it('gives the state marked against the step before, every invariant, and the enabled actions with where they lead', () => {
    const v = stepView(counter, { init: 0, actions: [0, 0] }, 2);
    expect(v.tree).toEqual({ t: 'record', kids: [['n', { t: 'leaf', text: '2', changed: true, was: '1' }]], text: '{n: 2}', changed: true });
    expect(v.invariants).toEqual([{ name: 'below five', holds: true }]);
    // Inc leads to a new state; Reset back to the state of step 0.
    expect(v.next).toEqual([{ index: 0, label: 'Inc' }, { index: 1, label: 'Reset', revisits: 0 }]);
    expect(v.deadlock).toBe(false);
  });

  it('explains a failing invariant', () => {
    const v = stepView(counter, { init: 0, actions: [0, 0, 0, 0, 0] }, 5);
    expect(v.invariants).toEqual([{ name: 'below five', holds: false, why: 'n = 5' }]);
  });

  it('shows an earlier step of the path with the actions enabled there', () => {
    const v = stepView(counter, { init: 0, actions: [0, 0] }, 0);
    expect(v.tree.changed).toBeUndefined();
    expect(v.next.map((a) => a.revisits)).toEqual([undefined, 0]);
  });

  it('marks an action that changes nothing as leading back to the first step with that state', () => {
    const m = twoPhase(1);
    // r1 aborts, TM aborts, r1 receives Abort: r1 was aborted already, so step 3 is step 2's state again.
    const v = stepView(m, { init: 0, actions: [4, 1, 6] }, 3);
    expect(v.next.map((a) => [a.label, a.revisits])).toEqual([['RMRcvAbortMsg(r1)', 2]]);
    expect(() => stepView(m, { init: 0, actions: [] }, 1)).toThrow(/step 1 is not on this path/);
  });

  it('finds a deadlock: no action enabled, and the model does not accept that', () => {
    const stuck: Model<number, 'go'> = {
      name: 'stuck',
      initStates: () => [0],
      actions: () => ['go'],
      nextState: (s) => (s < 1 ? s + 1 : undefined),
      actionName: (a) => a,
      isTerminalOk: (s) => s === 2,
    };
    expect(stepView(stuck, { init: 0, actions: [0] }, 1)).toMatchObject({ next: [], deadlock: true });
    expect(stepView({ ...stuck, terminalOk: 'always' }, { init: 0, actions: [0] }, 1).deadlock).toBe(false);
  });
});
