/**
 * The system's liveness as temporal properties under weak fairness of its components
 * (model/liveness.ts, PROTOCOL.md §3, liveness): each issued write is acknowledged, and each
 * acknowledged write is applied at every secondary. The ring shuttle with its incrementing
 * blade failed violates the first with a lasso (the shuttle goes round for ever, nobody
 * increments); the slot shuttle does not; a secondary that never commits its last number
 * (mutant no-flush-pass) violates the second.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Action } from '../../model/actions.ts';
import { stopChild } from '../inChild.ts';
import { runTemporalInChild } from './helpers.ts';

afterAll(stopChild);

describe('liveness under fairness (temporal properties)', () => {
  it('ring-fail: a write issued after the incrementing blade fails is never acknowledged; the lasso circles', async () => {
    const r = await runTemporalInChild('ring-fail');
    expect(r.verdict).toBe('violation');
    expect(r.property).toMatch(/^w\d issued ~> acknowledged$/);
    const cx = r.counterexample!;
    expect(cx.kind).toBe('temporal');
    expect(cx.loop).toBeLessThan(cx.steps.length - 1);
    expect(cx.steps.some((x) => (x.action as Action | undefined)?.type === 'BladeFail')).toBe(true);
    expect(cx.steps.slice(cx.loop! + 1).every((x) => (x.action as Action).type === 'ShuttleArrive')).toBe(true);
  });

  it('slot-fail: every temporal property holds', async () => {
    const r = await runTemporalInChild('slot-fail');
    expect(r.verdict).toBe('ok');
    const temporal = r.properties.filter((p) => p.kind === 'temporal');
    expect(temporal.map((p) => p.name)).toEqual([
      'w0 issued ~> acknowledged',
      'w1 issued ~> acknowledged',
      'w0 acknowledged ~> applied at every secondary',
      'w1 acknowledged ~> applied at every secondary',
    ]);
    expect(temporal.every((p) => p.status === 'holds')).toBe(true);
  });

  it('no-flush-pass: an acknowledged write is never applied; the behaviour stays where nothing is left to do', async () => {
    const r = await runTemporalInChild('tiny', 'no-flush-pass');
    expect(r.verdict).toBe('violation');
    expect(r.property).toMatch(/^w\d acknowledged ~> applied at every secondary$/);
    expect(r.counterexample!.loop).toBe(r.counterexample!.steps.length - 1);
  });
});
