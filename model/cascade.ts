/**
 * Cascaded RDF with the WAN blade in the near secondary's place (the text after Fig 17). The
 * related art cascades two secondaries: a near one kept in synchronous mode and a far one fed
 * semi-synchronously from it, so that a catastrophe taking the primary device and the near
 * secondary leaves the far one. The patent notes that its WAN blade can replace the near
 * secondary: the primary device hands each write to a blade beside it, which ships it to the
 * far secondary. In the model the primary blades are that blade and the secondary site is
 * the far secondary.
 *
 * Which acknowledged writes survive is asked of two losses, each a what-if layered over the
 * model (not a step of the protocol), each possible at any moment of a fault-free run:
 * - DeviceLoss: the primary devices are lost and their blades are not. No host writes or is
 *   acknowledged any more; what is still only on a device goes with it: write commands not
 *   yet stamped (Fig 10 step 186), and the data of writes the blade has stamped but not yet
 *   received (step 194), which may already be acknowledged (step 192 may come before 194).
 *   The blades, the network and the secondary site run on, so the journals drain to the far
 *   secondary. A primary blade may restart once while it drains (BladeRestart): a
 *   non-volatile journal survives that and is resent (Fig 16), a volatile one is lost.
 * - the whole primary site is lost, devices and blades with their journals: the model's own
 *   Disaster, then Failover (the far secondary recovers from what it holds).
 * A run ends where no step but a blade restart is enabled; the far secondary's devices are then
 * its final image.
 */
import type { ActionProperty, Invariant, Model } from '../checker/model.ts';
import type { Action } from './actions.ts';
import type { Config } from './config.ts';
import { consistency, lackedWrites } from './image.ts';
import { forEachReachable } from './reachableStates.ts';
import { makeSetup } from './setup.ts';
import type { State } from './state.ts';
import { buildModel } from './system.ts';

/**
 * The replication system, and its primary devices: running, or lost (their blades run on). A
 * loss is 'lost before data' when some write the blades had stamped still had its data only on
 * its device (Fig 10 step 194 not yet done), else 'lost'.
 */
export interface CascadeState {
  readonly devices: 'running' | 'lost' | 'lost before data';
  readonly world: State;
}

export type CascadeAction = Action | { readonly type: 'DeviceLoss' };

/** Before any loss: the fault-free protocol, and the loss of the whole site (Disaster, then Failover). */
const BEFORE_LOSS: ReadonlySet<Action['type']> = new Set<Action['type']>([
  'HostIssue', 'BladeStamp', 'TransferReady', 'DataTransfer', 'HostAck',
  'ShuttleArrive', 'Tick', 'Deliver', 'SecShuttleArrive', 'SecTransfer', 'SyncDeliver',
  'Disaster', 'Failover',
]);

/**
 * After DeviceLoss: what runs without the devices. Not the host's steps (HostIssue, HostAck);
 * not BladeStamp (the commands still waiting at a device go with it); not TransferReady (no
 * device to tell); not DataTransfer (Fig 10 step 194: data not yet on the blade is lost, and
 * the number its record was stamped with can then never complete at the far secondary); not
 * Repair or CopyTrack (the resynchronisation copies tracks from the device). A primary blade
 * may restart.
 */
const BLADES_RUN_ON: ReadonlySet<Action['type']> = new Set<Action['type']>([
  'ShuttleArrive', 'Tick', 'Deliver', 'SecShuttleArrive', 'SecTransfer', 'SyncDeliver', 'BladeRestart', 'SecRecover', 'Resend',
]);

const allowed = (cs: CascadeState, a: Action): boolean =>
  cs.devices !== 'running' ? BLADES_RUN_ON.has(a.type) && !(a.type === 'BladeRestart' && a.side !== 'primary') : BEFORE_LOSS.has(a.type);

/** `cfg` with the faults the two losses need: a disaster, and one blade restart (taken only after DeviceLoss). */
export const cascadeConfig = (cfg: Config): Config => ({ ...cfg, faults: { ...cfg.faults, disaster: true, bladeRestart: 1 } });

/** A run has ended when no step is enabled but a blade restart (a fault that may strike, not a step the run waits for). */
const endsRun = (enabled: readonly CascadeAction[]): boolean => enabled.every((a) => a.type === 'BladeRestart');

/**
 * The cascade as a model for the engine. The system's invariants and transition properties
 * are checked on every state and step of it, after DeviceLoss too; its reachability and
 * temporal properties are not (with the devices lost, writes stay unissued for ever). One
 * reachability property of its own: every run can end.
 */
