import { DEADLOCK, type Model } from './model.ts';
import type { PropertyReport, PropertyStatus } from './result.ts';

/** True when the model asks for deadlock detection (terminal states not all fine). */
export const checksDeadlock = (model: Model<unknown, unknown>): boolean => model.terminalOk !== 'always';

/** True when `s`, a state with no enabled action, is a deadlock. */
export const isDeadlock = <S>(model: Model<S, unknown>, s: S): boolean =>
  checksDeadlock(model as Model<unknown, unknown>) && !(model.isTerminalOk?.(s) ?? false);

/**
 * The status of every property of the model after a search: the violated one (if any),
 * and for the others `holds` only when the search was exhaustive.
 */
export const propertyReports = (
  model: Model<unknown, unknown>,
  violated: string | undefined,
  how: 'exhaustive' | 'incomplete' | 'random',
  /** Other properties found violated too (temporal properties are all checked at the end). */
  alsoViolated: readonly string[] = [],
): PropertyReport[] => {
  const other: PropertyStatus =
    how === 'exhaustive' ? 'holds' : how === 'random' ? 'not violated (random)' : 'not violated (search incomplete)';
  const status = (name: string): PropertyStatus => (name === violated || alsoViolated.includes(name) ? 'violated' : other);
  return [
    ...(model.invariants ?? []).map((p) => ({ name: p.name, kind: 'invariant' as const, status: status(p.name) })),
    ...(model.actionProperties ?? []).map((p) => ({ name: p.name, kind: 'action' as const, status: status(p.name) })),
    ...(checksDeadlock(model) ? [{ name: DEADLOCK, kind: 'deadlock' as const, status: status(DEADLOCK) }] : []),
    ...(model.reachability ?? []).map((p) => ({
      name: p.name,
      kind: 'reachability' as const,
      // Reachability needs the whole graph: random walks cannot judge it.
      status: how === 'random' ? ('not checked (random)' as const) : status(p.name),
    })),
    ...(model.temporal ?? []).map((p) => ({
      name: p.name,
      kind: 'temporal' as const,
      status: how === 'random' ? ('not checked (random)' as const) : status(p.name),
    })),
  ];
};

/** Coverage record (action name → times fired) including declared names that never fired. */
export const coverageReport = (
  model: Model<unknown, unknown>,
  fired: Map<string, number>,
): { coverage: Record<string, number>; neverFired: string[] } => {
  const coverage: Record<string, number> = {};
  for (const name of model.actionNames ?? []) coverage[name] = 0;
  for (const [name, n] of [...fired].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) coverage[name] = n;
  const neverFired = Object.entries(coverage)
    .filter(([, n]) => n === 0)
    .map(([name]) => name);
  return { coverage, neverFired };
};
