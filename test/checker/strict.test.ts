/**
 * Strict checking: a model that is not deterministic is stopped at the first state where it
 * shows, naming the state and the action; Sets and Maps holding members equal as values are
 * warned of once per kind; a model that keeps the contract gets the same result as without.
 */
import { describe, expect, it } from 'vitest';
import { check } from '../../checker/check.ts';
import { isModelContractError } from '../../checker/errors.ts';
import type { Model } from '../../checker/model.ts';
import { mapOf } from '../../checker/structural.ts';
import { plainMsgs, structuralMsgs } from '../examples/commitMsgs.ts';
import { flakyCounter } from '../examples/flaky.ts';
import { plainTokens, structuralTokens } from '../examples/setOrder.ts';
import { twoPhase } from '../examples/twoPhase.ts';

/** The error `f` throws (failing the test when it throws none). */
const thrown = (f: () => unknown): Error => {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
};

describe('--strict: determinism, checked at each expansion', () => {
  it('stops an order-dependent model at the first state expanded with its Set out of canonical order, naming state and action', () => {
    for (const strategy of ['bfs', 'dfs'] as const) expect(check(plainTokens(), { strategy }).distinctStates).toBe(8); // silent without --strict
    const e = thrown(() => check(plainTokens(), { strict: true }));
    expect(isModelContractError(e)).toBe(true);
    const [first, ...rest] = e.message.split('\n');
    expect(first).toMatch(/^the model is not deterministic at state #4 \(reached from initial state 0 by action indices 0, 0\): /);
    expect(first).toMatch(/actions\(s\) lists Drop\(x="c"\) at index 1 for the state, Drop\(x="b"\) for an equal copy of it with its Sets and Maps in canonical order/);
    expect(first).toMatch(/setOf\/setAdd/);
    expect(rest).toEqual(['  state #4:', '    held = Set{"c", "b"}']);
  });

  it('passes the same model built with structural sets, with the same states', () => {
    const r = check(structuralTokens(), { strict: true });
    expect([r.verdict, r.distinctStates, r.warnings]).toEqual(['ok', 8, undefined]);
  });

  it('stops a model whose actions change from call to call at the initial state', () => {
    expect(check(flakyCounter()).verdict).toBe('ok'); // silent without --strict: no counterexample to replay
    for (const strategy of ['bfs', 'dfs'] as const) {
      const e = thrown(() => check(flakyCounter(), { strict: true, strategy }));
      expect(e.message).toMatch(/^the model is not deterministic at state #0 \(initial state 0\): actions\(s\) lists 1 at index 0 for the state, 2 for an equal copy of it\. /);
      expect(e.message).toMatch(/not on object identity, randomness or anything kept outside the state/);
    }
  });

  it('stops a model whose next state depends on object identity, naming the action and the first difference', () => {
    const start = { n: 0 };
    const byIdentity: Model<{ readonly at: { readonly n: number } }, 'go'> = {
      name: 'identity',
      initStates: () => [{ at: start }],
      actions: () => ['go'],
      nextState: (s) => (s.at.n < 3 ? { at: { n: s.at === start ? 1 : s.at.n + 2 } } : undefined),
      actionName: (a) => a,
      terminalOk: 'always',
    };
    const e = thrown(() => check(byIdentity, { strict: true }));
    expect(e.message).toMatch(/^the model is not deterministic at state #0 \(initial state 0\): nextState\(s, "go"\) \(index 0\) gives another state for an equal copy of it \(first difference, the state's successor → the copy's: at\.n: 1 → 2\)/);
  });

  it('applies to exhaustive searches only', () => {
    expect(() => check(structuralMsgs(), { strict: true, strategy: 'random' })).toThrow(/strict applies to bfs and dfs/);
  });
});

describe('--strict: Sets and Maps holding members equal as values', () => {
  it('warns once of a Set of objects holding equal members, where it was first seen', () => {
    const r = check(plainMsgs(), { strict: true });
    expect(r.distinctStates).toBe(50);
    expect(r.warnings).toEqual([
      'msgs is a Set holding members equal as values ({type: "Commit"} more than once), first in state #2: a Set compares ' +
        'objects by identity while the engine identifies states by value, so it counts such states apart; build the Set with ' +
        'setOf/setAdd/setUnion (checker/structural.ts)',
    ]);
    expect(check(plainMsgs()).warnings).toBeUndefined();
    expect(check(structuralMsgs(), { strict: true }).warnings).toBeUndefined();
  });

  it('warns of a Map whose keys are equal as values, deep in the state', () => {
    type S = { readonly rms: readonly { readonly votes: ReadonlyMap<{ readonly rm: number }, boolean> }[] };
    const model = (build: (entries: [{ rm: number }, boolean][]) => ReadonlyMap<{ rm: number }, boolean>): Model<S, 'vote'> => ({
      name: 'votes',
      initStates: () => [{ rms: [{ votes: build([]) }] }],
      actions: (s) => (s.rms[0]!.votes.size < 2 ? ['vote'] : []),
      nextState: (s) => ({ rms: [{ votes: build([...s.rms[0]!.votes, [{ rm: 1 }, true]]) }] }),
      actionName: (a) => a,
      terminalOk: 'always',
    });
    const r = check(model((es) => new Map(es)), { strict: true });
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings![0]).toMatch(/^rms\[0\]\.votes is a Map with keys equal as values \(\{rm: 1\} more than once\), first in state #2: .* mapOf\/mapSet/);
    expect(check(model((es) => mapOf(es)), { strict: true }).warnings).toBeUndefined();
  });

  it('changes nothing for a model that keeps the contract', () => {
    const { durationMs: _a, statesPerSecond: _b, ...plain } = check(twoPhase(3));
    const { durationMs: _c, statesPerSecond: _d, ...strict } = check(twoPhase(3), { strict: true });
    expect(strict).toEqual(plain);
  });
});
