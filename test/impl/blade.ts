/**
 * An independent implementation of the replication protocol of model/PROTOCOL.md (hosts,
 * primary devices and WAN blades with Fig 9 journals, the slot and ring shuttles of Fig 19,
 * the links, secondary blades with the two-phase apply of Fig 15), driven over the JSON-lines
 * protocol of traces/DRIVER.md:
 *
 *     tsx test/impl/blade.ts [--bug NAME]
 *
 * It is deliberately written in another style than the model: mutable objects, plain loops,
 * no immer, no ts-pattern, and it imports nothing from this repository. It exists to prove
 * the conformance harness: it must pass every vector, and each `--bug` variant must be caught
 * by the oracle at the step where the bug first acts. The variant says so itself: the first
 * reply in which a bug changed the behaviour carries `"log": "bug NAME acted: ..."`.
 *
 * Not supported (answered `unsupported`, never a crash): the timer sequencer with a period
 * over 1 (the blades' initial phases are then a choice the driver does not send), faults,
 * the related-art modes, delayed apply and rollback, and any action it does not know.
 */
import { createInterface } from 'node:readline';

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

/** Configuration fields this implementation understands (fault-free WAN-blade system). */
const KNOWN_CONFIG = ['primary', 'secondary', 'network', 'sequencer', 'workload', 'bounds', 'checkNoEmptyNumbers', 'mutant', 'faults', 'mode'];

/**
 * Configuration fields that change nothing in a system without faults, at these values: the
 * recovery (Fig 16/17) and the journal's volatility only matter after a fault, a full journal
 * with back-pressure is what this implementation does, no delayed apply, no rollback.
 */
