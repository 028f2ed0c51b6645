/**
 * A finished check as the explorer's run panel reads it (the `done` message of runCheck.ts,
 * and the result an `--html` export carries): the verdict, each property's status, the
 * counterexample's path as text (with a lasso's loop start) and the figures.
 */
import type { CheckResult } from '../result.ts';
import type { RunMessage } from './runMessage.ts';

export const runSummary = (r: CheckResult): Extract<RunMessage, { type: 'done' }> => {
  const cx = r.counterexample;
  return {
    type: 'done',
    verdict: r.verdict,
    ...(r.cutBy ? { cutBy: r.cutBy } : {}),
    properties: r.properties,
    ...(cx
      ? {
          counterexample: {
            property: cx.property,
            kind: cx.kind,
            ...(cx.explanation ? { explanation: cx.explanation } : {}),
            path: [cx.path.init, ...cx.path.actions].join('.'),
            length: cx.path.actions.length,
            ...(cx.loop !== undefined ? { loop: cx.loop } : {}),
          },
        }
      : {}),
    distinctStates: r.distinctStates,
    generatedStates: r.generatedStates,
    depth: r.depth,
    durationMs: Math.round(r.durationMs),
    statesPerSecond: r.statesPerSecond,
    coverage: r.coverage,
    neverFired: r.neverFired,
  };
};
