/**
 * Immutable updates of the model's plain data. A transition never edits the state it is
 * given: it builds the next state from new objects for what changed and shares everything
 * else with the old one (which is what makes the engine's fingerprinting cheap). Each helper
 * returns a new value and leaves its arguments untouched; those that change nothing return
 * their argument itself, so unchanged parts stay shared.
 *
 * Records (the state, blades, journal records, ...) are updated with `update`,
 * `updateBlade`, ... rather than with object spreads: each builds its kind of record with one
 * object literal listing every field in the same order (the order of the initial state), so
 * all records of a kind share one shape. That keeps every read of them fast, in the
 * transitions, the properties and the engine's fingerprinting; spreads give a kind many
 * shapes. The field order is also the order in which a state serialises.
 */
import type { Clock, FaultsUsed, JournalRecord, PrimaryBlade, RecordMsg, SecondaryBlade, Shuttle, State, WriteGhost } from './state.ts';

/** `patch`'s value of a field when it has one, else `base`'s (no field of a state is ever undefined). */
const or = <T>(patch: T | undefined, base: T): T => (patch === undefined ? base : patch);

/** The state `s` with the fields of `p`. */
export const update = (s: State, p: Partial<State>): State => ({
  writes: or(p.writes, s.writes),
  primaryBlocks: or(p.primaryBlocks, s.primaryBlocks),
  deviceWaiting: or(p.deviceWaiting, s.deviceWaiting),
  primaryBlades: or(p.primaryBlades, s.primaryBlades),
  shuttles: or(p.shuttles, s.shuttles),
  clock: or(p.clock, s.clock),
  links: or(p.links, s.links),
  syncs: or(p.syncs, s.syncs),
  secondaryBlades: or(p.secondaryBlades, s.secondaryBlades),
  secondaryShuttle: or(p.secondaryShuttle, s.secondaryShuttle),
  error358: or(p.error358, s.error358),
  faultsUsed: or(p.faultsUsed, s.faultsUsed),
  linksDown: or(p.linksDown, s.linksDown),
  recoveryPending: or(p.recoveryPending, s.recoveryPending),
  secRecovered: or(p.secRecovered, s.secRecovered),
  resent: or(p.resent, s.resent),
  group: or(p.group, s.group),
  invalidTracks: or(p.invalidTracks, s.invalidTracks),
  failedBlades: or(p.failedBlades, s.failedBlades),
  sequenceBase: or(p.sequenceBase, s.sequenceBase),
  site: or(p.site, s.site),
  failedOver: or(p.failedOver, s.failedOver),
  modifiedTracks: or(p.modifiedTracks, s.modifiedTracks),
  restoredPrimary: or(p.restoredPrimary, s.restoredPrimary),
});

/** Write ghost `g` with the fields of `p`. */
export const updateWrite = (g: WriteGhost, p: Partial<WriteGhost>): WriteGhost => ({
  status: or(p.status, g.status),
  seq: or(p.seq, g.seq),
  deps: or(p.deps, g.deps),
});

/** Primary blade `b` with the fields of `p`. */
export const updateBlade = (b: PrimaryBlade, p: Partial<PrimaryBlade>): PrimaryBlade => ({
  curSlotNo: or(p.curSlotNo, b.curSlotNo),
  curSlotCnt: or(p.curSlotCnt, b.curSlotCnt),
  sequenceNo: or(p.sequenceNo, b.sequenceNo),
  totalWrites: or(p.totalWrites, b.totalWrites),
  nextSerial: or(p.nextSerial, b.nextSerial),
  journal: or(p.journal, b.journal),
  phase: or(p.phase, b.phase),
});

/** Journal record `r` with the fields of `p`. */
export const updateRecord = (r: JournalRecord, p: Partial<JournalRecord>): JournalRecord => ({
  write: or(p.write, r.write),
  sequenceNo: or(p.sequenceNo, r.sequenceNo),
  totalWrites: or(p.totalWrites, r.totalWrites),
  serviceBitmap: or(p.serviceBitmap, r.serviceBitmap),
  sentBitmap: or(p.sentBitmap, r.sentBitmap),
  receivedBitmap: or(p.receivedBitmap, r.receivedBitmap),
  serial: or(p.serial, r.serial),
  transferReady: or(p.transferReady, r.transferReady),
  hasData: or(p.hasData, r.hasData),
});

/** Shuttle `sh` with the fields of `p`. */
export const updateShuttle = (sh: Shuttle, p: Partial<Shuttle>): Shuttle => ({
  at: or(p.at, sh.at),
  shSlotNo: or(p.shSlotNo, sh.shSlotNo),
  oldSlotNo: or(p.oldSlotNo, sh.oldSlotNo),
  oldSlotCnt: or(p.oldSlotCnt, sh.oldSlotCnt),
  wkSlotNo: or(p.wkSlotNo, sh.wkSlotNo),
  wkSlotCnt: or(p.wkSlotCnt, sh.wkSlotCnt),
});

