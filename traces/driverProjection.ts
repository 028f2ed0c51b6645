/**
 * The observable state of the replication system: what an implementation driven by
 * `npm run conform` reports after each step (traces/DRIVER.md, "Observable state"). It is
 * the model state without ghost data (write stamps and dependencies, the primary order of
 * each block, record serials, sync lists, the step-358 flag, the fault counts) and with each
 * primary block reduced to the value it holds.
 *
 * The same function projects a model state (for the oracle) and a vector's ITF state (to
 * see where an implementation leaves a must-reject vector), so it reads defensively: a field
 * the model does not have yet, or no longer has, is left out rather than crashing.
 */
import type { JournalRecord, RecordMsg, State } from '../model/state.ts';

/** Top-level fields every reply must contain (others are optional but checked when present). */
export const REQUIRED_FIELDS = ['writes', 'primaryDevices', 'primaryBlades', 'secondaryBlades', 'secondaryShuttle'] as const;

/** Every top-level field of the observable state, in the order DRIVER.md lists them. */
export const OBSERVABLE_FIELDS = [
  'writes',
  'primaryDevices',
  'deviceWaiting',
  'primaryBlades',
  'shuttles',
  'clock',
  'links',
  'syncs',
  'secondaryBlades',
  'secondaryShuttle',
  'site',
  'group',
  'linksDown',
  'invalidTracks',
  'failedBlades',
  'restoredPrimary',
] as const;

const arr = <T>(v: unknown): readonly T[] => (Array.isArray(v) ? (v as T[]) : []);

const wire = (r: RecordMsg) => ({ write: r.write, seq: r.seq, total: r.total, from: r.from });

const journalEntry = (r: JournalRecord) => ({
  write: r.write,
  sequenceNo: r.sequenceNo,
  totalWrites: r.totalWrites,
  serviceBitmap: r.serviceBitmap,
  sentBitmap: r.sentBitmap,
  receivedBitmap: r.receivedBitmap,
  transferReady: r.transferReady,
  hasData: r.hasData,
});

/** The observable projection of a model state (or of a decoded vector state). */
export const observeState = (x: unknown): Record<string, unknown> => {
  const s = x as State;
  const clock = s.clock as unknown;
  return {
    writes: arr<State['writes'][number]>(s.writes).map((w) => ({ status: w.status })),
    primaryDevices: arr<readonly number[]>(s.primaryBlocks).map((h) => (h.length === 0 ? -1 : h[h.length - 1]!)),
    deviceWaiting: arr<readonly number[]>(s.deviceWaiting).map((q) => [...q]),
    primaryBlades: arr<State['primaryBlades'][number]>(s.primaryBlades).map((b) => ({
      curSlotNo: b.curSlotNo,
      curSlotCnt: b.curSlotCnt,
      sequenceNo: b.sequenceNo,
      totalWrites: b.totalWrites,
      journal: arr<JournalRecord>(b.journal).map(journalEntry),
    })),
    shuttles: arr<State['shuttles'][number]>(s.shuttles).map((sh) => ({
      at: sh.at,
      shSlotNo: sh.shSlotNo,
      oldSlotNo: sh.oldSlotNo,
      oldSlotCnt: sh.oldSlotCnt,
      wkSlotNo: sh.wkSlotNo,
      wkSlotCnt: sh.wkSlotCnt,
    })),
    // ITF has no null: the suite writes an absent clock as an empty tuple.
    clock: clock !== null && typeof clock === 'object' && !Array.isArray(clock) && 't' in clock ? { t: (clock as { t: number }).t } : null,
    links: arr<readonly RecordMsg[]>(s.links).map((l) => l.map(wire)),
    syncs: arr<readonly { seq: number }[]>(s.syncs).map((l) => l.map((m) => ({ seq: m.seq }))),
    secondaryBlades: arr<State['secondaryBlades'][number]>(s.secondaryBlades).map((b) => ({
      journal: arr<RecordMsg>(b.journal).map(wire),
      initiatedNo: b.initiatedNo,
      transferNo: b.transferNo,
      appliedNo: b.appliedNo,
      device: [...arr<number>(b.device)],
    })),
    secondaryShuttle: s.secondaryShuttle
      ? { at: s.secondaryShuttle.at, seqNo: s.secondaryShuttle.seqNo, mode: s.secondaryShuttle.mode }
      : null,
    // Faults, recovery and the end of the primary site (PROTOCOL.md section 8).
    site: s.site ?? null,
    group: s.group ?? null,
    linksDown: s.linksDown ?? null,
    invalidTracks: s.invalidTracks ? [...s.invalidTracks] : null,
    failedBlades: s.failedBlades ?? null,
    // ITF has no null: the suite writes "not restored" as an empty tuple.
    restoredPrimary: Array.isArray(s.restoredPrimary) && s.restoredPrimary.length > 0 ? [...s.restoredPrimary] : null,
  };
};
