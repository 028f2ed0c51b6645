/**
 * What the CLI prints: the human summary, the counterexample as numbered steps showing only
 * what changed, and the JSON summary object.
 */
import { match } from 'ts-pattern';
import { diffStates, formatActionData, formatChange, formatState } from './format.ts';
import type { AnyModel } from './model.ts';
import type { CheckResult, Counterexample } from './result.ts';

/** How a model renders its actions (its own `formatAction`, or the generic one). */
export const actionFormatter =
  (model: AnyModel) =>
  (a: unknown): string =>
    model.formatAction ? model.formatAction(a) : formatActionData(a);

const describeViolation = (cx: Counterexample<unknown, unknown>): string =>
  cx.kind === 'deadlock'
    ? 'deadlock'
    : `${{ invariant: 'invariant', action: 'action property', reachability: 'reachability property', temporal: 'temporal property' }[cx.kind]} "${cx.property}"`;

/** The counterexample as numbered steps: the action and only the variables that changed. */
export const formatCounterexample = (model: AnyModel, cx: Counterexample<unknown, unknown>): string => {
  const fmt = actionFormatter(model);
  const last = cx.steps.length - 1;
  const shape =
    cx.loop === undefined
      ? `after ${last} step(s)`
      : cx.loop === last
        ? `by a behaviour of ${last} step(s) that then stays in its last state forever`
        : `by a behaviour of ${cx.loop} step(s) and then a loop of ${last - cx.loop} step(s) repeated forever`;
  const lines = [`Counterexample: ${describeViolation(cx)} violated ${shape}` + (cx.explanation ? `\n  why: ${cx.explanation}` : '')];
  // A lasso's loop starts at step `loop`: marked where it starts, and where it goes back.
  const loopMark = (i: number): string => (cx.loop === i && cx.loop !== last ? '  ◀ loop starts here' : '');
  cx.steps.forEach((step, i) => {
    if (i === 0) {
      lines.push(`  0. initial state${loopMark(0)}`);
      for (const l of formatState(step.state)) lines.push(`       ${l}`);
      return;
    }
    const prev = cx.steps[i - 1]!.state;
    const changes = diffStates(prev, step.state);
    lines.push(`  ${i}. ${fmt(step.action)}${loopMark(i)}`);
    if (changes.length === 0) lines.push('       (no change)');
    for (const c of changes) lines.push(`       ${formatChange(c)}`);
  });
  if (cx.loop !== undefined) {
    lines.push(
      cx.loop === last
        ? `  ∞. stays in state ${last} forever (stuttering)`
        : `  ↺. back to the state of step ${cx.loop}; steps ${cx.loop + 1}-${last} repeat forever`,
    );
  }
  return lines.join('\n');
};

const num = (n: number): string => Math.round(n).toLocaleString('en-US');

const MARK: Record<string, string> = {
  holds: '✓',
  violated: '✗',
  'not violated (search incomplete)': '?',
  'not violated (random)': '~',
  'not checked (random)': '-',
};

/** What to do when the memory guard stopped a search. */
export const MEMORY_HINT =
  'hint: bound the search (--max-states N, --max-depth N), give it more memory (--max-memory, ' +
  'NODE_OPTIONS=--max-old-space-size=MiB), or search with --workers N, whose queue spills to disk';

/** Why a search stopped before the end, in words. */
export const describeCut = (cutBy: NonNullable<CheckResult['cutBy']>): string =>
  match(cutBy)
    .with('max-depth', () => 'search cut by --max-depth')
    .with('max-states', () => 'search cut by --max-states')
    .with('interrupted', () => 'search interrupted (Ctrl-C)')
    .with('memory', () => 'search stopped at the memory limit')
    .exhaustive();

/**
 * Fewer distinct states than this, and bytes per state says more about the visited table's
 * initial size than about the states: it is not reported.
 */
export const MIN_STATES_FOR_BYTES_PER_STATE = 10_000;

/** Bytes per state in the visited set, when there are states enough for it to mean something. */
export const reportedBytesPerState = (r: CheckResult): number | null =>
  r.distinctStates >= MIN_STATES_FOR_BYTES_PER_STATE ? Number(r.bytesPerState.toFixed(2)) : null;