/** Secondary blade `b` with the fields of `p`. */
export const updateSecondary = (b: SecondaryBlade, p: Partial<SecondaryBlade>): SecondaryBlade => ({
  journal: or(p.journal, b.journal),
  initiatedNo: or(p.initiatedNo, b.initiatedNo),
  transferNo: or(p.transferNo, b.transferNo),
  appliedNo: or(p.appliedNo, b.appliedNo),
  syncTo: or(p.syncTo, b.syncTo),
  device: or(p.device, b.device),
});

/** The clock `c` with the fields of `p`. */
export const updateClock = (c: Clock, p: Partial<Clock>): Clock => ({ t: or(p.t, c.t), lastAck: or(p.lastAck, c.lastAck) });

/** The fault counts `f` with the fields of `p`. */
export const updateFaults = (f: FaultsUsed, p: Partial<FaultsUsed>): FaultsUsed => ({
  linkDown: or(p.linkDown, f.linkDown),
  deviceLinkFail: or(p.deviceLinkFail, f.deviceLinkFail),
  bladeRestart: or(p.bladeRestart, f.bladeRestart),
  bladeFail: or(p.bladeFail, f.bladeFail),
});

/** A Fig 9 record on the wire, as primary blade `from` sends journal record `r`. */
export const recordMsg = (r: JournalRecord, from: number): RecordMsg => ({
  write: r.write,
  seq: r.sequenceNo,
  total: r.totalWrites!,
  from,
  serial: r.serial,
});

/**
 * A fresh copy that its maker may still edit before it becomes part of a state (the Fig 19
 * bookkeeping is written as the figure's assignments on such copies). Once placed in a state,
 * it is never edited again.
 */
export type Fresh<T> = { -readonly [K in keyof T]: T[K] };

/** A fresh copy of primary blade `b` to edit (see `Fresh`). */
export const freshBlade = (b: PrimaryBlade): Fresh<PrimaryBlade> => updateBlade(b, {});

/** A fresh copy of shuttle `sh` to edit (see `Fresh`). */
export const freshShuttle = (sh: Shuttle): Fresh<Shuttle> => updateShuttle(sh, {});

/** `list` with element `i` replaced by `value`. */
export const setAt = <T>(list: readonly T[], i: number, value: T): T[] => {
  const out = list.slice();
  out[i] = value;
  return out;
};

/** `list` with element `i` replaced by `update(element)`. */
export const updateAt = <T>(list: readonly T[], i: number, change: (x: T) => T): T[] => setAt(list, i, change(list[i]!));

/** `list` without element `i`. */
export const removeAt = <T>(list: readonly T[], i: number): T[] => {
  const out = list.slice();
  out.splice(i, 1);
  return out;
};

/** `list` with `value` inserted at position `i`. */
export const insertAt = <T>(list: readonly T[], i: number, value: T): T[] => {
  const out = list.slice();
  out.splice(i, 0, value);
  return out;
};

/** `list` with every element that passes `test` replaced by `change(element)`; `list` itself when none passes. */
export const updateWhere = <T>(list: readonly T[], test: (x: T) => boolean, change: (x: T) => T): readonly T[] => {
  let out: T[] | undefined;
  for (let k = 0; k < list.length; k++) {
    if (!test(list[k]!)) continue;
    out ??= list.slice();
    out[k] = change(list[k]!);
  }
  return out ?? list;
};

/** The elements of `list` that pass `test`; `list` itself when all do. */
export const keepWhere = <T>(list: readonly T[], test: (x: T) => boolean): readonly T[] => {
  for (let k = 0; k < list.length; k++) if (!test(list[k]!)) return list.filter(test);
  return list;
};

/** `s` with write ghost `w` changed by `p`. */
export const patchWrite = (s: State, w: number, p: Partial<WriteGhost>): State =>
  update(s, { writes: setAt(s.writes, w, updateWrite(s.writes[w]!, p)) });

/** `s` with primary blade `i` replaced. */
export const withPrimary = (s: State, i: number, b: PrimaryBlade): State => update(s, { primaryBlades: setAt(s.primaryBlades, i, b) });

/** `s` with primary blade `i` changed by `p`. */
export const patchPrimary = (s: State, i: number, p: Partial<PrimaryBlade>): State => withPrimary(s, i, updateBlade(s.primaryBlades[i]!, p));

/** `s` with secondary blade `j` replaced. */
export const withSecondary = (s: State, j: number, b: SecondaryBlade): State =>
  update(s, { secondaryBlades: setAt(s.secondaryBlades, j, b) });

/** `s` with secondary blade `j` changed by `p`. */
export const patchSecondary = (s: State, j: number, p: Partial<SecondaryBlade>): State =>
  withSecondary(s, j, updateSecondary(s.secondaryBlades[j]!, p));
