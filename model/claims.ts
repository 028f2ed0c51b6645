/**
 * `npm run claims [-- --json]`: the patent's claims (PROTOCOL.md §9) as a verdict table, each row
 * decided by the checker on the same model:
 * - "consistent secondary": the verdict of "recoverable consistency" (exhaustive BFS, a
 *   disaster allowed at any moment, so failover images are checked too), with the length of
 *   the shortest counterexample when there is one;
 * - "acknowledged writes lost on disaster": the most acknowledged writes that the recovered
 *   image lacks, over every reachable state of the running primary (where a disaster may strike);
 * - "host waits for the remote site": the most acknowledged writes of one device not yet on
 *   every secondary, over every reachable state (0: the host waits for every write);
 * - the timer row sweeps the period for several gaps and reports the boundary found;
 * - the Fig 13 row: a dependent pair sharing a number is reachable (the sentence is false),
 *   while "ordered sequence numbers" and the atomic apply (consistency) hold;
 * - the cascade row (text after Fig 17): the acknowledged writes the far secondary ends
 *   without, at every end of a run after the primary devices alone are lost or the whole
 *   site is, for both journal kinds (cascade.ts); a note says what the related-art cascade,
 *   composed from the synchronous and semi-synchronous rows, loses.
 */
import { check } from '../checker/check.ts';
import { type CommandMain, failureExitCode, parseFlags, runIfMain } from '../checker/flags.ts';
import type { Invariant, Model } from '../checker/model.ts';
import { unitProgress } from '../checker/progressLine.ts';
import type { Action } from './actions.ts';
import { type CascadeFigures, cascadeFigures, cascadeModel, type Most } from './cascade.ts';
import { parseConfig } from './config.ts';
import { lackedWrites, recoverableImage } from './image.ts';
import { PROPERTY } from './properties.ts';
import { forEachReachable } from './reachableStates.ts';
import { makeSetup, type Setup } from './setup.ts';
import type { State } from './state.ts';
import system, { buildModel } from './system.ts';

/** The claims workload: one host chain w0 → w1 on device 0, then w2 on device 1 (a dependency crossing blades). */
export const claimsConfig = (extra: Record<string, unknown>): Record<string, unknown> => ({
  primary: { blades: 2, blocksPerDevice: 2, journalCapacity: 2, service: [[0], [1]] },
  secondary: { blades: 2 },
  network: 'reorder',
  sequencer: { kind: 'slot' },
  workload: [[{ device: 0, block: 0 }, { device: 0, block: 1 }, { device: 1, block: 0 }]],
  faults: { disaster: true },
  ...extra,
});

export interface Metrics {
  readonly states: number;
  /** Most acknowledged writes the recovered image lacks, over states of the running primary. */
  readonly maxLost: number;
  /** Most acknowledged writes of one device not yet on every secondary holding them. */
  readonly maxUnapplied: number;
}

/** Explores every reachable state and measures those of the running primary (where a disaster may strike). */
export const measure = (m: Model<State, Action>, setup: Setup): Metrics => {
  let maxLost = 0;
  let maxUnapplied = 0;
  const states = forEachReachable(m, (s) => {
    if (s.site !== 'running') return;
    maxLost = Math.max(maxLost, lackedWrites(s, setup, recoverableImage(s, setup)).length);
    const perDevice = Array.from({ length: setup.P }, () => 0);
    for (const w of lackedWrites(s, setup, s.secondaryBlades.map((b) => b.device))) perDevice[setup.writes[w]!.device]! += 1;
    maxUnapplied = Math.max(maxUnapplied, ...perDevice);
  });
  return { states, maxLost, maxUnapplied };
};

export interface ClaimRow {
  readonly mode: string;
  /** What the patent claims for this row, or what we expected from it (PROTOCOL.md §9). */
  readonly patent: string;
  readonly consistent: string;
  readonly counterexampleLength: number | null;
  readonly lost: string;
  readonly hostWaits: string;
  readonly states: number;
  readonly ms: number;
  /** What the row's figures rest on, when the columns cannot say it (printed under the table). */
  readonly note?: string;
}

const timed = <T>(f: () => T): [T, number] => {
  const t = performance.now();
  const r = f();
  return [r, Math.round(performance.now() - t)];
};

