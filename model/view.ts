/**
 * The replication system as a sequence chart (Model.view, drawn by the explorer): lanes for
 * the host, the primary devices (D0…), the primary WAN blades (P0…), the secondary WAN
 * blades (S0…) and the secondary devices (SD0…). Each transition becomes the events a reader
 * of the patent would draw: a write from the host to its device and to its blade with the
 * number the blade stamps (Fig 10 step 188), its transfer-ready and the data (steps 190, 194), the shuttle's hop from blade to blade (Fig 19),
 * records put on a link and delivered (Fig 9), the secondary shuttle and the two-phase apply
 * (Fig 15), syncs back to the primary blades (step 280), acknowledgements, and faults (red)
 * and recovery (green).
 */
import { match } from 'ts-pattern';
import type { ModelView, ViewEvent } from '../checker/view.ts';
import type { Action } from './actions.ts';
import type { Setup } from './setup.ts';
import type { RecordMsg, State } from './state.ts';

const D = (i: number): string => `D${i}`;
const Pb = (i: number): string => `P${i}`;
const Sb = (j: number): string => `S${j}`;
const SD = (j: number): string => `SD${j}`;
const HOST = 'host';

const recordText = (r: RecordMsg): string => (r.write < 0 ? `marker #${r.seq}` : `w${r.write} #${r.seq}`);
const recordKey = (r: RecordMsg): string => `${r.write}:${r.seq}:${r.from}:${r.serial}`;

/** Writes whose status went from `from` to `to` in this step. */
const writesMoved = (before: State, after: State, from: number, to: number): number[] =>
  after.writes.flatMap((w, id) => (before.writes[id]!.status === from && w.status === to ? [id] : []));

/** The records a step put on the links: a mark on the sending blade, one per record. */
const sent = (setup: Setup, before: State, after: State): ViewEvent[] =>
  after.links.flatMap((link, l) => {
    const had = new Set(before.links[l]!.map(recordKey));
    const i = Math.floor(l / setup.S);
    const j = l % setup.S;
    return link.filter((r) => !had.has(recordKey(r))).map((r) => ({ from: Pb(i), to: Pb(i), label: `send ${recordText(r)} → S${j}` }));
  });

/** Sync signals a step put on the way back: a mark on the secondary blade. */
const syncsSent = (setup: Setup, before: State, after: State): ViewEvent[] =>
  after.syncs.flatMap((q, l) =>
    q.length > before.syncs[l]!.length
      ? [{ from: Sb(l % setup.S), to: Sb(l % setup.S), label: `sync #${q[q.length - 1]!.seq} → P${Math.floor(l / setup.S)}` }]
      : [],
  );

/** Writes a step stamped (the number its blade gave it, Fig 10 step 188): device to blade. */
const stamped = (setup: Setup, before: State, after: State): ViewEvent[] =>
  after.writes.flatMap((w, id) =>
    w.seq >= 0 && before.writes[id]!.seq < 0 ? [{ from: D(setup.writes[id]!.device), to: Pb(setup.writes[id]!.device), label: `w${id} gets #${w.seq}` }] : [],
  );

