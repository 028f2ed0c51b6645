/**
 * The configuration of one replication system: its types, JSON validation with one-line
 * messages naming the field, and `--param key=value` overrides.
 */
import { InputError } from '../checker/errors.ts';

/**
 * Small, named protocol breakers. Each is read at the exact step it breaks (grep the
 * name). PROTOCOL.md §7 and §9 say what each breaks and where it shows.
 */
export const MUTANTS = [
  'ack-before-increment', // transfer-ready without waiting for step 198/224/254
  'apply-incomplete', // secondary ignores total writes
  'apply-out-of-order', // secondary applies N+1 before N
  'delete-on-sent', // primary trims on the sent bitmap
  'slot-no-data-increment', // step 388 always says "has data"
  'skip-oldslotcnt-add', // step 368 skipped
  'one-phase-commit', // commit N at shuttle N
  'duplicate-shuttle', // a second primary shuttle circulates
  'sync-before-transfer', // without a blade restart: sync (280) before the data is on the device (278)
  'ack-before-journal', // host acknowledged while the device still waits for journal room (Fig 3 step 84)
  'apply-arrival-order', // a number's records go to the device in arrival order, not primary order
  'seq-wraparound', // a one-bit sequence field: step 406 wraps to 0
  'no-flush-pass', // Fig 15 read literally: N is committed only by shuttle N+1
  'recovery-keeps-after-gap', // Fig 17 recovery keeps entry 3 although entry 2 is missing
  'overflow-no-invalidate', // overflow clears the journal without invalidating the tracks
  'timer-period-too-long', // timer period = gap + 2 (a configuration, selectable by name)
  'resend-trims-on-sent', // after a link failure the blade resends and trims on the sent bitmap
  'restore-from-devices', // rollback restores the primary from the secondary devices as they stand, mid-commit, not from the recovered image
  'trigger-no-invalidate', // while the group is triggered the device acknowledges writes without marking their tracks invalid
  'repair-skips-resync', // the trigger's repair reports the group replicating while tracks stay invalid (no CopyTrack)
  'resend-from-unsent', // Fig 16 step 304 misread: the blade resends from its first unsent entry, not its first unsynchronised one, so what was lost in flight is never sent again
  'stamp-at-data', // the blade stamps a write when its data arrives (Fig 10 step 194), not when its command does (step 188)
  'recovery-keeps-shuttle', // the recovery does not reset the secondary shuttle's number to the last number committed everywhere (Fig 17)
  'recovery-no-dedup', // a secondary keeps taking what was in flight to it before its recovery step, so resent records can arrive twice (no de-duplication)
] as const;
export type MutantName = (typeof MUTANTS)[number];

export type SequencerConfig =
  | { readonly kind: 'slot' }
  | { readonly kind: 'ring'; readonly designated: number }
  | { readonly kind: 'timer'; readonly period: number; readonly gap: number; readonly maxTicks: number };

/** One host write: to block `block` of primary device `device`. */
export interface WriteSpec {
  readonly device: number;
  readonly block: number;
}

/** Fault bounds (PROTOCOL.md §8): how many of each fault the checker may inject. All 0/off by default. */
export interface Faults {
  /** A network link (primary blade i, secondary blade j) goes down, losing what is in flight; it comes back (LinkUp). */
  readonly linkDown: number;
  /** A device-to-blade link fails: unrecoverable, the consistency group triggers (text before Fig 16). */
  readonly deviceLinkFail: number;
  /** A blade (primary or secondary) restarts, losing its journal when `journal` is "volatile". */
  readonly bladeRestart: number;
  /** A primary blade fails for good (the ring shuttle's designated blade, say: PROTOCOL.md §8, BladeFail). */
  readonly bladeFail: number;
  /** An operator or a disaster may stop the primary site at any moment (failover, text after Fig 18). */
  readonly disaster: boolean;
}