/** One mode: the consistency verdict and the two measures, on the claims workload. */
const modeRow = (mode: string, patent: string, extra: Record<string, unknown>, say: (c: boolean, m: Metrics) => [string, string, string]): ClaimRow => {
  const cfg = parseConfig(claimsConfig(extra), `claims: ${mode}`);
  const model = buildModel(cfg, mode);
  const [r, ms] = timed(() => check(model, { strategy: 'bfs' }));
  const consistencyOk = r.properties.find((p) => p.name === PROPERTY.consistency)?.status === 'holds';
  const metrics = measure(model, makeSetup(cfg));
  const [consistent, lost, waits] = say(consistencyOk && r.verdict === 'ok', metrics);
  return {
    mode,
    patent,
    consistent: r.verdict === 'ok' ? consistent : consistent.replace(/^(no|yes|NO)/, (v) => `${v} (${r.property} violated)`),
    counterexampleLength: r.counterexample ? r.counterexample.steps.length - 1 : null,
    lost,
    hostWaits: waits,
    states: r.distinctStates,
    ms,
  };
};

/** Semi-synchronous with the whole chain on one device (two blocks): within its one outstanding transfer. */
const semiSyncOneDevice = (): string => {
  const cfg = parseConfig(claimsConfig({ mode: 'semi-synchronous', workload: [[{ device: 0, block: 0 }, { device: 0, block: 1 }, { device: 0, block: 0 }]] }), 'claims: semi-synchronous, one device');
  const r = check(buildModel(cfg, 'semi-synchronous, one device'), { strategy: 'bfs' });
  return r.verdict === 'ok' ? `consistent (${r.distinctStates} states)` : `${r.property} violated too`;
};

const waits = (m: Metrics): string =>
  m.maxUnapplied === 0 ? 'yes, every write' : `no (up to ${m.maxUnapplied} acknowledged write${m.maxUnapplied === 1 ? '' : 's'} per device not yet remote)`;

/**
 * The timer: for each gap G, the periods P that hold, up to the first that does not. A longer
 * gap only removes behaviours (the host waits longer before a dependent write; nothing else
 * changes, and the clock bound depends on P alone), so a period safe for a gap is safe for every
 * longer one: each gap's sweep starts above the previous gap's largest safe period. The checks
 * are of the safety properties (consistency is a safety question); the clock runs to the timer
 * preset's 4 ticks, or to one tick past the period when that is longer (so that a number can
 * close after a full period).
 */
export const timerBoundary = (gaps: readonly number[] = [1, 2, 3]): { gap: number; maxSafe: number; firstUnsafe: number; ms: number }[] => {
  let implied = 0;
  return [...gaps].sort((x, y) => x - y).map((gap) => {
    let maxSafe = implied;
    let firstUnsafe = -1;
    const [, ms] = timed(() => {
      for (let period = implied + 1; period <= gap + 4; period++) {
        const r = check(system.fromPreset('timer', { params: { period: String(period), gap: String(gap), maxTicks: String(Math.max(4, period + 1)) } }), { strategy: 'bfs', temporal: false });
        if (r.verdict === 'ok') maxSafe = period;
        else {
          firstUnsafe = period;
          break;
        }
      }
    });
    implied = maxSafe;
    return { gap, maxSafe, firstUnsafe, ms };
  });
};

/** Fig 13's sentence as an invariant: dependent writes carry different numbers. */
const differentNumbers: Invariant<State> = {
  name: 'dependent writes get different numbers (Fig 13 text)',
  holds: (s) => s.writes.every((w2) => w2.seq < 0 || s.writes.every((w1, k) => !((w2.deps >> k) & 1) || w1.seq !== w2.seq)),
};

