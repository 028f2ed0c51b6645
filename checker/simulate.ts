/**
 * Randomised simulation driven by fast-check. A walk is drawn as a list of natural numbers:
 * the first picks the initial state, each next one picks among the actions enabled in the
 * current state (modulo their number), so no draw is wasted on a disabled action. A failing
 * walk is shrunk by fast-check (shorter lists, smaller indices) and replayed to give the
 * counterexample. The same seed gives the same walks and the same counterexample.
 */
import fc from 'fast-check';
import { fingerprintInto } from './fingerprint.ts';
import { createFpTable, putIfAbsent } from './fpTable.ts';
import { DEADLOCK, type Model } from './model.ts';
import { isDeadlock } from './properties.ts';
import { replay } from './replay.ts';
import { DEADLOCK_EXPLANATION, randomResult } from './searchResult.ts';
import { symmetryOf } from './symmetry.ts';
import type { CheckOptions, CheckResult, Counterexample } from './result.ts';

interface WalkFailure {
  property: string;
  kind: 'invariant' | 'action' | 'deadlock';
  init: number;
  actions: number[];
  explain: () => string | undefined;
}

type Details = fc.RunDetails<[number, number[]]>;

interface Prepared<S, A> {
  arbitraries: readonly [fc.Arbitrary<number>, fc.Arbitrary<number[]>];
  predicate: (initChoice: number, choices: number[]) => boolean;
  params: fc.Parameters<[number, number[]]>;
  finish: (details: Details) => CheckResult<S, A>;
}

/** Runs `options.runs` random walks (default 1000) of `walkLength` steps from `options.seed`. */
export const simulate = <S, A>(model: Model<S, A>, options: CheckOptions): CheckResult<S, A> => {
  const p = prepare(model, options);
  return p.finish(fc.check(fc.property(...p.arbitraries, p.predicate), p.params));
};

/** As `simulate`, yielding to the event loop between walks so an abort signal (Ctrl-C) is seen. */
export const simulateAsync = async <S, A>(
  model: Model<S, A>,
  options: CheckOptions,
  onNewState?: (hi: number, lo: number) => void,
): Promise<CheckResult<S, A>> => {
  const p = prepare(model, options, onNewState);
  const property = fc.asyncProperty(...p.arbitraries, async (i: number, c: number[]) => {
    await new Promise((r) => setImmediate(r));
    return p.predicate(i, c);
  });
  return p.finish(await fc.check(property, p.params));
};

/** `onNewState` hears each distinct fingerprint the walks meet (a swarm unions them). */
const prepare = <S, A>(model: Model<S, A>, options: CheckOptions, onNewState?: (hi: number, lo: number) => void): Prepared<S, A> => {
  const started = performance.now();
  const seed = options.seed ?? 0;
  const runs = options.runs ?? 1000;
  const walkLength = options.walkLength ?? (Number.isFinite(options.maxDepth) ? options.maxDepth! : 100);
  const inits = model.initStates();
  const invariants = model.invariants ?? [];
  const actionProps = model.actionProperties ?? [];
  const table = createFpTable();
  const canon = symmetryOf(model, options);
  const fired = new Map<string, number>();
  const fp = { hi: 0, lo: 0 };
  let generated = 0;
  let maxDepth = 0;
  let interrupted = false;
  let boundaryCut = 0;
  // Figures count the main runs only, not fast-check's shrinking attempts.
  let counting = true;

  const note = (s: S, depth: number): void => {
    if (!counting) return;
    generated++;
    if (depth > maxDepth) maxDepth = depth;
    fingerprintInto(canon ? canon(s) : s, fp);
    if (putIfAbsent(table, fp.hi, fp.lo) >= 0) onNewState?.(fp.hi, fp.lo);
  };

  const walk = (initChoice: number, choices: readonly number[]): WalkFailure | undefined => {
    if (inits.length === 0) return undefined;
    const init = initChoice % inits.length;
    let s = inits[init] as S;
    const taken: number[] = [];
    const fail = (property: string, kind: WalkFailure['kind'], explain: () => string | undefined): WalkFailure => ({
      property,
      kind,
      init,
      actions: [...taken],
      explain,
    });
    note(s, 0);
    for (const inv of invariants) {
      const at = s;
      if (!inv.holds(at)) return fail(inv.name, 'invariant', () => inv.explain?.(at));
    }
    for (const choice of choices) {
      const candidates = model.actions(s);
      const enabled: { i: number; a: A; t: S }[] = [];
      candidates.forEach((a, i) => {
        const t = model.nextState(s, a);
        if (t !== undefined) enabled.push({ i, a, t });
      });
      if (enabled.length === 0) {
        const at = s;
        return isDeadlock(model, at)
          ? fail(DEADLOCK, 'deadlock', () => DEADLOCK_EXPLANATION)
          : undefined;
      }
      const { i, a, t } = enabled[choice % enabled.length]!;
      taken.push(i);
      if (counting) {
        const name = model.actionName(a);
        fired.set(name, (fired.get(name) ?? 0) + 1);
      }
      // The successor is counted even when its transition violates an action property, as
      // the exhaustive searches (and TLC) count it.
      note(t, taken.length);
      const before = s;
      for (const prop of actionProps) {
        if (!prop.holds(before, a, t)) return fail(prop.name, 'action', () => prop.explain?.(before, a, t));
      }
      s = t;
      for (const inv of invariants) {
        const at = s;
        if (!inv.holds(at)) return fail(inv.name, 'invariant', () => inv.explain?.(at));
      }
      if (model.withinBoundary && !model.withinBoundary(s)) {
        if (counting) boundaryCut++;
        return undefined;
      }
    }
    return undefined;
  };

  // size 'max': walks as long as asked, not fast-check's default small arrays.
  const arbitraries = [fc.nat(), fc.array(fc.nat(), { maxLength: walkLength, size: 'max' })] as const;
  const params = { seed, numRuns: runs };
  const predicate = (initChoice: number, choices: number[]): boolean => {
    if (options.signal?.aborted) {
      interrupted = true;
      return true;
    }
    const failure = walk(initChoice, choices);
    if (failure) counting = false;
    return failure === undefined;
  };
  const finish = (details: Details): CheckResult<S, A> => {
  let counterexample: Counterexample<S, A> | undefined;
  if (details.failed && details.counterexample) {
    const [initChoice, choices] = details.counterexample;
    const failure = walk(initChoice, choices);
    if (failure) {
      const path = { init: failure.init, actions: failure.actions };
      const explanation = failure.explain();
      counterexample = {
        property: failure.property,
        kind: failure.kind,
        ...(explanation !== undefined ? { explanation } : {}),
        path,
        steps: replay(model, path),
      };
    }
  }
  if (details.failed && !counterexample) {
    throw new Error(`random simulation failed without a property violation: ${String(details.errorInstance)}`);
  }

  return randomResult(model, {
    started,
    ...(counterexample ? { counterexample } : {}),
    interrupted,
    table,
    generated,
    depth: maxDepth,
    fired,
    boundaryCut,
    seed,
    runs,
  });
  };
  return { arbitraries, predicate, params, finish };
};