/** The related-art modes of the Description of Related Art, and the patent's WAN blades. */
export const MODES = ['wan-blade', 'synchronous', 'semi-synchronous', 'background'] as const;
export type Mode = (typeof MODES)[number];

export interface Config {
  /** 'wan-blade' (the patent) or a related-art mode (PROTOCOL.md §8, related-art modes). */
  readonly mode: Mode;
  readonly faults: Faults;
  /** Fig 16 (secondary blades drop every unsynchronised entry) or Fig 17 (only those after the first gap). */
  readonly recovery: 'fig16' | 'fig17';
  /** A full journal: back-pressure (Fig 3 step 84) or clear-and-invalidate (text before Fig 16). */
  readonly overflow: 'backpressure' | 'clear-invalidate';
  /** Whether a blade's journal survives a restart. */
  readonly journal: 'volatile' | 'nonvolatile';
  /** Delayed apply (text after Fig 4): the secondary holds back this many complete sequence numbers. */
  readonly delay: number;
  /** Rollback (text after Fig 4): an operator may halt propagation and restore the primary from the secondary. */
  readonly rollback: boolean;
  readonly primary: {
    /** Primary devices; device i is served by primary WAN blade i. */
    readonly blades: number;
    readonly blocksPerDevice: number;
    /** Data records a primary journal holds; a full journal makes the device wait (Fig 3 step 84). */
    readonly journalCapacity: number;
    /** service[i]: the secondary blades primary blade i sends to (its service bitmap, Fig 9 field 156). */
    readonly service: readonly (readonly number[])[];
  };
  readonly secondary: { readonly blades: number };
  /** Both directions of every link: 'fifo' (TCP) delivers the oldest message only, 'reorder' (UDP) any. */
  readonly network: 'fifo' | 'reorder';
  readonly sequencer: SequencerConfig;
  /** Dependency chains: a chain issues its next write only after the previous one was acknowledged. */
  readonly workload: readonly (readonly WriteSpec[])[];
  /** State constraint (TLC style): states with a primary shuttle number above maxSeq are not explored. */
  readonly bounds: { readonly maxSeq: number };
  /** Include the invariant "no empty sequence number" (shuttle sequencers only). */
  readonly checkNoEmptyNumbers: boolean;
  readonly mutant?: MutantName;
}

/** Most writes a workload may have: write sets are bitmasks in the state. */
export const MAX_WRITES = 30;
const MAX_BLADES = 8;

type Json = unknown;
const isObj = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (v: Json): string => {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
};

/** Validation helpers bound to a source name for messages (also used by groupsConfig.ts). */
export const validator = (source: string) => {
  const fail = (field: string, what: string, got: Json): never => {
    throw new InputError(`${source}: ${field === '' ? 'the configuration' : `"${field}"`} ${what}, got ${show(got)}`);
  };
  return {
    source,
    fail,
    obj(v: Json, field: string, allowed: readonly string[]): Record<string, Json> {
      if (!isObj(v)) return fail(field, 'must be an object', v);
      for (const k of Object.keys(v)) {
        if (!allowed.includes(k)) {
          throw new InputError(`${source}: unknown field "${field ? `${field}.` : ''}${k}" (known: ${allowed.join(', ')})`);
        }
      }
      return v;
    },
    int(v: Json, field: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
        return fail(field, max === Number.MAX_SAFE_INTEGER ? `must be an integer >= ${min}` : `must be an integer in [${min}, ${max}]`, v);
      }
      return v;
    },
    bool(v: Json, field: string): boolean {
      if (typeof v !== 'boolean') return fail(field, 'must be true or false', v);
      return v;
    },
    oneOf<T extends string>(v: Json, field: string, options: readonly T[]): T {
      if (typeof v !== 'string' || !(options as readonly string[]).includes(v)) {
        return fail(field, `must be one of ${options.map((o) => `"${o}"`).join(', ')}`, v);
      }
      return v as T;
    },
    arr(v: Json, field: string, minLen: number): Json[] {
      if (!Array.isArray(v)) return fail(field, 'must be an array', v);
      if (v.length < minLen) fail(field, `must have at least ${minLen} element${minLen === 1 ? '' : 's'}`, v);
      return v;
    },
  };
};
type V = ReturnType<typeof validator>;