/** The rows of the five modes (related art and the two WAN blade shuttles), on the claims workload, each made when called. */
const MODE_ROWS: readonly (() => ClaimRow)[] = [
    () => modeRow('synchronous', 'yes / none / yes, every write', { mode: 'synchronous' }, (c, m) => [c ? 'yes' : 'NO', `${m.maxLost} (none)`, waits(m)]),
    () => modeRow('semi-synchronous', 'expected yes; ≤ 1 / for the previous transfer', { mode: 'semi-synchronous' }, (c, m) => [
      c ? 'yes' : `no: with several devices the one-outstanding rule is per device, so a dependent write on another device can overtake; with one device: ${semiSyncOneDevice()}`,
      `${m.maxLost} (≤ 1 per device, 2 devices)`,
      m.maxUnapplied <= 1 ? `for the previous transfer (≤ ${m.maxUnapplied} acknowledged write per device not yet remote)` : waits(m),
    ]),
    () => modeRow('background (adaptive) copy', 'no / unbounded / no', { mode: 'background', network: 'fifo' }, (c, m) => [c ? 'yes (UNEXPECTED)' : 'no', `${m.maxLost} of 3: every acknowledged write (unbounded)`, waits(m)]),
    () => modeRow('WAN blade, ring shuttle', 'yes / bounded by journal / no', { sequencer: { kind: 'ring', designated: 0 } }, (c, m) => [c ? 'yes' : 'NO', `${m.maxLost} of 3 (bounded by the journals: 2 blades × 2 records)`, waits(m)]),
    () => modeRow('WAN blade, slot shuttle', 'yes / bounded by journal / no', {}, (c, m) => [c ? 'yes' : 'NO', `${m.maxLost} of 3 (bounded by the journals: 2 blades × 2 records)`, waits(m)]),
];

export const modeRows = (): ClaimRow[] => MODE_ROWS.map((make) => make());

/** The timer row: the boundary found by sweeping periods, and the measures at period 1 < gap 2. */
export const timerRow = (): ClaimRow => {
  // Timer: the boundary between safe and unsafe periods, and the same measures at a safe period.
  const sweep = timerBoundary();
  const [t, tms] = timed(() => check(system.fromPreset('timer', { params: { disaster: 'true' } }), { strategy: 'bfs' }));
  const tm = measure(system.fromPreset('timer', { params: { disaster: 'true' } }) as Model<State, Action>, makeSetup(parseConfig({ ...(system.presetConfig!('timer') as object), faults: { disaster: true } }, 'timer')));
  const unsafe = check(system.fromPreset('timer', { params: { period: '4', gap: '2', maxTicks: '5' } }), { strategy: 'bfs' });
  return {
    mode: 'WAN blade, timer',
    patent: 'yes iff period < minimum dependent-write gap',
    consistent: `yes iff P ≤ G + 1 (found: ${sweep.map((x) => `G=${x.gap}: safe up to P=${x.maxSafe}, unsafe at P=${x.firstUnsafe}`).join('; ')}); period 1 < gap 2: ${t.verdict === 'ok' ? 'yes' : 'NO'}`,
    counterexampleLength: unsafe.counterexample ? unsafe.counterexample.steps.length - 1 : null,
    lost: `${tm.maxLost} (bounded by journal)`,
    hostWaits: waits(tm),
    states: t.distinctStates,
    ms: tms + sweep.reduce((n, x) => n + x.ms, 0),
  };
};

/** The Fig 13 row: the sentence as an invariant (expected violated), and what must hold instead. */
export const fig13Row = (): ClaimRow => {
  // Fig 13: a dependent pair may share a number; what must hold does (claims workload, slot shuttle).
  const base = buildModel(parseConfig(claimsConfig({}), 'claims: Fig 13'), 'Fig 13');
  const [f, fms] = timed(() => check({ ...base, invariants: [differentNumbers], actionProperties: [], reachability: [] }, { strategy: 'bfs' }));
  const whole = check(base, { strategy: 'bfs' });
  const holds = (n: string): boolean => whole.properties.find((p) => p.name === n)?.status === 'holds';
  return {
    mode: 'Fig 13: "dependent writes get different numbers"',
    patent: 'expected false with ≥ 2 blades',
    consistent: `${f.verdict === 'violation' ? 'false: a dependent pair shares a number' : 'true (UNEXPECTED)'}; seq(w1) ≤ seq(w2): ${holds(PROPERTY.ordered) ? 'holds' : 'VIOLATED'}; atomic apply (recoverable consistency): ${holds(PROPERTY.consistency) ? 'holds' : 'VIOLATED'}`,
    counterexampleLength: f.counterexample ? f.counterexample.steps.length - 1 : null,
    lost: '',
    hostWaits: '',
    states: whole.distinctStates,
    ms: fms,
  };
};

/** `n` as "n of total", or "no run ends so" when no run ended that way. */
const ofAll = (n: Most, total: number): string => (n === null ? 'no run ends so' : `${n} of ${total}`);