const FAULT_FREE: Record<string, (v: Json) => boolean> = {
  recovery: () => true,
  journal: () => true,
  overflow: (v) => v === 'backpressure',
  delay: (v) => v === 0,
  rollback: (v) => v === false,
};

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
  /** What the bug changed in the current step, if anything (reported once per vector). */
  bugNote: string | null = null;
  bugReported = false;

  constructor(
    config: Json,
    readonly bug: Bug | null,
  ) {
    for (const key of Object.keys(config ?? {})) {
      // A fault-free system may be written out whole: its fault and rollback fields at the values that do nothing.
      if (FAULT_FREE[key] !== undefined && FAULT_FREE[key](config[key])) continue;
      if (!KNOWN_CONFIG.includes(key)) throw new Unsupported(`configuration field "${key}" is not supported by this implementation`);
    }
    if (config.mode !== undefined && config.mode !== 'wan-blade') throw new Unsupported(`mode "${config.mode}" is not supported by this implementation`);
    for (const [fault, bound] of Object.entries(config.faults ?? {})) {
      if (bound !== 0 && bound !== false) throw new Unsupported(`fault "${fault}" is not supported by this implementation`);
    }
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
    const tm = this.timer;
    if (tm && tm.lastAck >= 0 && tm.t < tm.lastAck + tm.gap) throw new Refused(`the host waits ${tm.gap} ticks after an acknowledgement (tick ${tm.t}, last at ${tm.lastAck})`);
    const dev = this.writeDevice[w]!;
    this.primaryDevices[this.writeBlock[w]!] = w;
    this.status[w] = 1;
    if (this.deviceWaiting[dev]!.length === 0 && this.blades[dev]!.dataRecords() < this.capacity) this.stamp(dev, w);
    else this.deviceWaiting[dev]!.push(w);
  }

  private stamp(i: number, w: number): void {
    const b = this.blades[i]!;
    b.journal.push(new JournalEntry(w, b.curSlotNo, null, b.serviceBitmap, 0, 0, b.nextSerial));
    b.nextSerial++;
    b.curSlotCnt += bitCount(b.serviceBitmap);
    this.stampedWith[w] = b.curSlotNo;
  }

  bladeAccept(i: number): void {
    const q = this.deviceWaiting[i];
    if (!q || q.length === 0) throw new Refused(`device ${i} has no waiting write`);
    if (this.blades[i]!.dataRecords() >= this.capacity) throw new Refused(`blade ${i}'s journal is full`);
    this.stamp(i, q.shift()!);
  }

  hostAck(chain: number): void {
    const ids = this.chains[chain];
    if (!ids) throw new Refused(`no chain ${chain}`);
    let w = -1;
    for (const id of ids) if (this.status[id] === 1) w = id;
    if (w < 0) throw new Refused(`chain ${chain} has no outstanding write`);
    const n = this.stampedWith[w]!;
    if (n < 0) throw new Refused(`write ${w} is not journaled yet`);
    const blade = this.blades[this.writeDevice[w]!]!;
    if (this.timer) {
      // The timer does not wait for the number to move on: transfer ready at the stamp.
      this.timer.lastAck = this.timer.t;
    } else if (blade.curSlotNo <= n) {
      if (this.bug !== 'ack-early') throw new Refused(`write ${w}'s number ${n} has not moved on (curSlotNo ${blade.curSlotNo})`);
      this.bugActed(`acknowledged write ${w} while its number ${n} is still current`);
    }
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
    const sh = this.shuttle;
    const b = this.blades[blade]!;
    const hasData = this.ring ? blade === this.designated : b.curSlotCnt > 0; // step 388
    if (b.curSlotNo === sh.shSlotNo) {
      b.sequenceNo = sh.oldSlotNo; // 382
      b.totalWrites = sh.oldSlotCnt; // 384
      b.close(b.sequenceNo, b.totalWrites); // 386
      if (!hasData) this.markerOnEveryClose(b, blade);
      if (hasData) {
        const empty = b.sequenceNo >= 1 && b.totalWrites === 0; // the number just closed had no data
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
    for (let j = 0; j < this.S; j++) {
      const bit = 1 << j;
      let k = 0;
      while (k < b.journal.length) {
        const e = b.journal[k]!;
        if (e.totalWrites === null || (e.serviceBitmap & bit) === 0 || (e.sentBitmap & bit) !== 0) {
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
    const msg = this.pick(this.links[from * this.S + to], index, 'record');
    insertInOrder(this.secondaries[to]!.sgList, msg); // Fig 15 step 262
  }

  syncDeliver(from: number, to: number, index: number): void {
    if (from < 0 || from >= this.S || to < 0 || to >= this.P) throw new Refused('no such link');
    const sync = this.pick(this.syncs[to * this.S + from], index, 'sync');
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
    const right = this.complete(n, false) ? n : -1;
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

  secShuttleArrive(blade: number): void {
    const ss = this.secShuttle;
    if (ss.at !== blade) throw new Refused(`the secondary shuttle is heading to blade ${ss.at}, not ${blade}`);
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
      if (((b.syncTo >> i) & 1) === 0) continue;
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
        })),
      })),
      shuttles: this.timer ? [] : [{ ...this.shuttle }],
      ...(this.timer ? { clock: { t: this.timer.t } } : {}),
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
      case 'BladeAccept':
        return this.bladeAccept(n('blade'));
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
      default:
        throw new Unsupported(`action "${name}" is not supported by this implementation`);
    }
  }
}

// ---- the JSON-lines loop ----

let bug: Bug | null = null;
const argv = process.argv.slice(2);
for (let k = 0; k < argv.length; k++) {
  if (argv[k] === '--bug' && k + 1 < argv.length) {
    const name = argv[++k]!;
    if (!(BUGS as readonly string[]).includes(name)) {
      process.stderr.write(`blade: unknown bug "${name}" (known: ${BUGS.join(', ')})\n`);
      process.exit(2);
    }
    bug = name as Bug;
  } else {
    process.stderr.write(`blade: usage: tsx test/impl/blade.ts [--bug ${BUGS.join('|')}]\n`);
    process.exit(2);
  }
}

let system: ReplicationSystem | null = null;
const reply = (o: Json): void => {
  if (system?.bugNote && !system.bugReported) {
    o.log = system.bugNote;
    system.bugReported = true;
  }
  process.stdout.write(`${JSON.stringify(o)}\n`);
};

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
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
      system = null;
      system = new ReplicationSystem(msg.config, bug);
      reply({ state: system.observe() });
    } else if (msg.type === 'step') {
      if (!system) throw new Refused('no init yet');
      system.apply(msg.action?.name, msg.action?.fields ?? {});
      reply({ state: system.observe() });
    } else if (msg.type === 'end') {
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