export const mutantError = (source: string, name: unknown): InputError =>
  new InputError(`${source}: unknown mutant ${show(name)} (known: ${MUTANTS.join(', ')})`);

const parseMutant = (v: V, m: Json): MutantName => {
  if (typeof m !== 'string' || !(MUTANTS as readonly string[]).includes(m)) throw mutantError(v.source, m);
  return m as MutantName;
};

/**
 * Validates the parsed JSON of a configuration file. Throws `InputError` naming the first
 * bad field. Cross-field rules (indices in range, bounds large enough) are checked too.
 */
export const parseConfig = (json: Json, source: string): Config => {
  const v = validator(source);
  const top = v.obj(json, '', ['mode', 'primary', 'secondary', 'network', 'sequencer', 'workload', 'bounds', 'checkNoEmptyNumbers', 'faults', 'recovery', 'overflow', 'journal', 'delay', 'rollback', 'mutant']);
  const p = v.obj(top['primary'], 'primary', ['blades', 'blocksPerDevice', 'journalCapacity', 'service']);
  const blades = v.int(p['blades'], 'primary.blades', 1, MAX_BLADES);
  const blocksPerDevice = v.int(p['blocksPerDevice'], 'primary.blocksPerDevice', 1, 8);
  const journalCapacity = v.int(p['journalCapacity'], 'primary.journalCapacity', 1);
  const s = v.obj(top['secondary'], 'secondary', ['blades']);
  const sBlades = v.int(s['blades'], 'secondary.blades', 1, MAX_BLADES);
  const svcRaw = v.arr(p['service'], 'primary.service', 0);
  if (svcRaw.length !== blades) v.fail('primary.service', `must have one entry per primary blade (${blades})`, svcRaw);
  const service = svcRaw.map((e, i) => {
    const list = v.arr(e, `primary.service[${i}]`, 1).map((x, k) => v.int(x, `primary.service[${i}][${k}]`, 0, sBlades - 1));
    if (new Set(list).size !== list.length) v.fail(`primary.service[${i}]`, 'must not repeat a secondary blade', e);
    return list;
  });
  for (let j = 0; j < sBlades; j++) {
    if (!service.some((l) => l.includes(j))) v.fail('primary.service', `must serve every secondary blade (blade ${j} has no primary)`, svcRaw);
  }
  const network = v.oneOf(top['network'], 'network', ['fifo', 'reorder'] as const);
  const seqObj = v.obj(top['sequencer'], 'sequencer', ['kind', 'designated', 'period', 'gap', 'maxTicks']);
  const kind = v.oneOf(seqObj['kind'], 'sequencer.kind', ['slot', 'ring', 'timer'] as const);
  const allowedFor: Record<typeof kind, string[]> = { slot: ['kind'], ring: ['kind', 'designated'], timer: ['kind', 'period', 'gap', 'maxTicks'] };
  v.obj(seqObj, 'sequencer', allowedFor[kind]);
  let sequencer: SequencerConfig;
  if (kind === 'slot') sequencer = { kind };
  else if (kind === 'ring') sequencer = { kind, designated: v.int(seqObj['designated'] ?? 0, 'sequencer.designated', 0, blades - 1) };
  else {
    sequencer = {
      kind,
      period: v.int(seqObj['period'], 'sequencer.period', 1, 16),
      gap: v.int(seqObj['gap'], 'sequencer.gap', 0, 16),
      maxTicks: v.int(seqObj['maxTicks'], 'sequencer.maxTicks', 1, 64),
    };
  }
  const chains = v.arr(top['workload'], 'workload', 1).map((c, ci) =>
    v.arr(c, `workload[${ci}]`, 1).map((w, wi) => {
      const f = `workload[${ci}][${wi}]`;
      const o = v.obj(w, f, ['device', 'block']);
      return { device: v.int(o['device'], `${f}.device`, 0, blades - 1), block: v.int(o['block'], `${f}.block`, 0, blocksPerDevice - 1) };
    }),
  );
  const nWrites = chains.reduce((n, c) => n + c.length, 0);
  if (nWrites > MAX_WRITES) v.fail('workload', `must have at most ${MAX_WRITES} writes in all`, nWrites);
  const b = top['bounds'] === undefined ? {} : v.obj(top['bounds'], 'bounds', ['maxSeq']);
  const maxSeq = v.int(b['maxSeq'] ?? 2 * nWrites + 4, 'bounds.maxSeq', 1, 1000);
  const checkNoEmptyNumbers = top['checkNoEmptyNumbers'] === undefined ? kind === 'slot' : v.bool(top['checkNoEmptyNumbers'], 'checkNoEmptyNumbers');
  if (checkNoEmptyNumbers && kind === 'timer') v.fail('checkNoEmptyNumbers', 'applies to the shuttle sequencers only (sequencer.kind "slot" or "ring")', true);
  const mode = top['mode'] === undefined ? 'wan-blade' : v.oneOf(top['mode'], 'mode', MODES);
  const f = top['faults'] === undefined ? {} : v.obj(top['faults'], 'faults', ['linkDown', 'deviceLinkFail', 'bladeRestart', 'bladeFail', 'disaster']);
  const faults: Faults = {
    linkDown: v.int(f['linkDown'] ?? 0, 'faults.linkDown', 0, 4),
    deviceLinkFail: v.int(f['deviceLinkFail'] ?? 0, 'faults.deviceLinkFail', 0, 4),
    bladeRestart: v.int(f['bladeRestart'] ?? 0, 'faults.bladeRestart', 0, 4),
    bladeFail: v.int(f['bladeFail'] ?? 0, 'faults.bladeFail', 0, blades - 1),
    disaster: v.bool(f['disaster'] ?? false, 'faults.disaster'),
  };
  const recovery = v.oneOf(top['recovery'] ?? 'fig16', 'recovery', ['fig16', 'fig17'] as const);
  const overflow = v.oneOf(top['overflow'] ?? 'backpressure', 'overflow', ['backpressure', 'clear-invalidate'] as const);
  const journal = v.oneOf(top['journal'] ?? 'nonvolatile', 'journal', ['volatile', 'nonvolatile'] as const);
  const delay = v.int(top['delay'] ?? 0, 'delay', 0, 4);
  const rollback = v.bool(top['rollback'] ?? false, 'rollback');
  const anyFault = faults.linkDown + faults.deviceLinkFail + faults.bladeRestart + faults.bladeFail > 0 || overflow !== 'backpressure';
  if (kind === 'timer' && (anyFault || delay > 0 || rollback)) {
    v.fail('faults', 'apply to the shuttle sequencers only (sequencer.kind "slot" or "ring"); the timer takes "faults.disaster" alone', top['faults'] ?? overflow);
  }
  if (mode !== 'wan-blade') {
    if (kind !== 'slot') v.fail('mode', `"${mode}" runs on sequencer.kind "slot"`, mode);
    if (anyFault || delay > 0 || rollback) v.fail('mode', `"${mode}" takes "faults.disaster" alone (no other fault, delay or rollback)`, mode);
  }
  const cfg: Config = {
    mode,
    faults,
    recovery,
    overflow,
    journal,
    delay,
    rollback,
    primary: { blades, blocksPerDevice, journalCapacity, service },
    secondary: { blades: sBlades },
    network,
    sequencer,
    workload: chains,
    bounds: { maxSeq },
    checkNoEmptyNumbers,
  };
  return top['mutant'] === undefined ? cfg : { ...cfg, mutant: parseMutant(v, top['mutant']) };
};

