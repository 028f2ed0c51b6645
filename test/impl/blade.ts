/**
 * An independent implementation of the replication protocol of model/PROTOCOL.md (hosts,
 * primary devices and WAN blades with Fig 9 journals, the slot and ring shuttles of Fig 19,
 * the links, secondary blades with the two-phase apply of Fig 15), driven over the JSON-lines
 * protocol of traces/DRIVER.md:
 *
 *     tsx test/impl/blade.ts [--bug NAME] [--log DIR [--log-vars F,F...] [--log-every K] [--log-no-actions]]
 *     tsx test/impl/blade.ts [--bug NAME] --walk N --config FILE [--seed S] --log DIR
 *
 * It is deliberately written in another style than the model: mutable objects, plain loops,
 * no immer, no ts-pattern, and it imports nothing from this repository. It exists to prove
 * the conformance harness: it must pass every vector, and each `--bug` variant must be caught
 * by the oracle at the step where the bug first acts. The variant says so itself: the first
 * reply in which a bug changed the behaviour carries `"log": "bug NAME acted: ..."`.
 *
 * Faults, recovery (Fig 16 and Fig 17), the trigger and resynchronisation, overflow,
 * restarts, blade failure, disaster and failover, delayed apply, rollback and the synchronous
 * mode follow traces/DRIVER.md section 2.3.
 *
 * Its own log (`--log DIR`): each run, from `init` to `end` (or the end of its input), is
 * written as DIR/run-K.itf.json in the log format of traces/DRIVER.md section 9: the state it
 * shows after each step, only the fields `--log-vars` names, one step in `--log-every` K (the
 * others hidden), without the actions under `--log-no-actions`; the state where a bug first
 * acted carries the bug's note in its `#meta.note`. `--walk N --config FILE` runs it without
 * a driver: N steps, each chosen at random (seeded by `--seed`) among those it takes, logged;
 * when it can take none (every write applied) it starts afresh, logged as a state whose action
 * is "init".
 *
 * Not supported (answered `unsupported`, never a crash): the timer sequencer with a period
 * over 1 (the blades' initial phases are then a choice the driver does not send), the
 * semi-synchronous and background modes, and any action it does not know.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { writeFileAtomicSync } from '../../checker/atomicWrite.ts';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { mulberry32 } from '../../checker/prng.ts';

const BUGS = [
  'ack-early',
  'apply-incomplete',
  'delete-early',
  'apply-out-of-order',
  'skip-oldslotcnt',
  // three wrong readings of the ring's empty numbers (Fig 19 steps 386/388)
  'ring-no-marker',
  'ring-marker-every-close',
  'ring-marker-own-number',
] as const;
type Bug = (typeof BUGS)[number];

/** A Fig 9 record in a primary journal. write = -1 for an empty-number marker. */
class JournalEntry {
  constructor(
    public write: number,
    public sequenceNo: number,
    public totalWrites: number | null,
    public serviceBitmap: number,
    public sentBitmap: number,
    public receivedBitmap: number,
    public serial: number,
    /** The blade told its device "transfer ready" for this write (Fig 10 step 190). */
    public transferReady = false,
    /** The data reached the blade (step 194); a marker has none to wait for. */
    public hasData = write < 0,
  ) {}
}

/** A record on the wire, and in a secondary's SG-list. */
interface WireRecord {
  write: number;
  seq: number;
  total: number;
  from: number;
  serial: number;
}

class PrimaryBlade {
  curSlotNo = 1;
  curSlotCnt = 0;
  sequenceNo = 0;
  totalWrites = 0;
  nextSerial = 0;
  journal: JournalEntry[] = [];
  constructor(readonly serviceBitmap: number) {}

  dataRecords(): number {
    let n = 0;
    for (const e of this.journal) if (e.write >= 0) n++;
    return n;
  }

  /** Fig 12 step 226: number n closes with `total` deliveries; its records may now be sent. */
  close(n: number, total: number): void {
    for (const e of this.journal) if (e.sequenceNo === n && e.totalWrites === null) e.totalWrites = total;
  }
}

class SecondaryBlade {
  sgList: WireRecord[] = [];
  initiatedNo = 0;
  transferNo = 0;
  appliedNo = 0;
  syncTo = 0;
  device: number[];
  constructor(blocks: number) {
    this.device = new Array<number>(blocks).fill(-1);
  }
}

class Refused extends Error {}
class Unsupported extends Error {}

const bitCount = (x: number): number => {
  let n = 0;
  while (x !== 0) {
    n += x & 1;
    x >>>= 1;
  }
  return n;
};

/** Order of records in an SG-list and on a reordering link: number, then sender, then serial. */
const before = (a: WireRecord, b: WireRecord): boolean =>
  a.seq < b.seq || (a.seq === b.seq && (a.from < b.from || (a.from === b.from && a.serial < b.serial)));