/** The most of one figure over both journal kinds. */
const worst = (figures: readonly CascadeFigures[], pick: (f: CascadeFigures) => Most): Most =>
  figures.map(pick).reduce<Most>((m, x) => (x === null ? m : m === null ? x : Math.max(m, x)), null);

const JOURNAL_NAME: Readonly<Record<CascadeFigures['journal'], string>> = { nonvolatile: 'non-volatile', volatile: 'volatile' };

/** One figure for both journal kinds: once when they agree, else each named. */
const byJournal = (figures: readonly CascadeFigures[], pick: (f: CascadeFigures) => string): string => {
  const said = figures.map(pick);
  return said.every((x) => x === said[0]) ? `${said[0]}, either journal` : figures.map((f, k) => `${said[k]} ${JOURNAL_NAME[f.journal]}`).join(', ');
};

/**
 * The cascade row (text after Fig 17): the WAN blade in the near secondary's place. Each
 * journal kind is checked (every property of the system, after a loss too) and measured:
 * what the far secondary ends without when the devices alone are lost (the blades drain,
 * or one restarts while draining) and when the whole site is lost (Disaster, Failover).
 * The related-art cascade is not one system of the model (it has one hop from primary to
 * secondary); its figures are composed from the synchronous and semi-synchronous rows.
 */
export const cascadeRow = (): ClaimRow => {
  const kinds = (['nonvolatile', 'volatile'] as const).map((journal) => parseConfig(claimsConfig({ journal }), `claims: cascade, ${journal} journal`));
  const [runs, ms] = timed(() => kinds.map((cfg) => ({ check: check(cascadeModel(cfg), { strategy: 'bfs' }), figures: cascadeFigures(cfg) })));
  const figures = runs.map((r) => r.figures);
  const failed = runs.find((r) => r.check.verdict !== 'ok')?.check;
  const inconsistent = figures.find((f) => f.inconsistent !== null);
  const n = figures[0]!.writes;
  const before = buildModel(kinds[0]!, 'cascade, before a loss');
  // The related-art cascade's two hops, each a mode of the model: synchronous near, semi-synchronous far.
  const [nearCfg, farCfg] = (['synchronous', 'semi-synchronous'] as const).map((mode) => parseConfig(claimsConfig({ mode }), `claims: cascade, ${mode} hop`));
  const near = measure(buildModel(nearCfg!, 'near hop'), makeSetup(nearCfg!));
  const far = measure(buildModel(farCfg!, 'far hop'), makeSetup(farCfg!));
  const farConsistent = check(buildModel(farCfg!, 'far hop'), { strategy: 'bfs' }).verdict === 'ok';
  return {
    mode: 'cascade: WAN blade for the near secondary',
    patent: 'the WAN blade may replace the near secondary of cascaded RDF',
    consistent: failed
      ? `NO (${failed.property} violated)`
      : inconsistent
        ? `no: a final image of the far secondary is inconsistent (${JOURNAL_NAME[inconsistent.journal]} journal): ${inconsistent.inconsistent}`
        : 'yes: the far secondary ends consistent after either loss, with either journal',
    counterexampleLength: failed?.counterexample ? failed.counterexample.steps.length - 1 : null,
    lost:
      `device lost, its blade holding the data of every write it stamped: ${byJournal(figures, (f) => ofAll(f.deviceLost.dataIn, n))}; ` +
      `a blade restarting too: ${byJournal(figures, (f) => ofAll(f.deviceLostRestart.dataIn, n))}; ` +
      `device lost before some stamped data reached its blade (Fig 10 step 194): ${byJournal(figures, (f) => ofAll(f.deviceLost.dataLeft, n))}; ` +
      `a blade restarting too: ${byJournal(figures, (f) => ofAll(f.deviceLostRestart.dataLeft, n))}; ` +
      `site lost: ${byJournal(figures, (f) => ofAll(f.siteLost, n))}`,
    hostWaits: waits(measure(before, makeSetup(kinds[0]!))),
    states: runs.reduce((k, r) => k + r.check.distinctStates, 0),
    ms,
    note:
      `the related-art cascade (a synchronous near secondary feeding a far one semi-synchronously) is not one system of the model, which has one hop; ` +
      `composed from its hops' rows on the same workload, it loses ${near.maxLost} of ${n} with the device alone (synchronous row: the near secondary holds every acknowledged write) ` +
      `and ${far.maxLost} of ${n} with the site (semi-synchronous row: what that hop had not delivered), ` +
      `and its far secondary ${farConsistent ? 'stays consistent' : 'can be left inconsistent'}. ` +
      `With the device alone lost, the WAN blade loses ${ofAll(worst(figures, (f) => f.deviceLost.dataIn), n)} while each blade holds the data of every write it stamped; ` +
      `but a number holding a write whose data was still on its device never completes at the far secondary, nor does any later one, ` +
      `and the device may have acknowledged that write already (Fig 10 allows step 192 before 194): ${ofAll(worst(figures, (f) => f.deviceLost.dataLeft), n)} can be lost. ` +
      `States: both journal kinds' cascades, the devices or the whole site lost at any moment.`,
  };
};