/** The keys `--param` accepts, with what they set. */
export const PARAMS: Readonly<Record<string, string>> = {
  maxSeq: 'bounds.maxSeq',
  journalCapacity: 'primary.journalCapacity',
  network: 'network (fifo|reorder)',
  designated: 'sequencer.designated (ring)',
  period: 'sequencer.period (timer)',
  gap: 'sequencer.gap (timer)',
  maxTicks: 'sequencer.maxTicks (timer)',
  checkNoEmptyNumbers: 'checkNoEmptyNumbers (true|false)',
  linkDown: 'faults.linkDown',
  deviceLinkFail: 'faults.deviceLinkFail',
  bladeRestart: 'faults.bladeRestart',
  bladeFail: 'faults.bladeFail',
  disaster: 'faults.disaster (true|false)',
  recovery: 'recovery (fig16|fig17)',
  overflow: 'overflow (backpressure|clear-invalidate)',
  journal: 'journal (volatile|nonvolatile)',
  delay: 'delay (complete numbers held back)',
  rollback: 'rollback (true|false)',
  mode: 'mode (wan-blade|synchronous|semi-synchronous|background)',
};

/**
 * Applies `--param key=value` overrides by rebuilding the JSON and validating it again, so
 * an override gets the same checks (and messages) as the file.
 */