const insertInOrder = (list: WireRecord[], r: WireRecord): void => {
  let k = list.length;
  while (k > 0 && before(r, list[k - 1]!)) k--;
  list.splice(k, 0, r);
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** Configuration fields this implementation understands. */
const KNOWN_CONFIG = [
  'primary', 'secondary', 'network', 'sequencer', 'workload', 'bounds', 'checkNoEmptyNumbers', 'mutant',
  'faults', 'mode', 'recovery', 'journal', 'overflow', 'delay', 'rollback',
];
const FAULT_KINDS = ['linkDown', 'deviceLinkFail', 'bladeRestart', 'bladeFail', 'disaster'];

class ReplicationSystem {
  P: number;
  S: number;
  B: number;
  capacity: number;
  fifo: boolean;
  ring: boolean;
  designated = 0;
  writeDevice: number[] = [];
  writeBlock: number[] = [];
  chains: number[][] = [];
  status: number[] = []; // 0 not issued, 1 issued, 2 acknowledged
  stampedWith: number[] = []; // the number the blade stamped, -1 before
  primaryDevices: number[];
  deviceWaiting: number[][] = [];
  blades: PrimaryBlade[] = [];
  shuttle = { at: 0, shSlotNo: 1, oldSlotNo: 0, oldSlotCnt: 0, wkSlotNo: 0, wkSlotCnt: 0 };
  /** The timer sequencer (period 1): the clock's tick and that of the latest acknowledgement; null for the shuttles. */
  timer: { gap: number; t: number; lastAck: number } | null = null;
  links: WireRecord[][] = [];
  syncs: { seq: number }[][] = [];
  secondaries: SecondaryBlade[] = [];
  secShuttle = { at: 0, seqNo: 0, mode: 0 };
  // ---- faults, recovery and the end of the primary site (DRIVER.md section 2.3) ----
  synchronous = false;
  fig17 = false;
  volatile = false;
  clearOnOverflow = false;
  delay = 0;
  rollback = false;
  faultBound: Record<string, number> = {};
  faultsUsed: Record<string, number> = {};
  site: 'running' | 'stopped' | 'failed-over' | 'rolled-back' = 'running';
  /** The secondary blades that took their failover step. */
  failedOver = 0;
  group: 'replicating' | 'triggered' | 'resyncing' = 'replicating';
  linksDown = 0;
  invalidTracks: number[] = [];
  failedBlades = 0;
  restoredPrimary: number[] | null = null;
  recoveryPending = false;
  /** The pending recovery's progress: secondary blades past step 302, primary blades that resent. */
  secRecovered = 0;
  resent = 0;
  sequenceBase = 0;
  /** What the bug changed in the current step, if anything (reported once per vector). */
  bugNote: string | null = null;
  bugReported = false;

  constructor(
    config: Json,
    readonly bug: Bug | null,
  ) {
    for (const key of Object.keys(config ?? {})) {
      if (!KNOWN_CONFIG.includes(key)) throw new Unsupported(`configuration field "${key}" is not supported by this implementation`);
    }
    if (config.mode !== undefined && config.mode !== 'wan-blade' && config.mode !== 'synchronous') throw new Unsupported(`mode "${config.mode}" is not supported by this implementation`);
    this.synchronous = config.mode === 'synchronous';
    for (const [fault, bound] of Object.entries(config.faults ?? {})) {
      if (!FAULT_KINDS.includes(fault)) throw new Unsupported(`fault "${fault}" is not supported by this implementation`);
      this.faultBound[fault] = bound === true ? 1 : bound === false ? 0 : Number(bound);
    }
    this.fig17 = config.recovery === 'fig17';
    this.volatile = config.journal === 'volatile';
    this.clearOnOverflow = config.overflow === 'clear-invalidate';
    this.delay = config.delay ?? 0;
    this.rollback = config.rollback === true;
    const seq = config.sequencer?.kind;
    if (seq === 'timer') {
      // With period 1 every blade's phase is 0: the initial state is known.
      if (config.sequencer.period !== 1) throw new Unsupported(`sequencer "timer" with period ${config.sequencer.period} is not supported by this implementation (its phases are not sent)`);
      this.timer = { gap: config.sequencer.gap, t: 0, lastAck: -1 };
    } else if (seq !== 'slot' && seq !== 'ring') throw new Unsupported(`sequencer "${seq}" is not supported by this implementation`);
    this.ring = seq === 'ring';
    if (this.ring) this.designated = config.sequencer.designated ?? 0;
    this.P = config.primary.blades;
    this.S = config.secondary.blades;
    this.B = config.primary.blocksPerDevice;
    this.capacity = config.primary.journalCapacity;
    this.fifo = config.network === 'fifo';
    for (let c = 0; c < config.workload.length; c++) {
      const ids: number[] = [];
      for (const w of config.workload[c]) {
        ids.push(this.writeDevice.length);
        this.writeDevice.push(w.device);
        this.writeBlock.push(w.device * this.B + w.block);
        this.status.push(0);
        this.stampedWith.push(-1);
      }
      this.chains.push(ids);
    }
    this.primaryDevices = new Array<number>(this.P * this.B).fill(-1);
    for (let i = 0; i < this.P; i++) {
      let bitmap = 0;
      for (const j of config.primary.service[i]) bitmap |= 1 << j;
      this.blades.push(new PrimaryBlade(bitmap));
      this.deviceWaiting.push([]);
    }
    for (let k = 0; k < this.P * this.S; k++) {
      this.links.push([]);
      this.syncs.push([]);
    }
    for (let j = 0; j < this.S; j++) this.secondaries.push(new SecondaryBlade(this.P * this.B));
    for (let j = 0; j < this.S; j++) this.invalidTracks.push(0);
  }

  private running(): void {
    if (this.site !== 'running') throw new Refused(`the primary site is ${this.site}`);
  }

  /** The secondaries holding global block g: those the device's blade serves. */
  private holders(g: number): number {
    return this.blades[Math.floor(g / this.B)]!.serviceBitmap;
  }

  private invalidate(g: number, mask: number): void {
    for (let j = 0; j < this.S; j++) if ((mask >> j) & 1) this.invalidTracks[j]! |= 1 << g;
  }

  /** A write the blades do not replicate: its track invalid where it is held, the host acknowledged at once. */
  private bypass(w: number): void {
    this.invalidate(this.writeBlock[w]!, this.holders(this.writeBlock[w]!));
    this.status[w] = 2;
  }

  /** The group triggers: writes waiting for journal room are bypassed. */
  private trigger(): void {
    if (this.group === 'replicating') this.group = 'triggered';
    for (const q of this.deviceWaiting) for (const w of q.splice(0)) this.bypass(w);
  }

  /** The tracks of blade i's data records become invalid where they are not synchronised. */
  private invalidateJournal(i: number): void {
    for (const e of this.blades[i]!.journal) if (e.write >= 0) this.invalidate(this.writeBlock[e.write]!, e.serviceBitmap & ~e.receivedBitmap);
  }

  private linkUp(i: number, j: number): boolean {
    return ((this.linksDown >> (i * this.S + j)) & 1) === 0;
  }

  private loseInFlight(i: number, j: number): void {
    this.links[i * this.S + j] = [];
    this.syncs[i * this.S + j] = [];
  }

  private faultAllowed(kind: string): void {
    if (this.site !== 'running' || this.group !== 'replicating') throw new Refused('a fault strikes only a running, replicating system');
    if ((this.faultsUsed[kind] ?? 0) >= (this.faultBound[kind] ?? 0)) throw new Refused(`no ${kind} left in the configuration`);
  }

  private countFault(kind: string): void {
    this.faultsUsed[kind] = (this.faultsUsed[kind] ?? 0) + 1;
  }

  private bugActed(what: string): void {
    if (this.bugNote === null) this.bugNote = `bug ${this.bug} acted: ${what}`;
  }

  // ---- hosts and primary devices (Fig 3, Fig 10) ----

  hostIssue(chain: number): void {
    const ids = this.chains[chain];
    if (!ids) throw new Refused(`no chain ${chain}`);
    let w = -1;
    for (let k = 0; k < ids.length; k++) {
      if (this.status[ids[k]!] === 0) {
        if (k > 0 && this.status[ids[k - 1]!] !== 2) throw new Refused(`chain ${chain} waits for the acknowledgement of write ${ids[k - 1]}`);
        w = ids[k]!;
        break;
      }
    }
    if (w < 0) throw new Refused(`chain ${chain} has no write left`);
    this.running();
    const tm = this.timer;
    if (tm && tm.lastAck >= 0 && tm.t < tm.lastAck + tm.gap) throw new Refused(`the host waits ${tm.gap} ticks after an acknowledgement (tick ${tm.t}, last at ${tm.lastAck})`);
    const dev = this.writeDevice[w]!;
    this.primaryDevices[this.writeBlock[w]!] = w;
    this.status[w] = 1;
    if (this.group !== 'replicating') this.bypass(w);
    else this.deviceWaiting[dev]!.push(w); // step 186: the write command goes to the blade
  }

  private stamp(i: number, w: number): void {
    const b = this.blades[i]!;
    b.journal.push(new JournalEntry(w, b.curSlotNo, null, b.serviceBitmap, 0, 0, b.nextSerial));
    b.nextSerial++;
    b.curSlotCnt += bitCount(b.serviceBitmap);
    this.stampedWith[w] = b.curSlotNo;
  }

  /** The oldest write command of device i reaches its blade: stamped if the journal has room (step 188). */
  bladeStamp(i: number): void {
    const q = this.deviceWaiting[i];
    if (!q || q.length === 0) throw new Refused(`device ${i} has no write command on its way`);
    this.running();
    if ((this.failedBlades >> i) & 1) throw new Refused(`blade ${i} has failed`);
    if (this.blades[i]!.dataRecords() < this.capacity) {
      this.stamp(i, q.shift()!);
    } else if (this.clearOnOverflow) {
      const w = q.shift()!;
      this.invalidateJournal(i);
      this.blades[i]!.journal = [];
      this.trigger();
      this.bypass(w);
    } else throw new Refused(`blade ${i}'s journal is full`);
  }

  /** Blade i says "transfer ready" for every write whose number moved on (the timer does not wait). */
  transferReady(i: number): void {
    const b = this.blades[i];
    if (!b) throw new Refused(`no primary blade ${i}`);
    this.running();
    if ((this.failedBlades >> i) & 1) throw new Refused(`blade ${i} has failed`);
    let told = 0;
    for (const e of b.journal) {
      if (e.write < 0 || e.transferReady) continue;
      if (this.timer || b.curSlotNo > e.sequenceNo) {
        e.transferReady = true;
        told++;
      } else if (this.bug === 'ack-early') {
        e.transferReady = true;
        told++;
        this.bugActed(`transfer ready for write ${e.write} while its number ${e.sequenceNo} is still current`);
      }
    }
    if (told === 0) throw new Refused(`blade ${i} has no write whose number moved on to say transfer ready for`);
  }

  /** The device sends the data of its oldest write told "transfer ready"; the blade sends it on if its number is closed. */
  dataTransfer(i: number): void {
    const b = this.blades[i];
    if (!b) throw new Refused(`no primary blade ${i}`);
    this.running();
    if ((this.failedBlades >> i) & 1) throw new Refused(`blade ${i} has failed`);
    const e = b.journal.find((x) => x.transferReady && !x.hasData);
    if (!e) throw new Refused(`device ${i} has no data its blade is ready for`);
    e.hasData = true;
    this.transmit(i);
  }

  hostAck(chain: number): void {
    const ids = this.chains[chain];
    if (!ids) throw new Refused(`no chain ${chain}`);
    let w = -1;
    for (const id of ids) if (this.status[id] === 1) w = id;
    if (w < 0) throw new Refused(`chain ${chain} has no outstanding write`);
    this.running();
    const dev = this.writeDevice[w]!;
    if (this.deviceWaiting[dev]!.includes(w)) throw new Refused(`write ${w} is not journaled yet`);
    // No record left: synchronised everywhere, or dropped with its track invalidated; the device does not wait.
    const e = this.blades[dev]!.journal.find((x) => x.write === w);
    if (e && !e.transferReady) throw new Refused(`blade ${dev} has not said transfer ready for write ${w}`);
    if (e && this.synchronous) throw new Refused(`synchronous: write ${w} is not yet held by every secondary`);
    if (this.timer) this.timer.lastAck = this.timer.t;
    this.status[w] = 2;
  }

  // ---- the primary shuttle (Fig 19A/19B) ----

  /**
   * The timer's tick (period 1: every blade's counter moves on each tick). It ticks only while
   * it has work: a write not yet acknowledged, a blade still on a number some write was
   * stamped with, or a blade that closed a number another has not.
   */
  tick(): void {
    const tm = this.timer;
    if (!tm) throw new Refused('there is no timer: the sequencer is a shuttle');
    this.running();
    let work = false;
    let maxStamped = -1;
    for (let w = 0; w < this.status.length; w++) {
      if (this.status[w] !== 2) work = true;
      maxStamped = Math.max(maxStamped, this.stampedWith[w]!);
    }
    let maxClosed = 0;
    let minCur = Infinity;
    for (const b of this.blades) {
      if (b.curSlotNo <= maxStamped) work = true;
      maxClosed = Math.max(maxClosed, b.sequenceNo);
      minCur = Math.min(minCur, b.curSlotNo);
    }
    for (const q of this.deviceWaiting) if (q.length > 0) work = true;
    if (!work && maxClosed < minCur) throw new Refused('the clock has no work: every number holding data is closed everywhere');
    tm.t++;
    for (let i = 0; i < this.P; i++) {
      const b = this.blades[i]!;
      const counter = 1 + tm.t; // 1 + floor((t + phase) / period), phase 0, period 1
      if (counter === b.curSlotNo) continue;
      b.sequenceNo = b.curSlotNo; // the counter moved past the number: it closes with this blade's own count
      b.totalWrites = b.curSlotCnt;
      b.close(b.sequenceNo, b.totalWrites);
      if (b.curSlotCnt === 0) b.journal.push(new JournalEntry(-1, b.sequenceNo, 0, b.serviceBitmap, 0, 0, -1)); // empty-number marker
      b.curSlotNo = counter;
      b.curSlotCnt = 0;
      this.transmit(i);
    }
  }

  shuttleArrive(shuttle: number, blade: number): void {
    if (this.timer) throw new Refused('there is no shuttle: the sequencer is the timer');
    if (shuttle !== 0) throw new Refused(`there is one shuttle, not #${shuttle}`);
    if (this.shuttle.at !== blade) throw new Refused(`the shuttle is heading to blade ${this.shuttle.at}, not ${blade}`);
    let open = false;
    for (const b of this.blades) for (const e of b.journal) if (e.write >= 0 && e.totalWrites === null) open = true;
    if (!open) throw new Refused('no record is waiting for its total: the shuttle rests');
    this.running();
    const sh = this.shuttle;
    if ((this.failedBlades >> blade) & 1) {
      sh.at = (blade + 1) % this.P; // a failed blade is skipped
      return;
    }
    const b = this.blades[blade]!;
    const hasData = this.ring ? blade === this.designated : b.curSlotCnt > 0; // step 388
    if (b.curSlotNo === sh.shSlotNo) {
      b.sequenceNo = sh.oldSlotNo; // 382
      b.totalWrites = sh.oldSlotCnt; // 384
      b.close(b.sequenceNo, b.totalWrites); // 386
      if (!hasData) this.markerOnEveryClose(b, blade);
      if (hasData) {
        const empty = b.sequenceNo > this.sequenceBase && b.totalWrites === 0; // the number just closed had no data
        if (this.ring && this.bug === 'ring-no-marker') {
          if (empty) this.bugActed(`no marker journaled for empty number ${b.sequenceNo}`);
        } else if (this.ring && this.bug === 'ring-marker-own-number') {
          // reads "the number closed" as the blade's own current number, "empty" as its own count
          if (empty || b.curSlotCnt === 0) this.bugActed(`marker for ${b.curSlotCnt === 0 ? b.curSlotNo : 'nothing'} instead of ${empty ? b.sequenceNo : 'nothing'}`);
          if (b.curSlotCnt === 0) b.journal.push(new JournalEntry(-1, b.curSlotNo, 0, b.serviceBitmap, 0, 0, -1));
        } else if (empty) {
          b.journal.push(new JournalEntry(-1, b.sequenceNo, 0, b.serviceBitmap, 0, 0, -1)); // empty-number marker
        }
        sh.oldSlotNo = b.curSlotNo; // 402
        sh.oldSlotCnt = b.curSlotCnt; // 404
        b.curSlotNo = b.curSlotNo + 1; // 406
        b.curSlotCnt = 0; // 408
        sh.shSlotNo = b.curSlotNo; // 412
        sh.wkSlotNo = b.sequenceNo; // 414
        sh.wkSlotCnt = b.totalWrites; // 416
      }
    } else if (b.curSlotNo === sh.oldSlotNo) {
      b.sequenceNo = sh.wkSlotNo; // 362
      b.totalWrites = sh.wkSlotCnt; // 364
      b.close(b.sequenceNo, b.totalWrites); // 366
      this.markerOnEveryClose(b, blade);
      if (this.bug === 'skip-oldslotcnt' && b.curSlotCnt > 0) {
        this.bugActed(`step 368 skipped: OLDSLOTCNT misses blade ${blade}'s ${b.curSlotCnt}`);
      } else {
        sh.oldSlotCnt += b.curSlotCnt; // 368
      }
      b.curSlotCnt = 0; // 372
      b.curSlotNo = sh.shSlotNo; // 374
    } else {
      throw new Refused('step 358: the blade is on neither SHSLOTNO nor OLDSLOTNO');
    }
    this.transmit(blade);
    sh.at = (blade + 1) % this.P;
  }

  /** Bug ring-marker-every-close: a blade that closes an empty number without incrementing journals a marker too. */
  private markerOnEveryClose(b: PrimaryBlade, blade: number): void {
    if (!this.ring || this.bug !== 'ring-marker-every-close' || b.sequenceNo < 1 || b.totalWrites !== 0) return;
    if (b.journal.some((e) => e.write < 0 && e.sequenceNo === b.sequenceNo)) return;
    this.bugActed(`blade ${blade} journaled a marker for empty number ${b.sequenceNo} without incrementing`);
    b.journal.push(new JournalEntry(-1, b.sequenceNo, 0, b.serviceBitmap, 0, 0, -1));
  }

  /** Steps 366/386: send every closed record not yet sent, oldest first; set the sent bit. */
  private transmit(i: number): void {
    const b = this.blades[i]!;
    if ((this.failedBlades >> i) & 1) return;
    if (this.recoveryPending && ((this.resent >> i) & 1) === 0) return; // held until the blade resends (step 306)
    for (let j = 0; j < this.S; j++) {
      if (!this.linkUp(i, j)) continue; // sent by the recovery
      const bit = 1 << j;
      let k = 0;
      while (k < b.journal.length) {
        const e = b.journal[k]!;
        if (e.totalWrites === null || !e.hasData || (e.serviceBitmap & bit) === 0 || (e.sentBitmap & bit) !== 0) {
          k++;
          continue;
        }
        e.sentBitmap |= bit;
        const msg: WireRecord = { write: e.write, seq: e.sequenceNo, total: e.totalWrites, from: i, serial: e.serial };
        const link = this.links[i * this.S + j]!;
        if (this.fifo) link.push(msg);
        else insertInOrder(link, msg);
        if (this.bug === 'delete-early' && e.sentBitmap === e.serviceBitmap) {
          this.bugActed(`journal entry of write ${e.write} (number ${e.sequenceNo}) deleted once sent`);
          b.journal.splice(k, 1);
          continue;
        }
        k++;
      }
    }
  }

  // ---- the network ----

  private pick<T>(list: T[] | undefined, index: number, what: string): T {
    if (!list) throw new Refused(`no such ${what} link`);
    const deliverable = this.fifo ? Math.min(1, list.length) : list.length;
    if (index < 0 || index >= deliverable) throw new Refused(`${what} #${index} cannot be delivered (${list.length} in flight)`);
    return list.splice(index, 1)[0]!;
  }

  deliver(from: number, to: number, index: number): void {
    if (to < 0 || to >= this.S || from < 0 || from >= this.P) throw new Refused('no such link');
    if (this.site === 'failed-over' || this.site === 'rolled-back') throw new Refused(`the primary site is ${this.site}`);
    const msg = this.pick(this.links[from * this.S + to], index, 'record');
    insertInOrder(this.secondaries[to]!.sgList, msg); // Fig 15 step 262
  }

  syncDeliver(from: number, to: number, index: number): void {
    if (from < 0 || from >= this.S || to < 0 || to >= this.P) throw new Refused('no such link');
    const list = this.syncs[to * this.S + from];
    if (list && index >= 0 && index < (this.fifo ? Math.min(1, list.length) : list.length)) this.running();
    const sync = this.pick(list, index, 'sync');
    if ((this.failedBlades >> to) & 1) return; // a failed blade hears nothing
    const b = this.blades[to]!;
    const bit = 1 << from;
    for (const e of b.journal) if (e.sequenceNo === sync.seq && (e.serviceBitmap & bit) !== 0) e.receivedBitmap |= bit;
    const kept: JournalEntry[] = [];
    for (const e of b.journal) if (e.receivedBitmap !== e.serviceBitmap) kept.push(e);
    b.journal = kept; // Fig 15 step 280: fully received entries are deleted
  }

  // ---- the secondary site (Fig 15) ----

  private complete(n: number, ignoreTotals: boolean): boolean {
    if (this.timer) {
      // Timer totals are per primary blade: each must have sent a record or marker of n, and all its records.
      const totals = new Array<number>(this.P).fill(-1);
      const counts = new Array<number>(this.P).fill(0);
      let seen = false;
      for (const s of this.secondaries) {
        for (const r of s.sgList) {
          if (r.seq !== n) continue;
          seen = true;
          totals[r.from] = r.total;
          if (r.write >= 0) counts[r.from]!++;
        }
      }
      if (ignoreTotals) return seen;
      for (let i = 0; i < this.P; i++) if (totals[i]! < 0 || totals[i] !== counts[i]) return false;
      return true;
    }
    let total = -1;
    let count = 0;
    for (const s of this.secondaries) {
      for (const r of s.sgList) {
        if (r.seq !== n) continue;
        total = r.total;
        if (r.write >= 0) count++;
      }
    }
    return total >= 0 && (ignoreTotals || count === total);
  }

  /** The number the next pass carries, or -1. */
  private nextNumber(): number {
    const n = this.secShuttle.seqNo + 1;
    const right = this.complete(n, false) && !this.heldBack(n) ? n : -1;
    if (this.bug === 'apply-incomplete') {
      const wrong = this.complete(n, true) ? n : -1;
      if (wrong !== right) this.bugActed(`number ${n} staged without all its records`);
      return wrong;
    }
    if (this.bug === 'apply-out-of-order') {
      let best = -1;
      for (const s of this.secondaries) {
        for (const r of s.sgList) if (r.seq >= n && (best < 0 || r.seq < best) && this.complete(r.seq, false)) best = r.seq;
      }
      if (best !== right) this.bugActed(`number ${best} staged before ${n}`);
      return best;
    }
    return right;
  }

  /** Delayed apply: n waits until the next `delay` numbers are complete too, or the primary is quiet. */
  private heldBack(n: number): boolean {
    if (this.delay === 0) return false;
    let newer = true;
    for (let m = n + 1; m <= n + this.delay; m++) if (!this.complete(m, false)) newer = false;
    if (newer) return false;
    const quiet = this.status.every((st) => st === 2) && this.blades.every((b) => b.journal.every((e) => e.totalWrites !== null));
    return !quiet;
  }

  secShuttleArrive(blade: number): void {
    const ss = this.secShuttle;
    if (ss.at !== blade) throw new Refused(`the secondary shuttle is heading to blade ${ss.at}, not ${blade}`);
    if (this.recoveryPending) throw new Refused('a recovery is pending: the secondary site waits');
    if (this.site === 'failed-over' || this.site === 'rolled-back') throw new Refused(`the primary site is ${this.site}`);
    if (this.failedOver !== 0) throw new Refused('the secondary site is failing over');
    const b = this.secondaries[blade]!;
    if (b.transferNo !== 0) throw new Refused(`blade ${blade} is still transferring ${b.transferNo}`);
    let mode = ss.mode;
    let seqNo = ss.seqNo;
    if (mode === 0) {
      const n = this.nextNumber();
      if (n >= 0) {
        mode = 1;
        seqNo = n;
      } else {
        let initiated = false;
        for (const s of this.secondaries) if (s.initiatedNo === seqNo) initiated = true;
        if (seqNo === 0 || !initiated) throw new Refused('nothing to stage or commit: the secondary shuttle rests');
        mode = 2;
      }
    }
    if (mode === 1) {
      if (b.initiatedNo !== 0) this.beginTransfer(blade, b.initiatedNo); // 274-278 for N-1
      b.initiatedNo = seqNo; // 268-270
    } else if (b.initiatedNo !== 0) {
      this.beginTransfer(blade, b.initiatedNo); // commit-only pass
      b.initiatedNo = 0;
    }
    if (blade + 1 === this.S) this.secShuttle = { at: 0, seqNo, mode: 0 };
    else this.secShuttle = { at: blade + 1, seqNo, mode };
  }

  private beginTransfer(j: number, n: number): void {
    const b = this.secondaries[j]!;
    let senders = 0;
    const kept: WireRecord[] = [];
    for (const r of b.sgList) {
      if (r.seq === n) senders |= 1 << r.from;
      if (!(r.seq === n && r.write < 0)) kept.push(r); // markers carry no data
    }
    b.sgList = kept;
    b.transferNo = n;
    b.syncTo = senders;
    this.finishIfDone(j);
  }

  private finishIfDone(j: number): void {
    const b = this.secondaries[j]!;
    if (b.transferNo === 0) return;
    for (const r of b.sgList) if (r.seq === b.transferNo) return;
    b.appliedNo = b.transferNo;
    for (let i = 0; i < this.P; i++) {
      if (((b.syncTo >> i) & 1) === 0 || !this.linkUp(i, j)) continue; // a sync on a down link is lost
      const link = this.syncs[i * this.S + j]!;
      if (this.fifo) link.push({ seq: b.transferNo });
      else {
        let k = link.length;
        while (k > 0 && link[k - 1]!.seq > b.transferNo) k--;
        link.splice(k, 0, { seq: b.transferNo });
      }
    }
    b.transferNo = 0;
    b.syncTo = 0;
  }

  secTransfer(blade: number): void {
    const b = this.secondaries[blade];
    if (!b) throw new Refused(`no secondary blade ${blade}`);
    if (b.transferNo === 0) throw new Refused(`blade ${blade} is not transferring`);
    if (this.site === 'failed-over' || this.site === 'rolled-back') throw new Refused(`the primary site is ${this.site}`);
    let k = -1;
    for (let x = 0; x < b.sgList.length; x++) {
      const r = b.sgList[x]!;
      if (r.seq !== b.transferNo) continue;
      const best = k < 0 ? null : b.sgList[k]!;
      if (best === null || r.from < best.from || (r.from === best.from && r.serial < best.serial)) k = x;
    }
    if (k < 0) throw new Refused(`blade ${blade} holds no data of ${b.transferNo}`);
    const r = b.sgList[k]!;
    b.device[this.writeBlock[r.write]!] = r.write;
    b.sgList.splice(k, 1);
    this.finishIfDone(blade);
  }

  // ---- faults and recovery (traces/DRIVER.md section 2.3) ----

  private reached(s: SecondaryBlade): number {
    return Math.max(s.appliedNo, s.transferNo, s.initiatedNo);
  }

  /** U: the highest number every secondary blade initiated (or is transferring, or applied). */
  private committedEverywhere(): number {
    let u = Infinity;
    for (const s of this.secondaries) u = Math.min(u, this.reached(s));
    return u;
  }

  private static recordOrder(a: WireRecord, b: WireRecord): number {
    return a.seq - b.seq || a.from - b.from || a.serial - b.serial;
  }

  /** Secondary j's device with its SG-list's records above appliedNo and up to `upTo` written over it. */
  private imageOf(s: SecondaryBlade, upTo: number): number[] {
    const dev = [...s.device];
    const pending = s.sgList.filter((r) => r.write >= 0 && r.seq <= upTo && r.seq > s.appliedNo).sort(ReplicationSystem.recordOrder);
    for (const r of pending) dev[this.writeBlock[r.write]!] = r.write;
    return dev;
  }

  /** Step 1 of Recover and Repair: every secondary completes what every secondary initiated. */
  private completeUpTo(upTo: number): void {
    for (const s of this.secondaries) this.completeAt(s, upTo);
  }

  private completeAt(s: SecondaryBlade, upTo: number): void {
    s.device = this.imageOf(s, upTo);
    s.sgList = s.sgList.filter((r) => r.seq > upTo);
    s.appliedNo = Math.max(s.appliedNo, upTo);
    s.initiatedNo = 0;
    s.transferNo = 0;
    s.syncTo = 0;
  }

  /** Blade i's records sent to j and not synchronised by j, by (number, serial). */
  private unsynced(i: number, j: number): JournalEntry[] {
    const bit = 1 << j;
    const applied = this.secondaries[j]!.appliedNo;
    return this.blades[i]!.journal
      .filter((e) => (e.serviceBitmap & bit) !== 0 && (e.sentBitmap & bit) !== 0 && (e.receivedBitmap & bit) === 0 && e.sequenceNo > applied)
      .sort((a, b) => a.sequenceNo - b.sequenceNo || a.serial - b.serial);
  }

  private holds(j: number, i: number, e: JournalEntry): boolean {
    return this.secondaries[j]!.sgList.some((m) => m.from === i && m.serial === e.serial && m.seq === e.sequenceNo && m.write === e.write);
  }

  private heldPrefix(list: JournalEntry[], i: number, j: number): number {
    let k = 0;
    while (k < list.length && this.holds(j, i, list[k]!)) k++;
    return k;
  }

  private emptyLinks(): void {
    for (let k = 0; k < this.links.length; k++) {
      this.links[k] = [];
      this.syncs[k] = [];
    }
  }

  linkDown(i: number, j: number): void {
    this.faultAllowed('linkDown');
    if (i < 0 || i >= this.P || j < 0 || j >= this.S || ((this.blades[i]!.serviceBitmap >> j) & 1) === 0) throw new Refused('no such link');
    if (!this.linkUp(i, j)) throw new Refused('the link is already down');
    this.countFault('linkDown');
    this.loseInFlight(i, j);
    this.linksDown |= 1 << (i * this.S + j);
    this.troubleStartsRecovery();
  }

  linkUpAgain(i: number, j: number): void {
    if (i < 0 || i >= this.P || j < 0 || j >= this.S || this.linkUp(i, j)) throw new Refused('the link is not down');
    this.running();
    this.linksDown &= ~(1 << (i * this.S + j));
  }

  /** A pending recovery waits for every link, a replicating group and a running site. */
  private recoveryReady(): void {
    if (!this.recoveryPending) throw new Refused('no recovery is pending');
    if (this.linksDown !== 0 || this.group !== 'replicating' || this.site !== 'running') throw new Refused('recovery waits for every link, a replicating group and a running site');
  }

  /** A link failure or a restart: a recovery is pending, and one under way starts over. */
  private troubleStartsRecovery(): void {
    this.recoveryPending = true;
    this.secRecovered = 0;
    this.resent = 0;
  }

  /** Secondary blade j's step 302: complete what every secondary initiated, drop its unsynchronised entries, forget what was in flight to and from it. */
  secRecover(j: number): void {
    this.recoveryReady();
    const sec = this.secondaries[j];
    if (!sec) throw new Refused(`no secondary blade ${j}`);
    if ((this.secRecovered >> j) & 1) throw new Refused(`secondary blade ${j} already took its recovery step`);
    const upTo = this.committedEverywhere();
    this.completeAt(sec, upTo);
    // Fig 16 drops every entry; Fig 17 keeps, per sender, the held prefix of its unsynchronised records.
    const keep: WireRecord[] = [];
    if (this.fig17) {
      for (let i = 0; i < this.P; i++) {
        const list = this.unsynced(i, j);
        const prefix = list.slice(0, this.heldPrefix(list, i, j));
        for (const m of sec.sgList) {
          if (m.from === i && prefix.some((e) => m.serial === e.serial && m.seq === e.sequenceNo && m.write === e.write)) keep.push(m);
        }
      }
    }
    sec.sgList = keep.sort(ReplicationSystem.recordOrder);
    for (let i = 0; i < this.P; i++) this.loseInFlight(i, j);
    this.secRecovered |= 1 << j;
    if (this.secRecovered === (1 << this.S) - 1) this.secShuttle = { at: 0, seqNo: upTo, mode: 0 };
  }

  /** Primary blade i's steps 304-306, once every secondary took step 302: announcements, then resend from the earliest entry each secondary lacks. */
  resend(i: number): void {
    this.recoveryReady();
    const b = this.blades[i];
    if (!b) throw new Refused(`no primary blade ${i}`);
    if (this.secRecovered !== (1 << this.S) - 1) throw new Refused('the secondaries have not all dropped their unsynchronised entries (step 302)');
    if ((this.resent >> i) & 1 || (this.failedBlades >> i) & 1) throw new Refused(`primary blade ${i} has nothing to resend in this recovery`);
    for (const e of b.journal) {
      for (let j = 0; j < this.S; j++) if ((e.serviceBitmap >> j) & 1 && this.secondaries[j]!.appliedNo >= e.sequenceNo) e.receivedBitmap |= 1 << j;
    }
    b.journal = b.journal.filter((e) => e.receivedBitmap !== e.serviceBitmap);
    for (let j = 0; j < this.S; j++) {
      if (((b.serviceBitmap >> j) & 1) === 0) continue;
      const list = this.unsynced(i, j);
      for (const e of list.slice(this.heldPrefix(list, i, j))) e.sentBitmap &= ~(1 << j);
    }
    this.resent |= 1 << i;
    this.transmit(i); // step 306
    if ((this.resent | this.failedBlades) === (1 << this.P) - 1) {
      this.recoveryPending = false;
      this.secRecovered = 0;
      this.resent = 0;
    }
  }

  deviceLinkFail(i: number): void {
    this.faultAllowed('deviceLinkFail');
    if (i < 0 || i >= this.P) throw new Refused(`no device ${i}`);
    this.countFault('deviceLinkFail');
    this.trigger();
  }

  bladeRestart(side: string, k: number): void {
    this.faultAllowed('bladeRestart');
    if (side === 'primary') {
      if (k < 0 || k >= this.P || (this.failedBlades >> k) & 1) throw new Refused(`no working primary blade ${k}`);
      this.countFault('bladeRestart');
      for (let j = 0; j < this.S; j++) this.loseInFlight(k, j);
      if (!this.volatile) {
        this.troubleStartsRecovery();
        return;
      }
      this.invalidateJournal(k);
      this.blades[k]!.journal = [];
      this.trigger();
      return;
    }
    if (side !== 'secondary' || k < 0 || k >= this.S) throw new Refused(`no ${side} blade ${k}`);
    this.countFault('bladeRestart');
    for (let i = 0; i < this.P; i++) this.loseInFlight(i, k);
    const s = this.secondaries[k]!;
    if (this.volatile) {
      const kept = this.reached(s);
      s.sgList = s.sgList.filter((r) => r.seq <= kept);
    }
    this.troubleStartsRecovery();
  }

  bladeFail(i: number): void {
    this.faultAllowed('bladeFail');
    if (i < 0 || i >= this.P || (this.failedBlades >> i) & 1) throw new Refused(`no working primary blade ${i}`);
    const b = this.blades[i]!;
    if (b.curSlotCnt !== 0 || b.journal.some((e) => e.totalWrites === null || !e.hasData) || this.deviceWaiting[i]!.length > 0) {
      throw new Refused(`blade ${i} is between numbers only when nothing is open in it or waiting for it`);
    }
    this.countFault('bladeFail');
    this.failedBlades |= 1 << i;
    this.trigger();
  }

  repair(): void {
    if (this.group !== 'triggered' || this.linksDown !== 0 || this.failedBlades !== 0 || this.site !== 'running') throw new Refused('nothing to repair, or not yet');
    this.completeUpTo(this.committedEverywhere());
    for (const b of this.blades) {
      for (const e of b.journal) {
        if (e.write < 0) continue;
        let lacking = 0;
        for (let j = 0; j < this.S; j++) {
          if ((e.serviceBitmap >> j) & 1 && !((e.receivedBitmap >> j) & 1) && this.secondaries[j]!.appliedNo < e.sequenceNo) lacking |= 1 << j;
        }
        this.invalidate(this.writeBlock[e.write]!, lacking);
      }
    }
    let highest = this.timer ? 0 : this.shuttle.shSlotNo;
    for (const b of this.blades) highest = Math.max(highest, b.curSlotNo);
    const fresh = highest + 2;
    for (const b of this.blades) {
      b.journal = [];
      b.curSlotNo = fresh;
      b.curSlotCnt = 0;
    }
    this.emptyLinks();
    if (!this.timer) Object.assign(this.shuttle, { shSlotNo: fresh, oldSlotNo: fresh - 1, oldSlotCnt: 0, wkSlotNo: 0, wkSlotCnt: 0 });
    for (const s of this.secondaries) {
      s.sgList = [];
      s.initiatedNo = 0;
      s.transferNo = 0;
      s.appliedNo = fresh - 1;
      s.syncTo = 0;
    }
    this.secShuttle = { at: 0, seqNo: fresh - 1, mode: 0 };
    this.sequenceBase = fresh - 1;
    this.recoveryPending = false;
    this.secRecovered = 0;
    this.resent = 0;
    this.group = this.invalidTracks.some((m) => m !== 0) ? 'resyncing' : 'replicating';
  }

  copyTrack(j: number, g: number): void {
    if (this.group !== 'resyncing' || this.site !== 'running' || j < 0 || j >= this.S || !((this.invalidTracks[j]! >> g) & 1)) throw new Refused(`track ${g} is not being copied to ${j}`);
    this.secondaries[j]!.device[g] = this.primaryDevices[g]!;
    this.invalidTracks[j]! &= ~(1 << g);
    if (this.invalidTracks.every((m) => m === 0)) this.group = 'replicating';
  }

  disaster(): void {
    if (!this.faultBound.disaster || this.site !== 'running') throw new Refused('no disaster here');
    this.site = 'stopped';
  }

  /** Secondary blade j's step of the secondary site's recovery; the last one restarts the host there. */
  failover(j: number): void {
    if (this.site !== 'stopped') throw new Refused('failover follows a disaster');
    const s = this.secondaries[j];
    if (!s) throw new Refused(`no secondary blade ${j}`);
    if ((this.failedOver >> j) & 1) throw new Refused(`secondary blade ${j} already failed over`);
    this.completeAt(s, this.committedEverywhere());
    s.sgList = [];
    for (let i = 0; i < this.P; i++) this.loseInFlight(i, j);
    this.failedOver |= 1 << j;
    if (this.failedOver === (1 << this.S) - 1) this.site = 'failed-over';
  }

  haltAndRestore(): void {
    if (!this.rollback || this.site !== 'running' || this.group !== 'replicating') throw new Refused('no rollback here');
    const upTo = this.committedEverywhere();
    const images = this.secondaries.map((s) => this.imageOf(s, upTo));
    this.restoredPrimary = this.primaryDevices.map((_, g) => {
      let j = 0;
      while (((this.holders(g) >> j) & 1) === 0) j++;
      return images[j]![g]!;
    });
    this.site = 'rolled-back';
  }

  // ---- the observable state (traces/DRIVER.md) ----

  observe(): Json {
    const wire = (r: WireRecord) => ({ write: r.write, seq: r.seq, total: r.total, from: r.from });
    return {
      writes: this.status.map((status) => ({ status })),
      primaryDevices: [...this.primaryDevices],
      deviceWaiting: this.deviceWaiting.map((q) => [...q]),
      primaryBlades: this.blades.map((b) => ({
        curSlotNo: b.curSlotNo,
        curSlotCnt: b.curSlotCnt,
        sequenceNo: b.sequenceNo,
        totalWrites: b.totalWrites,
        journal: b.journal.map((e) => ({
          write: e.write,
          sequenceNo: e.sequenceNo,
          totalWrites: e.totalWrites,
          serviceBitmap: e.serviceBitmap,
          sentBitmap: e.sentBitmap,
          receivedBitmap: e.receivedBitmap,
          transferReady: e.transferReady,
          hasData: e.hasData,
        })),
      })),
      shuttles: this.timer ? [] : [{ ...this.shuttle }],
      clock: this.timer ? { t: this.timer.t } : null,
      links: this.links.map((l) => l.map(wire)),
      syncs: this.syncs.map((l) => l.map((m) => ({ seq: m.seq }))),
      secondaryBlades: this.secondaries.map((s) => ({
        journal: s.sgList.map(wire),
        initiatedNo: s.initiatedNo,
        transferNo: s.transferNo,
        appliedNo: s.appliedNo,
        device: [...s.device],
      })),
      secondaryShuttle: { ...this.secShuttle },
      site: this.site,
      group: this.group,
      linksDown: this.linksDown,
      invalidTracks: [...this.invalidTracks],
      failedBlades: this.failedBlades,
      restoredPrimary: this.restoredPrimary ? [...this.restoredPrimary] : null,
    };
  }

  apply(name: string, f: Json): void {
    const n = (k: string): number => {
      const v = f?.[k];
      if (typeof v !== 'number' || !Number.isInteger(v)) throw new Refused(`field "${k}" must be an integer`);
      return v;
    };
    switch (name) {
      case 'HostIssue':
        return this.hostIssue(n('chain'));
      case 'BladeStamp':
        return this.bladeStamp(n('blade'));
      case 'TransferReady':
        return this.transferReady(n('blade'));
      case 'DataTransfer':
        return this.dataTransfer(n('blade'));
      case 'HostAck':
        return this.hostAck(n('chain'));
      case 'ShuttleArrive':
        return this.shuttleArrive(n('shuttle'), n('blade'));
      case 'Tick':
        return this.tick();
      case 'Deliver':
        return this.deliver(n('from'), n('to'), n('index'));
      case 'SecShuttleArrive':
        return this.secShuttleArrive(n('blade'));
      case 'SecTransfer':
        return this.secTransfer(n('blade'));
      case 'SyncDeliver':
        return this.syncDeliver(n('from'), n('to'), n('index'));
      case 'LinkDown':
        return this.linkDown(n('from'), n('to'));
      case 'LinkUp':
        return this.linkUpAgain(n('from'), n('to'));
      case 'SecRecover':
        return this.secRecover(n('blade'));
      case 'Resend':
        return this.resend(n('blade'));
      case 'DeviceLinkFail':
        return this.deviceLinkFail(n('device'));
      case 'Repair':
        return this.repair();
      case 'CopyTrack':
        return this.copyTrack(n('secondary'), n('block'));
      case 'BladeRestart':
        return this.bladeRestart(String(f?.side), n('blade'));
      case 'BladeFail':
        return this.bladeFail(n('blade'));
      case 'Disaster':
        return this.disaster();
      case 'Failover':
        return this.failover(n('blade'));
      case 'HaltAndRestore':
        return this.haltAndRestore();
      default:
        throw new Unsupported(`action "${name}" is not supported by this implementation`);
    }
  }

  // ---- the actions a self-driven run chooses from (--walk) ----

  /** Every action this configuration could take now, enabled or not, in a fixed order. */
  candidates(): { name: string; fields: Json }[] {
    const out: { name: string; fields: Json }[] = [];
    const add = (name: string, fields: Json = {}) => out.push({ name, fields });
    for (let c = 0; c < this.chains.length; c++) add('HostIssue', { chain: c });
    for (let i = 0; i < this.P; i++) {
      add('BladeStamp', { blade: i });
      add('TransferReady', { blade: i });
      add('DataTransfer', { blade: i });
    }
    for (let c = 0; c < this.chains.length; c++) add('HostAck', { chain: c });
    if (this.timer) add('Tick');
    else for (let i = 0; i < this.P; i++) add('ShuttleArrive', { shuttle: 0, blade: i });
    for (let i = 0; i < this.P; i++) {
      for (let j = 0; j < this.S; j++) {
        for (let k = 0; k < this.links[i * this.S + j]!.length; k++) add('Deliver', { from: i, to: j, index: k });
        for (let k = 0; k < this.syncs[i * this.S + j]!.length; k++) add('SyncDeliver', { from: j, to: i, index: k });
      }
    }
    for (let j = 0; j < this.S; j++) add('SecShuttleArrive', { blade: j });
    for (let j = 0; j < this.S; j++) add('SecTransfer', { blade: j });
    const can = (kind: string) => (this.faultBound[kind] ?? 0) > 0;
    if (can('linkDown')) {
      for (let i = 0; i < this.P; i++) for (let j = 0; j < this.S; j++) add('LinkDown', { from: i, to: j });
      for (let i = 0; i < this.P; i++) for (let j = 0; j < this.S; j++) add('LinkUp', { from: i, to: j });
    }
    for (let j = 0; j < this.S; j++) add('SecRecover', { blade: j });
    for (let i = 0; i < this.P; i++) add('Resend', { blade: i });
    if (can('deviceLinkFail')) for (let i = 0; i < this.P; i++) add('DeviceLinkFail', { device: i });
    add('Repair');
    for (let j = 0; j < this.S; j++) for (let g = 0; g < this.P * this.B; g++) add('CopyTrack', { secondary: j, block: g });
    if (can('bladeRestart')) {
      for (let i = 0; i < this.P; i++) add('BladeRestart', { side: 'primary', blade: i });
      for (let j = 0; j < this.S; j++) add('BladeRestart', { side: 'secondary', blade: j });
    }
    if (can('bladeFail')) for (let i = 0; i < this.P; i++) add('BladeFail', { blade: i });
    if (can('disaster')) add('Disaster');
    for (let j = 0; j < this.S; j++) add('Failover', { blade: j });
    if (this.rollback) add('HaltAndRestore');
    return out;
  }
}

// ---- its own log (--log DIR): what it saw and did, as traces/DRIVER.md section 9 describes ----

/** What one run logs: the configuration, then per step the action and the state after it. */
interface RunLog {
  config: Json;
  entries: { action: { name: string; fields: Json } | null; state: Json; note: string | null }[];
}

interface LogOptions {
  dir: string;
  /** The state fields logged (null: every field the state has). */
  vars: string[] | null;
  /** Log one step in this many; the steps between are hidden (counted on the next logged state). */
  every: number;
  /** Log no action: every step's action is "?". */
  noActions: boolean;
}

/** ITF has no null: the empty tuple stands for it (traces/DRIVER.md section 8). */
const itfValue = (v: Json): Json => {
  if (v === null || v === undefined) return { '#tup': [] };
  if (Array.isArray(v)) return v.map(itfValue);
  if (typeof v === 'object') {
    const o: Json = {};
    for (const k of Object.keys(v)) o[k] = itfValue(v[k]);
    return o;
  }
  return v;
};

/** The log of one run as ITF text. */
const logText = (run: RunLog, opts: LogOptions): string => {
  const vars = opts.vars ?? Object.keys(run.entries[0]?.state ?? {});
  const states: Json[] = [];
  let hidden = 0;
  // A bug that acted in a hidden step is noted on the next logged state.
  let note: string | null = null;
  run.entries.forEach((e, i) => {
    note ??= e.note;
    // A restart (action null after the first entry) is always logged, and so is the step before it.
    const kept = i === 0 || i % opts.every === 0 || i === run.entries.length - 1 || e.action === null || run.entries[i + 1]!.action === null;
    if (!kept) {
      hidden++;
      return;
    }
    const meta: Json = { index: states.length };
    if (hidden > 0) meta.hidden = hidden;
    if (note) meta.note = note;
    note = null;
    const st: Json = { '#meta': meta };
    for (const v of vars) st[v] = itfValue(e.state[v]);
    st['mbt::actionTaken'] = e.action === null ? 'init' : opts.noActions ? '?' : e.action.name;
    st['mbt::nondetPicks'] = e.action === null || opts.noActions ? {} : itfValue(e.action.fields);
    states.push(st);
    hidden = 0;
  });
  const meta = { format: 'ITF', 'format-description': 'https://apalache-mc.org/docs/adr/015adr-trace.html', source: 'test/impl/blade.ts --log', observe: 'driver', config: run.config };
  return `${JSON.stringify({ '#meta': meta, vars: [...vars, 'mbt::actionTaken', 'mbt::nondetPicks'], states })}\n`;
};

// ---- flags ----

let bug: Bug | null = null;
let logOpts: LogOptions | null = null;
let walk: { steps: number; seed: number; configFile: string } | null = null;
{
  const argv = process.argv.slice(2);
  const usage = `blade: usage: tsx test/impl/blade.ts [--bug ${BUGS.join('|')}] [--log DIR [--log-vars F,F...] [--log-every K] [--log-no-actions]] [--walk N --config FILE [--seed S]]`;
  const bad = (why: string): never => {
    process.stderr.write(`blade: ${why}\n${usage}\n`);
    process.exit(2);
  };
  const count = (flag: string, v: string | undefined, min: number): number =>
    v !== undefined && /^[0-9]+$/.test(v) && Number(v) >= min ? Number(v) : bad(`${flag} expects a whole number ≥ ${min}, got ${v === undefined ? 'nothing' : JSON.stringify(v)}`);
  let dir: string | null = null;
  let vars: string[] | null = null;
  let every = 1;
  let noActions = false;
  let steps: number | null = null;
  let seed = 1;
  let configFile: string | null = null;
  for (let k = 0; k < argv.length; k++) {
    const flag = argv[k]!;
    const value = (): string => (k + 1 < argv.length ? argv[++k]! : bad(`${flag} needs a value`));
    if (flag === '--bug') {
      const name = value();
      if (!(BUGS as readonly string[]).includes(name)) {
        process.stderr.write(`blade: unknown bug "${name}" (known: ${BUGS.join(', ')})\n`);
        process.exit(2);
      }
      bug = name as Bug;
    } else if (flag === '--log') dir = value();
    else if (flag === '--log-vars') vars = value().split(',').filter((x) => x !== '');
    else if (flag === '--log-every') every = count(flag, value(), 1);
    else if (flag === '--log-no-actions') noActions = true;
    else if (flag === '--walk') steps = count(flag, value(), 0);
    else if (flag === '--seed') seed = count(flag, value(), 0);
    else if (flag === '--config') configFile = value();
    else bad(`unknown flag ${JSON.stringify(flag)}`);
  }
  if (dir === null && (vars !== null || every !== 1 || noActions)) bad('--log-vars, --log-every and --log-no-actions need --log DIR');
  if (dir !== null) {
    const problem = logDirProblem(dir);
    if (problem !== null) bad(problem);
    logOpts = { dir, vars, every, noActions };
  }
  if ((steps === null) !== (configFile === null)) bad('--walk N and --config FILE go together');
  if (steps !== null) {
    if (logOpts === null) bad('--walk writes its log: give --log DIR');
    walk = { steps, seed, configFile: configFile! };
  }
}

/**
 * A --log directory may be new, empty, or hold this blade's earlier logs (run-K.itf.json),
 * which it replaces; anything else there is the user's and is refused before any work.
 */
function logDirProblem(dir: string): string | null {
  if (!existsSync(dir)) return null;
  if (!statSync(dir).isDirectory()) return `--log ${dir}: is a file`;
  const foreign = readdirSync(dir).filter((f) => !/^run-\d+\.itf\.json$/.test(f));
  if (foreign.length === 0) return null;
  return `--log ${dir}: holds ${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', ...' : ''} (not logs of this blade); give a new or empty directory`;
}

let runs = 0;
let current: RunLog | null = null;
/** Writes the log of the run under way (if any) as DIR/run-K.itf.json. */
const finishRun = (): void => {
  if (!logOpts || !current) return;
  runs++;
  mkdirSync(logOpts.dir, { recursive: true });
  writeFileAtomicSync(join(logOpts.dir, `run-${runs}.itf.json`), logText(current, logOpts));
  current = null;
};
const logStep = (system: ReplicationSystem, action: { name: string; fields: Json } | null, state: Json): void => {
  if (!logOpts || !current) return;
  const note = system.bugNote && !system.bugReported ? system.bugNote : null;
  current.entries.push({ action, state, note });
};


// ---- a self-driven run (--walk): it picks its own steps at random and logs them ----

if (walk) {
  let config: Json;
  try {
    config = JSON.parse(readFileSync(walk.configFile, 'utf8'));
  } catch (e) {
    process.stderr.write(`blade: --config ${walk.configFile}: ${(e as Error).message}\n`);
    process.exit(2);
  }
  let sys: ReplicationSystem;
  try {
    sys = new ReplicationSystem(config, bug);
  } catch (e) {
    process.stderr.write(`blade: --config ${walk.configFile}: ${(e as Error).message}\n`);
    process.exit(2);
  }
  current = { config, entries: [] };
  logStep(sys, null, sys.observe());
  const next = mulberry32(walk.seed);
  let taken = 0;
  let restarts = 0;
  while (taken < walk.steps) {
    const options = sys.candidates();
    // Fisher-Yates with the seeded generator, then the first action the system takes.
    for (let k = options.length - 1; k > 0; k--) {
      const r = Math.floor(next() * (k + 1));
      [options[k], options[r]] = [options[r]!, options[k]!];
    }
    let stepped = false;
    for (const a of options) {
      const before = JSON.stringify(sys.observe());
      const note = sys.bugNote;
      try {
        sys.apply(a.name, a.fields);
      } catch (e) {
        if (!(e instanceof Refused) && !(e instanceof Unsupported)) throw e;
        // A refused step changes nothing (traces/DRIVER.md section 1): check it.
        if (JSON.stringify(sys.observe()) !== before) {
          process.stderr.write(`blade: refusing ${a.name} ${JSON.stringify(a.fields)} changed the state\n`);
          process.exit(3);
        }
        sys.bugNote = note;
        continue;
      }
      logStep(sys, a, sys.observe());
      if (sys.bugNote && !sys.bugReported) sys.bugReported = true;
      stepped = true;
      taken++;
      break;
    }
    if (!stepped) {
      // Nothing left to do: the system is started afresh (a new run, in the same log).
      if (current.entries.length > 0 && current.entries[current.entries.length - 1]!.action === null) break;
      sys = new ReplicationSystem(config, bug);
      logStep(sys, null, sys.observe());
      restarts++;
    }
  }
  finishRun();
  process.stderr.write(`blade: walked ${taken} steps (seed ${walk.seed}), started afresh ${restarts} times when no step was enabled\n`);
  process.exit(0);
}

// ---- the JSON-lines loop ----

let system: ReplicationSystem | null = null;
const reply = (o: Json): void => {
  if (system?.bugNote && !system.bugReported) {
    o.log = system.bugNote;
    system.bugReported = true;
  }
  process.stdout.write(`${JSON.stringify(o)}\n`);
};

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on('close', finishRun);
lines.on('line', (line) => {
  if (line.trim() === '') return;
  let msg: Json;
  try {
    msg = JSON.parse(line);
  } catch {
    process.stderr.write(`blade: not JSON: ${line.slice(0, 80)}\n`);
    process.exit(3);
  }
  try {
    if (msg.type === 'init') {
      finishRun();
      system = null;
      system = new ReplicationSystem(msg.config, bug);
      const state = system.observe();
      if (logOpts) current = { config: msg.config, entries: [] };
      logStep(system, null, state);
      reply({ state });
    } else if (msg.type === 'step') {
      if (!system) throw new Refused('no init yet');
      const action = { name: msg.action?.name, fields: msg.action?.fields ?? {} };
      system.apply(action.name, action.fields);
      const state = system.observe();
      logStep(system, action, state);
      reply({ state });
    } else if (msg.type === 'end') {
      finishRun();
      system = null; // no reply; the next vector starts with init
    } else {
      reply({ unsupported: `message type "${msg.type}"` });
    }
  } catch (e) {
    if (e instanceof Refused) reply({ refused: e.message });
    else if (e instanceof Unsupported) reply({ unsupported: e.message });
    else throw e;
  }
});
