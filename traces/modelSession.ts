/**
 * The model itself as an implementation behind the driver protocol (traces/DRIVER.md): what
 * `traces/modelImpl.ts` answers to `init` and `step`, as pure functions. With a mutant
 * switched on it is that broken implementation, so the vector suite can be scored by the
 * mutants it rejects (`npm run conform -- --score`).
 *
 * The session keeps every model state consistent with what it has reported (the model may
 * have several: the timer's phases, or choices no action field names). A step goes to every
 * one of them; when their results look different from outside, the first (in the model's
 * own order) is reported and the others are dropped, as a real implementation resolves its
 * own nondeterminism. Deterministic: the same requests give the same replies.
 */
import type { AnyModel } from '../checker/model.ts';
import type { ModelProvider } from '../checker/provider.ts';
import { fingerprint, fingerprintHex } from '../checker/fingerprint.ts';
import { observeState } from './driverProjection.ts';
import { actionMatches, type ObservedAction } from './oracle.ts';

export interface ModelSession {
  readonly model: AnyModel;
  /** The model states the session may be in, given what it reported. */
  readonly states: readonly unknown[];
}

export type SessionReply =
  | { readonly state: Readonly<Record<string, unknown>> }
  | { readonly refused: string }
  | { readonly unsupported: string };

/** Most states a session follows at once. */
export const MAX_SESSION_STATES = 1000;

const key = (o: unknown): string => fingerprintHex(fingerprint(o));

/** Keeps the states that look like the first one; the reply shows that one. */
const reportFirst = (model: AnyModel, states: readonly unknown[]): { session: ModelSession; reply: SessionReply } => {
  const shown = observeState(states[0]);
  const k = key(shown);
  const kept = states.filter((s) => key(observeState(s)) === k).slice(0, MAX_SESSION_STATES);
  return { session: { model, states: kept }, reply: { state: shown } };
};

/** `init`: the model of `config` (with `mutant`, if any), in its initial state. */
export const startSession = (
  provider: ModelProvider,
  config: unknown,
  mutant: string | undefined,
): { session: ModelSession | undefined; reply: SessionReply } => {
  let model: AnyModel;
  try {
    model = provider.fromConfig(config, 'init config', { params: {}, ...(mutant !== undefined ? { mutant } : {}) });
  } catch (e) {
    return { session: undefined, reply: { unsupported: (e as Error).message.split('\n')[0]! } };
  }
  const inits = model.initStates();
  if (inits.length === 0) return { session: undefined, reply: { unsupported: 'the configuration has no initial state' } };
  return reportFirst(model, inits);
};

const describe = (a: ObservedAction): string =>
  `${a.name}(${Object.entries(a.fields ?? {})
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ')})`;

/** `step`: the action in every state of the session; `refused` when none enables it. */
export const stepSession = (session: ModelSession, action: ObservedAction): { session: ModelSession; reply: SessionReply } => {
  const { model } = session;
  const next: unknown[] = [];
  for (const s of session.states) {
    for (const a of model.actions(s)) {
      if (!actionMatches(model, a, action)) continue;
      const t = model.nextState(s, a);
      if (t !== undefined) next.push(t);
    }
  }
  if (next.length === 0) return { session, reply: { refused: `${describe(action)} is not enabled` } };
  return reportFirst(model, next);
};