export const applyParams = (cfg: Config, params: Readonly<Record<string, string>>): Config => {
  const keys = Object.keys(params);
  if (keys.length === 0) return cfg;
  const json = JSON.parse(JSON.stringify(cfg)) as Record<string, unknown>;
  for (const key of keys) {
    const raw = params[key] as string;
    if (!(key in PARAMS)) throw new InputError(`--param: unknown key "${key}" (known: ${Object.keys(PARAMS).join(', ')})`);
    const num = /^-?\d+$/.test(raw) ? Number(raw) : raw;
    const seq = json['sequencer'] as Record<string, unknown>;
    const needKind = (k: string): void => {
      if (seq['kind'] !== k) throw new InputError(`--param: "${key}" applies to sequencer.kind "${k}", this configuration uses "${String(seq['kind'])}"`);
    };
    switch (key) {
      case 'maxSeq': (json['bounds'] as Record<string, unknown>)['maxSeq'] = num; break;
      case 'journalCapacity': (json['primary'] as Record<string, unknown>)['journalCapacity'] = num; break;
      case 'network': json['network'] = raw; break;
      case 'checkNoEmptyNumbers': json['checkNoEmptyNumbers'] = raw === 'true' ? true : raw === 'false' ? false : raw; break;
      case 'designated': needKind('ring'); seq['designated'] = num; break;
      case 'linkDown': case 'deviceLinkFail': case 'bladeRestart': case 'bladeFail':
        json['faults'] = { ...(json['faults'] as object), [key]: num }; break;
      case 'disaster': json['faults'] = { ...(json['faults'] as object), disaster: raw === 'true' ? true : raw === 'false' ? false : raw }; break;
      case 'rollback': json['rollback'] = raw === 'true' ? true : raw === 'false' ? false : raw; break;
      case 'delay': json['delay'] = num; break;
      case 'recovery': case 'overflow': case 'journal': case 'mode': json[key] = raw; break;
      default: needKind('timer'); seq[key] = num;
    }
  }
  return parseConfig(json, '--param');
};

/** Sets (or replaces) the mutant; throws InputError listing the known ones. */
export const withMutant = (cfg: Config, mutant: string | undefined, source = '--mutant'): Config => {
  if (mutant === undefined) return cfg;
  const m = parseMutant(validator(source), mutant);
  const seq = cfg.sequencer;
  // timer-period-too-long is a configuration: the period is made longer than the gap (gap + 2, past the boundary P <= G + 1).
  if (m === 'timer-period-too-long' && seq.kind === 'timer') {
    const period = seq.gap + 2;
    return { ...cfg, sequencer: { ...seq, period, maxTicks: Math.max(seq.maxTicks, period + 1) }, mutant: m };
  }
  return { ...cfg, mutant: m };
};