const actionEvents = (setup: Setup, before: State, a: Action, after: State): ViewEvent[] =>
  match(a)
    .with({ type: 'HostIssue' }, () =>
      writesMoved(before, after, 0, 1)
        .concat(writesMoved(before, after, 0, 2))
        .map((w) => ({ from: HOST, to: D(setup.writes[w]!.device), label: `write w${w}` })),
    )
    .with({ type: 'BladeStamp' }, () => [])
    .with({ type: 'TransferReady' }, ({ blade }) =>
      after.primaryBlades[blade]!.journal.flatMap((r, k) =>
        r.transferReady && !before.primaryBlades[blade]!.journal[k]?.transferReady ? [{ from: Pb(blade), to: D(blade), label: `transfer ready w${r.write}` }] : [],
      ),
    )
    .with({ type: 'DataTransfer' }, ({ blade }) => {
      const r = after.primaryBlades[blade]!.journal.find((x, k) => x.hasData && !before.primaryBlades[blade]!.journal[k]?.hasData);
      return r ? [{ from: D(blade), to: Pb(blade), label: `data w${r.write}` }] : [];
    })
    .with({ type: 'HostAck' }, () => writesMoved(before, after, 1, 2).map((w) => ({ from: D(setup.writes[w]!.device), to: HOST, label: `ack w${w}` })))
    .with({ type: 'ShuttleArrive' }, ({ shuttle, blade }) => {
      const next = after.shuttles[shuttle]?.at ?? blade;
      const b = after.primaryBlades[blade]!;
      return [{ from: Pb(blade), to: Pb(next), label: `shuttle; P${blade} stamps #${b.curSlotNo}` }];
    })
    .with({ type: 'Tick' }, () => [{ from: Pb(0), to: Pb(0), label: `tick t=${after.clock?.t ?? '?'}` }])
    .with({ type: 'Deliver' }, ({ from, to, index }) => {
      const r = before.links[from * setup.S + to]![index];
      return [{ from: Pb(from), to: Sb(to), label: r ? recordText(r) : 'record' }];
    })
    .with({ type: 'SecShuttleArrive' }, ({ blade }) => {
      const sh = after.secondaryShuttle;
      const what = sh.mode === 1 ? `shuttle N=${sh.seqNo}` : sh.mode === 2 ? `commit pass N=${sh.seqNo}` : 'shuttle';
      return [{ from: Sb(blade), to: Sb(sh.at), label: what }];
    })
    .with({ type: 'SecTransfer' }, ({ blade }) => [{ from: Sb(blade), to: SD(blade), label: `apply #${before.secondaryBlades[blade]!.transferNo}` }])
    .with({ type: 'SyncDeliver' }, ({ from, to, index }) => {
      const m = before.syncs[to * setup.S + from]![index];
      return [{ from: Sb(from), to: Pb(to), label: `sync #${m?.seq ?? '?'}` }];
    })
    .with({ type: 'LinkDown' }, ({ from, to }) => [{ from: Pb(from), to: Sb(to), label: 'link down', mark: 'fault' as const }])
    .with({ type: 'LinkUp' }, ({ from, to }) => [{ from: Pb(from), to: Sb(to), label: 'link up', mark: 'recovery' as const }])
    .with({ type: 'SecRecover' }, ({ blade }) => [{ from: Sb(blade), to: Sb(blade), label: 'recovery: drops unsynchronised entries (step 302)', mark: 'recovery' as const }])
    .with({ type: 'Resend' }, ({ blade }) => [{ from: Pb(blade), to: Pb(blade), label: 'recovery: resends (steps 304-306)', mark: 'recovery' as const }])
    .with({ type: 'DeviceLinkFail' }, ({ device }) => [{ from: D(device), to: Pb(device), label: 'device link fails', mark: 'fault' as const }])
    .with({ type: 'Repair' }, () => [{ from: HOST, to: HOST, label: 'repair: resync begins', mark: 'recovery' as const }])
    .with({ type: 'CopyTrack' }, ({ secondary, block }) => [
      { from: D(Math.floor(block / setup.cfg.primary.blocksPerDevice)), to: SD(secondary), label: `copy block ${block}`, mark: 'recovery' as const },
    ])
    .with({ type: 'BladeRestart' }, ({ side, blade }) => {
      const lane = side === 'primary' ? Pb(blade) : Sb(blade);
      return [{ from: lane, to: lane, label: 'restart', mark: 'fault' as const }];
    })
    .with({ type: 'BladeFail' }, ({ blade }) => [{ from: Pb(blade), to: Pb(blade), label: 'fails for good', mark: 'fault' as const }])
    .with({ type: 'Disaster' }, () => [{ from: HOST, to: HOST, label: 'disaster: primary site stops', mark: 'fault' as const }])
    .with({ type: 'Failover' }, ({ blade }) => [{ from: Sb(blade), to: Sb(blade), label: 'failover', mark: 'recovery' as const }])
    .with({ type: 'HaltAndRestore' }, () => [{ from: HOST, to: HOST, label: 'halt and restore from the secondary', mark: 'recovery' as const }])
    .with({ type: 'BackgroundCopy' }, ({ block }) => [{ from: D(Math.floor(block / setup.cfg.primary.blocksPerDevice)), to: D(Math.floor(block / setup.cfg.primary.blocksPerDevice)), label: `background copy of block ${block}` }])
    .exhaustive();

export const replicationView = (setup: Setup): ModelView<State, Action> => ({
  lanes: () => [
    HOST,
    ...Array.from({ length: setup.P }, (_, i) => D(i)),
    ...Array.from({ length: setup.P }, (_, i) => Pb(i)),
    ...Array.from({ length: setup.S }, (_, j) => Sb(j)),
    ...Array.from({ length: setup.S }, (_, j) => SD(j)),
  ],
  events: (before, a, after) => [
    ...actionEvents(setup, before, a, after),
    ...stamped(setup, before, after),
    ...sent(setup, before, after),
    ...syncsSent(setup, before, after),
  ],
});