/** The human summary of a run (without the counterexample). */
export const formatSummary = (r: CheckResult): string => {
  const lines: string[] = [];
  const headline =
    r.verdict === 'ok'
      ? r.exhaustive
        ? r.boundaryCut > 0
          ? "OK: every property holds in every reachable state within the model's bound"
          : 'OK: every property holds in every reachable state'
        : `OK: no violation in ${num(r.runs ?? 0)} random walks (seed ${r.seed ?? 0}); not exhaustive`
      : r.verdict === 'violation'
        ? `VIOLATION of ${r.property}`
        : `INCOMPLETE: ${r.cutBy ? describeCut(r.cutBy) : 'search cut short'}; no violation in what was explored`;
  const workers = r.workers !== undefined && r.workers > 1 ? `, ${r.workers} workers` : '';
  lines.push(`${r.model} (${r.strategy}${workers}): ${headline}`);
  if (r.cutBy === 'memory') lines.push(`  stopped before memory ran out: ${r.memoryReached ?? 'a memory limit was reached'}`, `  ${MEMORY_HINT}`);
  const width = Math.max(...r.properties.map((p) => p.name.length), 8);
  for (const p of r.properties) {
    lines.push(`  ${MARK[p.status] ?? ' '} ${p.name.padEnd(width)}  ${p.status}`);
  }
  lines.push(
    `States: ${num(r.distinctStates)} distinct, ${num(r.generatedStates)} generated, depth ${r.depth} step${r.depth === 1 ? '' : 's'}, ` +
      `${(r.durationMs / 1000).toFixed(2)} s, ${num(r.statesPerSecond)} states/s` +
      (reportedBytesPerState(r) === null ? '' : `, ${r.bytesPerState.toFixed(1)} bytes/state in the visited set`) +
      (r.actionIndexBytes === 4 ? ', action indices 4 bytes a state (a list of over 65,536 candidates)' : ''),
  );
  if (r.boundaryCut > 0) {
    lines.push(
      `Bound: ${num(r.boundaryCut)} states lie on the model's boundary (state constraint) and were not expanded; ` +
        `the verdict covers the bounded state space`,
    );
  }
  const fired = Object.entries(r.coverage).filter(([, n]) => n > 0);
  lines.push(`Coverage: ${fired.map(([k, n]) => `${k} ${num(n)}`).join(', ') || '(no transition)'}`);
  if (r.neverFired.length > 0) lines.push(`Never fired: ${r.neverFired.join(', ')}`);
  lines.push(
    `Fingerprint collision probability: ${r.collisionProbability.toExponential(1)} (TLC's optimistic estimate, n·(g−n)/2^64); ` +
      `birthday bound over the distinct states, n(n−1)/2^65: ${r.birthdayCollisionBound.toExponential(1)}`,
  );
  return lines.join('\n');
};

/** The JSON summary: one object, states and actions rendered by `encodeState`. */
export const jsonSummary = (
  model: AnyModel,
  r: CheckResult,
  encodeState: (s: unknown) => unknown,
  extra: Record<string, unknown> = {},
): Record<string, unknown> => {
  const fmt = actionFormatter(model);
  const cx = r.counterexample;
  return {
    model: r.model,
    strategy: r.strategy,
    verdict: r.verdict,
    ...(r.property !== undefined ? { property: r.property } : {}),
    ...(r.cutBy ? { cutBy: r.cutBy } : {}),
    ...(r.memoryReached !== undefined ? { memoryReached: r.memoryReached, hint: MEMORY_HINT } : {}),
    exhaustive: r.exhaustive,
    properties: r.properties,
    distinctStates: r.distinctStates,
    generatedStates: r.generatedStates,
    depth: r.depth,
    durationMs: Math.round(r.durationMs),
    statesPerSecond: r.statesPerSecond,
    bytesPerState: reportedBytesPerState(r),
    ...(r.actionIndexBytes !== undefined ? { actionIndexBytes: r.actionIndexBytes } : {}),
    boundaryCut: r.boundaryCut,
    coverage: r.coverage,
    neverFired: r.neverFired,
    collisionProbability: r.collisionProbability,
    birthdayCollisionBound: r.birthdayCollisionBound,
    ...(r.seed !== undefined ? { seed: r.seed, runs: r.runs } : {}),
    ...(r.workers !== undefined ? { workers: r.workers } : {}),
    ...(r.oneThreadBecause !== undefined ? { oneThreadBecause: r.oneThreadBecause } : {}),
    ...(r.warnings !== undefined ? { warnings: r.warnings } : {}),
    ...extra,
    counterexample: cx
      ? {
          property: cx.property,
          kind: cx.kind,
          ...(cx.explanation ? { explanation: cx.explanation } : {}),
          length: cx.steps.length - 1,
          path: cx.path,
          ...(cx.loop !== undefined ? { loop: cx.loop } : {}),
          steps: cx.steps.map((s, i) => ({
            step: i,
            action: i === 0 ? 'init' : fmt(s.action),
            state: encodeState(s.state),
          })),
        }
      : null,
  };
};