export const cascadeModel = (cfg: Config): Model<CascadeState, CascadeAction> => {
  const world = buildModel(cascadeConfig(cfg), `cascade, ${cfg.journal} journal`);
  const next = (cs: CascadeState, a: CascadeAction): CascadeState | undefined => {
    if (a.type === 'DeviceLoss') {
      if (cs.devices !== 'running' || cs.world.site !== 'running') return undefined;
      const dataLeft = cs.world.primaryBlades.some((b) => b.journal.some((r) => !r.hasData));
      return { devices: dataLeft ? 'lost before data' : 'lost', world: cs.world };
    }
    if (!allowed(cs, a)) return undefined;
    const w = world.nextState(cs.world, a);
    return w && { devices: cs.devices, world: w };
  };
  const actions = (cs: CascadeState): CascadeAction[] => {
    const out: CascadeAction[] = world.actions(cs.world).filter((a) => allowed(cs, a));
    if (cs.devices === 'running' && cs.world.site === 'running') out.push({ type: 'DeviceLoss' });
    return out;
  };
  const ended = (cs: CascadeState): boolean => endsRun(actions(cs).filter((a) => next(cs, a) !== undefined));
  const invariants = (world.invariants ?? []).map((p): Invariant<CascadeState> => ({
    name: p.name,
    holds: (cs) => p.holds(cs.world),
    explain: (cs) => p.explain?.(cs.world) ?? '',
  }));
  const actionProperties = (world.actionProperties ?? []).map((p): ActionProperty<CascadeState, CascadeAction> => ({
    name: p.name,
    holds: (b, a, s) => a.type === 'DeviceLoss' || p.holds(b.world, a, s.world),
    explain: (b, a, s) => (a.type === 'DeviceLoss' ? '' : (p.explain?.(b.world, a, s.world) ?? '')),
  }));
  return {
    name: world.name,
    initStates: () => world.initStates().map((w): CascadeState => ({ devices: 'running', world: w })),
    actions,
    nextState: next,
    actionName: (a) => a.type,
    formatAction: (a) => (a.type === 'DeviceLoss' ? 'DeviceLoss (the primary devices are lost; their blades run on)' : (world.formatAction?.(a) ?? a.type)),
    invariants,
    actionProperties,
    reachability: [{ name: 'every run can end', goal: ended }],
    terminalOk: 'always',
    ...(world.withinBoundary ? { withinBoundary: (cs: CascadeState) => world.withinBoundary!(cs.world) } : {}),
  };
};

/** The most acknowledged writes the far secondary ends without, over the ends of one kind (null: no run ends so). */
export type Most = number | null;

/** After DeviceLoss: when the blades held the data of every write they had stamped, and when some was left on a device. */
export interface ByData {
  readonly dataIn: Most;
  readonly dataLeft: Most;
}

/** What survives in the far secondary, per loss, over every run of the cascade. */
export interface CascadeFigures {
  readonly journal: Config['journal'];
  readonly states: number;
  /** Writes in the workload. */
  readonly writes: number;
  /** The devices lost, no blade restarted. */
  readonly deviceLost: ByData;
  /** The devices lost, and a primary blade restarted while draining. */
  readonly deviceLostRestart: ByData;
  /** The whole site lost, after the far secondary failed over. */
  readonly siteLost: Most;
  /** Ends after a loss whose final image was checked for dependent-write consistency. */
  readonly ends: number;
  /** Why the first inconsistent final image is so, or null when every one is consistent (PROTOCOL.md §3). */
  readonly inconsistent: string | null;
}

const most = (a: Most, b: number): number => (a === null ? b : Math.max(a, b));
const add = (f: ByData, dataLeft: boolean, lost: number): ByData =>
  dataLeft ? { dataIn: f.dataIn, dataLeft: most(f.dataLeft, lost) } : { dataIn: most(f.dataIn, lost), dataLeft: f.dataLeft };

/** Explores the cascade of `cfg` and measures, at every end after a loss, the acknowledged writes the far secondary lacks. */
export const cascadeFigures = (cfg: Config): CascadeFigures => {
  const setup = makeSetup(cascadeConfig(cfg));
  let deviceLost: ByData = { dataIn: null, dataLeft: null };
  let deviceLostRestart: ByData = { dataIn: null, dataLeft: null };
  let siteLost: Most = null;
  let ends = 0;
  let inconsistent: string | null = null;
  const states = forEachReachable(cascadeModel(cfg), (cs, enabled) => {
    if (enabled === null || !endsRun(enabled)) return; // only a loss ends a run: before one, DeviceLoss and Disaster are enabled
    const { devices, world } = cs;
    const image = world.secondaryBlades.map((b) => b.device);
    const lost = lackedWrites(world, setup, image).length;
    if (devices === 'running') siteLost = most(siteLost, lost);
    else if (world.faultsUsed.bladeRestart > 0) deviceLostRestart = add(deviceLostRestart, devices === 'lost before data', lost);
    else deviceLost = add(deviceLost, devices === 'lost before data', lost);
    ends++;
    const verdict = consistency(world, setup, image);
    if (!verdict.ok && inconsistent === null) inconsistent = verdict.why;
  });
  return { journal: cfg.journal, states, writes: setup.writes.length, deviceLost, deviceLostRestart, siteLost, ends, inconsistent };
};
