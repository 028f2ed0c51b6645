/**
 * The configuration of one replication system: its types, JSON validation with one-line
 * messages naming the field, and `--param key=value` overrides.
 */
import { InputError } from '../checker/errors.ts';

/**
 * Small, named protocol breakers. Each is read at the exact step it breaks (grep the
 * name). The SPEC section 5 number is given where the mutant is one of its seeded bugs.
 */
export const MUTANTS = [
  'ack-before-increment', // SPEC 5.1: transfer-ready without waiting for step 198/224/254
  'apply-incomplete', // SPEC 5.2: secondary ignores total writes
  'apply-out-of-order', // SPEC 5.3: secondary applies N+1 before N
  'delete-on-sent', // SPEC 5.4: primary trims on the sent bitmap
  'slot-no-data-increment', // SPEC 5.6: step 388 always says "has data"
  'skip-oldslotcnt-add', // SPEC 5.7: step 368 skipped
  'one-phase-commit', // SPEC 5.8: commit N at shuttle N
  'duplicate-shuttle', // SPEC 5.13: a second primary shuttle circulates
  'sync-before-transfer', // SPEC 5.12 without the restart: sync (280) before the data is on the device (278)
  'ack-before-journal', // host acknowledged while the device still waits for journal room (Fig 3 step 84)
  'apply-arrival-order', // a number's records go to the device in arrival order, not primary order
  'seq-wraparound', // a one-bit sequence field: step 406 wraps to 0
  'no-flush-pass', // Fig 15 read literally: N is committed only by shuttle N+1
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

export interface Config {
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

/** Validation helpers bound to a source name for messages. */
const validator = (source: string) => {
  const fail = (field: string, what: string, got: Json): never => {
    throw new InputError(`${source}: "${field}" ${what}, got ${show(got)}`);
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
  const top = v.obj(json, '', ['primary', 'secondary', 'network', 'sequencer', 'workload', 'bounds', 'checkNoEmptyNumbers', 'mutant']);
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
  const cfg: Config = {
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
      default: needKind('timer'); seq[key] = num;
    }
  }
  return parseConfig(json, '--param');
};

/** Sets (or replaces) the mutant; throws InputError listing the known ones. */
export const withMutant = (cfg: Config, mutant: string | undefined, source = '--mutant'): Config =>
  mutant === undefined ? cfg : { ...cfg, mutant: parseMutant(validator(source), mutant) };