/** Every row's maker, in the table's order (each takes seconds). */
export const CLAIM_ROWS: readonly (() => ClaimRow)[] = [...MODE_ROWS, timerRow, fig13Row, cascadeRow];

/** Every row, in the table's order; `onRow` is told of each as it is made. */
export const claims = (onRow: (r: ClaimRow) => void = () => undefined): ClaimRow[] =>
  CLAIM_ROWS.map((make) => {
    const r = make();
    onRow(r);
    return r;
  });

const pad = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length));

export const formatClaims = (rows: readonly ClaimRow[]): string => {
  const head = ['mode', 'consistent secondary', 'counterexample', 'acknowledged writes lost on disaster', 'host waits for the remote site', 'states'];
  const cells = rows.map((r) => [r.mode, r.consistent, r.counterexampleLength === null ? '-' : `${r.counterexampleLength} steps`, r.lost, r.hostWaits, r.states.toLocaleString('en')]);
  const w = head.map((h, k) => Math.max(h.length, ...cells.map((c) => c[k]!.length)));
  const line = (c: readonly string[]): string => `| ${c.map((x, k) => pad(x, w[k]!)).join(' | ')} |`;
  return [line(head), `|${w.map((n) => '-'.repeat(n + 2)).join('|')}|`, ...cells.map(line)].join('\n');
};

/** `text` broken into lines of at most `width` characters (at spaces), each after `indent`. */
const wrap = (text: string, width: number, indent: string): string[] => {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && indent.length + line.length + 1 + word.length > width) (lines.push(indent + line), (line = word));
    else line = line === '' ? word : `${line} ${word}`;
  }
  return line === '' ? lines : [...lines, indent + line];
};

/** The rows' notes, one paragraph each under the table ('' when no row has one). */
export const formatNotes = (rows: readonly ClaimRow[]): string =>
  rows
    .filter((r) => r.note)
    .map((r) => wrap(`${r.mode}: ${r.note}`, 100, '  ').join('\n').replace(/^ {2}/, '- '))
    .join('\n');

/** What the progress line says of one row: the start of its verdict, and the states checked. */
const rowOutcome = (r: ClaimRow): string => `${r.consistent.split(/[;:(]/)[0]!.trim()}, ${r.states.toLocaleString('en')} states`;

export const CLAIMS_USAGE = `Usage: npm run claims -- [--json] [--quiet]

The claims table, each row decided by the checker.
  --json        the rows as one JSON array on stdout
  --quiet       no progress lines on stderr (one per row as it is decided)`;

/** Runs the command; resolves to the exit code (2 for bad input). */
export const main: CommandMain = async (argv, out = process.stdout, err = process.stderr) => {
  try {
    const { values } = parseFlags(argv, { json: { type: 'boolean' }, quiet: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
    if (values.help) {
      out.write(`${CLAIMS_USAGE}\n`);
      return 0;
    }
    const finished = unitProgress(err, 'claims', CLAIM_ROWS.length, values.quiet === true);
    const rows = claims((r) => finished(r.mode, rowOutcome(r)));
    const notes = formatNotes(rows);
    out.write(values.json ? `${JSON.stringify(rows)}\n` : `${formatClaims(rows)}\n${notes ? `\nNotes:\n${notes}\n` : ''}`);
    return 0;
  } catch (e) {
    return failureExitCode('claims', e, err);
  }
};

runIfMain(import.meta.url, (argv) => main(argv));
