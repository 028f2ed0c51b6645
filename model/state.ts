/**
 * The state of the replication system: plain immutable data (numbers, small arrays,
 * bitmaps as numbers). Field names follow the patent. Ghost fields (not part of any real
 * component, kept for the properties) are marked as such.
 */

/** Ghost per write: its life at the host, its stamp, and what it depends on (PROTOCOL.md §3, dependency). */
export interface WriteGhost {
  /** 0 not issued, 1 issued (stored on the primary device), 2 acknowledged to the host. */
  readonly status: 0 | 1 | 2;
  /** The sequence number the primary blade stamped on it (Fig 10 step 188), -1 before. */
  readonly seq: number;
  /** Bitmask of the writes already acknowledged when it was issued: w1 ≺ w for each w1 in it. */
  readonly deps: number;
}

/** A Fig 9 record in a primary blade's journal. `write` is -1 for an empty-number marker. */
export interface JournalRecord {
  readonly write: number;
  readonly sequenceNo: number; // Fig 9 field 152
  readonly totalWrites: number | null; // field 154, filled when the number closes (Fig 12 step 226)
  readonly serviceBitmap: number; // field 156
  readonly sentBitmap: number; // field 158
  readonly receivedBitmap: number; // field 162 (set by sync, Fig 15 step 280)
  /** The blade's running record count at journaling: the order of the blade's records, sent along. */
  readonly serial: number;
  /** The blade told its device "transfer ready" for this write (Fig 10 step 190); false for a marker. */
  readonly transferReady: boolean;
  /** The data reached the blade (Fig 10 step 194, Fig 14 step 258): field 168 holds it. A marker has none to wait for (true). */
  readonly hasData: boolean;
}

/** A primary WAN blade (Fig 19 blade variables; the timer variant reuses them). */
export interface PrimaryBlade {
  readonly curSlotNo: number; // CURSLOTNO: the number stamped on new writes
  readonly curSlotCnt: number; // CURSLOTCNT: deliveries stamped with curSlotNo so far
  readonly sequenceNo: number; // SEQUENCENO: the latest number known closed, whose records may be sent
  readonly totalWrites: number; // TOTAL WRITES for sequenceNo
  readonly nextSerial: number;
  readonly journal: readonly JournalRecord[];
  /** Timer only: the counter's phase offset in [0, period); 0 otherwise. */
  readonly phase: number;
}

/** A primary shuttle (Fig 19 shuttle variables), about to arrive at blade `at`. */
export interface Shuttle {
  readonly at: number;
  readonly shSlotNo: number; // SHSLOTNO
  readonly oldSlotNo: number; // OLDSLOTNO
  readonly oldSlotCnt: number; // OLDSLOTCNT
  readonly wkSlotNo: number; // WKSLOTNO
  readonly wkSlotCnt: number; // WKSLOTCNT
}

/** Timer variant: the discrete clock, and the tick of the latest host acknowledgement. */
export interface Clock {
  readonly t: number;
  /** -1 before the first acknowledgement. */
  readonly lastAck: number;
}

/** A Fig 9 record on the wire (primary blade `from` → a secondary blade). */
export interface RecordMsg {
  readonly write: number;
  readonly seq: number;
  readonly total: number;
  readonly from: number;
  readonly serial: number;
}

/** The sync signal of Fig 15 step 280: "my device holds your records of number `seq`". */
export interface SyncMsg {
  readonly seq: number;
}

/** A secondary WAN blade (Fig 15) and its secondary device. */
export interface SecondaryBlade {
  /** The SG-list: received records not yet on the device (Fig 15 step 262). */
  readonly journal: readonly RecordMsg[];
  /** N whose writes were initiated at the device and acknowledged (steps 268-270), 0 when none. */
  readonly initiatedNo: number;
  /** N whose data is being transferred to the device (step 278), 0 when none. */
  readonly transferNo: number;
  /** Highest N fully on the device and synced (step 280). */
  readonly appliedNo: number;
  /** Primary blades to sync when the transfer of transferNo ends. */
  readonly syncTo: number;
  /** The secondary device: per global block the write id it holds, -1 for the initial value. */
  readonly device: readonly number[];
}

/** The secondary shuttle (Fig 15). mode: 0 between passes, 1 carrying seqNo ("shuttle N"), 2 a commit-only pass. */
export interface SecondaryShuttle {
  readonly at: number;
  readonly seqNo: number;
  readonly mode: 0 | 1 | 2;
}

/** The consistency group (text before Fig 16): replicating, triggered (secondaries not ready), or copying invalid tracks. */
export type GroupStatus = 'replicating' | 'triggered' | 'resyncing';

/** The primary site: running; stopped by an operator or a disaster; the secondary site recovered (failover); rolled back. */
export type SiteStatus = 'running' | 'stopped' | 'failed-over' | 'rolled-back';

/** Faults injected so far, per kind (each bounded by the configuration's `faults`). */
export interface FaultsUsed {
  readonly linkDown: number;
  readonly deviceLinkFail: number;
  readonly bladeRestart: number;
  readonly bladeFail: number;
}

export interface State {
  readonly writes: readonly WriteGhost[]; // ghost
  /** Primary devices: per global block the ids written, in the order the device stored them.
   * The block's value is the last one; the history is ghost (it defines primary order). */
  readonly primaryBlocks: readonly (readonly number[])[];
  /** Per primary device: write commands sent to the blade (Fig 10 step 186) and not yet stamped, oldest first; they wait there while the journal is full (Fig 3 step 84). */
  readonly deviceWaiting: readonly (readonly number[])[];
  readonly primaryBlades: readonly PrimaryBlade[];
  /** The primary shuttle(s): one (two under the duplicate-shuttle mutant); none for the timer. */
  readonly shuttles: readonly Shuttle[];
  readonly clock: Clock | null;
  /** links[i * S + j]: records in flight from primary blade i to secondary blade j. */
  readonly links: readonly (readonly RecordMsg[])[];
  /** syncs[i * S + j]: sync signals in flight from secondary blade j back to primary blade i. */
  readonly syncs: readonly (readonly SyncMsg[])[];
  readonly secondaryBlades: readonly SecondaryBlade[];
  readonly secondaryShuttle: SecondaryShuttle;
  /** Set when a blade takes the Fig 19A error branch (step 358). */
  readonly error358: boolean;
  readonly faultsUsed: FaultsUsed;
  /** Bitmask over link indices (i * S + j) of the network links that are down. */
  readonly linksDown: number;
  /** A link failed or a blade restarted: the recovery of Fig 16/17 is still to run. */
  readonly recoveryPending: boolean;
  /** The pending recovery's progress: bitmask of the secondary blades that took their step 302 (SecRecover). */
  readonly secRecovered: number;
  /** The pending recovery's progress: bitmask of the primary blades that resent (Resend, steps 304-306). */
  readonly resent: number;
  readonly group: GroupStatus;
  /** invalidTracks[j]: bitmask of the global blocks marked invalid for secondary device j. */
  readonly invalidTracks: readonly number[];
  /** Bitmask of the primary blades that failed for good. */
  readonly failedBlades: number;
  /** The fresh sequence's base: the number a resynchronisation restarted the sequence after (0 at first). */
  readonly sequenceBase: number;
  readonly site: SiteStatus;
  /** The secondary site's recovery after the primary site stopped: bitmask of the secondary blades that took their failover step. */
  readonly failedOver: number;
  /** Background copy (related art): bitmask of the tracks modified since they were last copied. */
  readonly modifiedTracks: number;
  /** Rollback: the primary blocks restored from the secondary site (per global block), or null. */
  readonly restoredPrimary: readonly number[] | null;
}
