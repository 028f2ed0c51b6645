/** Hosts and primary devices (Fig 3, Fig 10): issue, the command reaching the blade (stamp, back-pressure), the data transfer, acknowledgement. */
import { patchPrimary, patchWrite, setAt, update, updateAt, updateClock, updateRecord } from './immutable.ts';
import { acknowledgeable, dataArrive, journalHasRoom, stamp } from './primaryBlade.ts';
import { bypass, clearOverflow } from './trigger.ts';
import type { Setup } from './setup.ts';
import type { State } from './state.ts';
import { transmitClosed } from './network.ts';

/**
 * The blade takes write w (Fig 10 step 188). Semi-synchronous (related art): there is no
 * sequencer, so the record is closed at once and sent as soon as its data arrives (its total unused).
 */
const accept = (s: State, setup: Setup, i: number, w: number): State => {
  const stamped = stamp(s, setup, i, w);
  if (setup.cfg.mode !== 'semi-synchronous') return stamped;
  const b = stamped.primaryBlades[i]!;
  const last = b.journal.length - 1;
  return patchPrimary(stamped, i, { journal: setAt(b.journal, last, updateRecord(b.journal[last]!, { totalWrites: 0 })) });
};

/** Bitmask of the writes acknowledged so far (ghost). */
export const ackedMask = (s: State): number => {
  let m = 0;
  for (let w = 0; w < s.writes.length; w++) if (s.writes[w]!.status === 2) m |= 1 << w;
  return m;
};

/** The next write chain `c` may issue (its predecessor acknowledged), or -1. */
export const nextIssuable = (s: State, setup: Setup, c: number): number => {
  const ids = setup.chains[c]!;
  for (let k = 0; k < ids.length; k++) {
    const st = s.writes[ids[k]!]!.status;
    if (st === 0) return k === 0 || s.writes[ids[k - 1]!]!.status === 2 ? ids[k]! : -1;
  }
  return -1;
};

/** The write of chain `c` issued and not yet acknowledged, or -1. */
export const outstanding = (s: State, setup: Setup, c: number): number => {
  for (const w of setup.chains[c]!) if (s.writes[w]!.status === 1) return w;
  return -1;
};

/**
 * Fig 10 steps 182-186: the host writes; the device stores the data (184) and sends the write
 * command to its blade (186), where it waits to be stamped (`bladeStamp`). While the group is
 * triggered, the device marks the track invalid and acknowledges at once instead.
 * Timer: the host issues at least `gap` ticks after the latest acknowledgement (PROTOCOL.md §5).
 */
export const hostIssue = (s: State, setup: Setup, c: number): State | undefined => {
  const w = nextIssuable(s, setup, c);
  if (w < 0 || s.site !== 'running') return undefined;
  const seq = setup.cfg.sequencer;
  if (seq.kind === 'timer' && s.clock!.lastAck >= 0 && s.clock!.t < s.clock!.lastAck + seq.gap) return undefined;
  const info = setup.writes[w]!;
  const i = info.device;
  const acked = ackedMask(s);
  const issued = update(s, {
    primaryBlocks: updateAt(s.primaryBlocks, info.g, (hist) => [...hist, w]), // step 184: stored on the primary device
    writes: setAt(s.writes, w, { status: 1, seq: -1, deps: acked }), // ghost: every acknowledged write precedes w (PROTOCOL.md §3, dependency)
  });
  if (setup.cfg.mode === 'background') {
    // related art: acknowledged at once, the track marked modified for the background copier
    return update(patchWrite(issued, w, { status: 2 }), { modifiedTracks: s.modifiedTracks | (1 << info.g) });
  }
  if (s.group !== 'replicating') return bypass(issued, setup, w); // triggered: secondaries not ready, track invalid
  return update(issued, { deviceWaiting: updateAt(s.deviceWaiting, i, (q) => [...q, w]) }); // step 186: the command goes to the blade
};

/**
 * BladeStamp(i): the device's oldest write command reaches blade i (Fig 3 step 82), which
 * journals it and stamps it with its current number (Fig 10 step 188, Fig 12 step 222, Fig 14
 * step 252). A full journal: the device waits for room (back-pressure, Fig 3 steps 84-86), or the
 * blade clears its journal, invalidates its tracks and the group triggers (clear-and-invalidate,
 * text before Fig 16), and the write is bypassed.
 */
export const bladeStamp = (s: State, setup: Setup, i: number): State | undefined => {
  const q = s.deviceWaiting[i]!;
  if (q.length === 0 || s.site !== 'running' || (s.failedBlades >> i) & 1) return undefined;
  const w = q[0]!;
  const taken = update(s, { deviceWaiting: setAt(s.deviceWaiting, i, q.slice(1)) });
  if (journalHasRoom(setup, s.primaryBlades[i]!)) return accept(taken, setup, i, w); // Fig 3 step 86
  if (setup.cfg.overflow === 'clear-invalidate') return bypass(clearOverflow(taken, setup, i), setup, w);
  return undefined; // Fig 3 step 84: the device waits for room
};

/**
 * DataTransfer(i): Fig 10 steps 194-196 (Fig 14 steps 258-259): the device transfers the data of
 * its oldest write told "transfer ready"; blade i journals it and, if its number is closed, sends it.
 */
export const dataTransfer = (s: State, setup: Setup, i: number): State | undefined => {
  const arrived = dataArrive(s, setup, i);
  return arrived && transmitClosed(arrived, setup, i);
};

/** Fig 10 step 192: the device acknowledges the host once the blade said transfer ready (step 190). */
export const hostAck = (s: State, setup: Setup, c: number): State | undefined => {
  const w = outstanding(s, setup, c);
  if (w < 0 || s.site !== 'running' || !acknowledgeable(s, setup, w)) return undefined;
  const acked = patchWrite(s, w, { status: 2 });
  return s.clock ? update(acked, { clock: updateClock(s.clock, { lastAck: s.clock.t }) }) : acked;
};
