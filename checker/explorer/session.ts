/**
 * What the explorer shows of a model, computed from a path of action indices: the steps
 * (action, chart events, properties that fail), one step in detail (the state as a tree
 * marked against the step before, every invariant, the actions enabled there and where each
 * leads) — pure functions of the model and the path, so a reload gives the same view.
 */
import { fingerprint, fingerprintHex } from '../fingerprint.ts';
import type { AnyModel } from '../model.ts';
import { isDeadlock } from '../properties.ts';
import { replay, ReplayError } from '../replay.ts';
import { actionFormatter } from '../report.ts';
import type { PathIndices, Step } from '../result.ts';
import { type ViewEvent, viewOf } from '../view.ts';
import { type TreeNode, valueTree } from './valueTree.ts';

/** A path the page asked for that the model cannot follow (answered with 400). */
export class PathError extends Error {
  override readonly name = 'PathError';
}

/** At most this many steps in a path the page may ask for. */
export const MAX_PATH_STEPS = 100_000;

/** `0.3.1` (initial-state index, then action indices) as a path; PathError when malformed. */
export const parsePath = (text: string): PathIndices => {
  if (text.length > 8 * MAX_PATH_STEPS || !/^\d{1,10}(\.\d{1,10})*$/.test(text)) {
    throw new PathError('a path is the initial state\'s index then action indices, separated by dots, e.g. 0.3.1');
  }
  const [init, ...actions] = text.split('.').map(Number) as [number, ...number[]];
  return { init, actions };
};

/** The inverse of parsePath. */
export const pathText = (p: PathIndices): string => [p.init, ...p.actions].join('.');

/** The states of a path; PathError naming the step when the model cannot follow it. */
export const followPath = (model: AnyModel, path: PathIndices): Step<unknown, unknown>[] => {
  try {
    return replay(model, path);
  } catch (e) {
    if (e instanceof ReplayError) throw new PathError(`the model cannot follow this path: ${e.message}`);
    throw e;
  }
};

const stateKey = (s: unknown): string => fingerprintHex(fingerprint(s));

/** One step of the path list. */
export interface StepSummary {
  /** The action index that led here (none for the initial state). */
  readonly index?: number;
  readonly label: string;
  readonly actionName?: string;
  /** Invariants and action properties that fail at this step. */
  readonly failing: readonly string[];
  readonly events: readonly ViewEvent[];
  /** The step of an earlier state this one equals, if any. */
  readonly repeats?: number;
}

/** The path as the page lists and charts it. */
export interface PathView {
  readonly path: string;
  readonly lanes: readonly string[];
  readonly steps: readonly StepSummary[];
}

const failingAt = (model: AnyModel, steps: readonly Step<unknown, unknown>[], k: number): string[] => {
  const { state, action } = steps[k]!;
  const inv = (model.invariants ?? []).filter((p) => !p.holds(state)).map((p) => p.name);
  const act =
    k === 0 ? [] : (model.actionProperties ?? []).filter((p) => !p.holds(steps[k - 1]!.state, action, state)).map((p) => p.name);
  return [...inv, ...act];
};

export const pathView = (model: AnyModel, path: PathIndices): PathView => {
  const steps = followPath(model, path);
  const fmt = actionFormatter(model);
  const view = viewOf(model);
  const lanes = view ? view.lanes(steps[0]!.state) : [];
  const seen = new Map<string, number>();
  return {
    path: pathText(path),
    lanes,
    steps: steps.map((st, k) => {
      const key = stateKey(st.state);
      const repeats = seen.get(key);
      if (repeats === undefined) seen.set(key, k);
      const events = view && k > 0 ? view.events(steps[k - 1]!.state, st.action, st.state) : [];
      return {
        ...(k > 0 ? { index: path.actions[k - 1]!, label: fmt(st.action), actionName: model.actionName(st.action) } : { label: `initial state ${path.init}` }),
        failing: failingAt(model, steps, k),
        events,
        ...(repeats !== undefined ? { repeats } : {}),
      };
    }),
  };
};

/** An action enabled at the step shown: its index, and the step of the path it returns to, if any. */
export interface NextAction {
  readonly index: number;
  readonly label: string;
  readonly revisits?: number;
}

/** One step in detail. */
export interface StepView {
  readonly step: number;
  readonly tree: TreeNode;
  readonly invariants: readonly { readonly name: string; readonly holds: boolean; readonly why?: string }[];
  readonly actionProperties: readonly { readonly name: string; readonly holds: boolean; readonly why?: string }[];
  readonly next: readonly NextAction[];
  /** No action is enabled here and the model does not accept that. */
  readonly deadlock: boolean;
}

export const stepView = (model: AnyModel, path: PathIndices, step: number): StepView => {
  const steps = followPath(model, path);
  if (!Number.isInteger(step) || step < 0 || step >= steps.length) {
    throw new PathError(`step ${step} is not on this path (steps 0 to ${steps.length - 1})`);
  }
  const { state, action } = steps[step]!;
  const before = step > 0 ? steps[step - 1]!.state : undefined;
  const onPath = new Map<string, number>();
  steps.slice(0, step + 1).forEach((s, k) => {
    const key = stateKey(s.state);
    if (!onPath.has(key)) onPath.set(key, k);
  });
  const fmt = actionFormatter(model);
  const next: NextAction[] = [];
  model.actions(state).forEach((a, index) => {
    const t = model.nextState(state, a);
    if (t === undefined) return;
    const revisits = onPath.get(stateKey(t));
    next.push({ index, label: fmt(a), ...(revisits !== undefined ? { revisits } : {}) });
  });
  return {
    step,
    tree: step > 0 ? valueTree(state, before) : valueTree(state),
    invariants: (model.invariants ?? []).map((p) => {
      const holds = p.holds(state);
      return { name: p.name, holds, ...(!holds && p.explain ? { why: p.explain(state) } : {}) };
    }),
    actionProperties:
      step === 0
        ? []
        : (model.actionProperties ?? []).map((p) => {
            const holds = p.holds(before, action, state);
            return { name: p.name, holds, ...(!holds && p.explain ? { why: p.explain(before, action, state) } : {}) };
          }),
    next,
    deadlock: next.length === 0 && isDeadlock(model, state),
  };
};
