/**
 * `npm run mutants [-- --json] [-- --only NAME]`: the mutant zoo (PROTOCOL.md §7, §9). For each mutant,
 * on the preset where it shows (MUTANT_PRESET), a breadth-first check: the property
 * violated, the shortest counterexample's length, states explored and time; beside it the
 * unmutated model on the same preset and parameters, which must pass. Exit 0 when every
 * mutant is caught and every unmutated run passes, 1 otherwise.
 *
 * A line per mutant checked goes to stderr as it finishes (not with --quiet), so stdout holds
 * the table (or the JSON) alone. Bad input (an unknown flag or mutant) exits 2.
 */
import { check } from '../checker/check.ts';
import { InputError } from '../checker/errors.ts';
import { type CommandMain, failureExitCode, parseFlags, runIfMain } from '../checker/flags.ts';
import { unitProgress } from '../checker/progressLine.ts';
import { MUTANT_PRESET, ZOO, type ZooMutant } from './mutantPresets.ts';
import system from './system.ts';

export interface MutantRow {
  readonly mutant: ZooMutant;
  readonly preset: string;
  readonly params: Readonly<Record<string, string>>;
  readonly caught: boolean;
  readonly property: string | null;
  readonly length: number | null;
  readonly states: number;
  readonly ms: number;
  /** The unmutated model on the same preset and parameters. */
  readonly baseline: { readonly verdict: string; readonly states: number; readonly ms: number };
}

const timed = <T>(f: () => T): [T, number] => {
  const t = performance.now();
  const r = f();
  return [r, Math.round(performance.now() - t)];
};

/** Runs one mutant (and its baseline, cached per preset and parameters). */
export const runMutant = (mutant: ZooMutant, baselines = new Map<string, MutantRow['baseline']>()): MutantRow => {
  const { preset, params = {} } = MUTANT_PRESET[mutant];
  const key = `${preset} ${JSON.stringify(params)}`;
  let baseline = baselines.get(key);
  if (!baseline) {
    const [r, ms] = timed(() => check(system.fromPreset(preset, { params }), { strategy: 'bfs' }));
    baseline = { verdict: r.verdict, states: r.distinctStates, ms };
    baselines.set(key, baseline);
  }
  const [r, ms] = timed(() => check(system.fromPreset(preset, { params, mutant }), { strategy: 'bfs' }));
  return {
    mutant,
    preset,
    params,
    caught: r.verdict === 'violation',
    property: r.property ?? null,
    length: r.counterexample ? r.counterexample.steps.length - 1 : null,
    states: r.distinctStates,
    ms,
    baseline,
  };
};

const pad = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length));

export const formatTable = (rows: readonly MutantRow[]): string => {
  const head = ['mutant', 'where it shows', 'property violated', 'steps', 'states', 'time', 'unmutated'];
  const cells = rows.map((r) => [
    r.mutant,
    where(r),
    r.caught ? r.property! : 'NOT CAUGHT',
    r.length === null ? '-' : String(r.length),
    r.states.toLocaleString('en'),
    `${(r.ms / 1000).toFixed(1)} s`,
    `${r.baseline.verdict} (${r.baseline.states.toLocaleString('en')} states)`,
  ]);
  const w = head.map((h, k) => Math.max(h.length, ...cells.map((c) => c[k]!.length)));
  const line = (c: readonly string[]): string => `| ${c.map((x, k) => pad(x, w[k]!)).join(' | ')} |`;
  return [line(head), `|${w.map((n) => '-'.repeat(n + 2)).join('|')}|`, ...cells.map(line)].join('\n');
};

const where = (r: MutantRow): string => r.preset + Object.entries(r.params).map(([k, v]) => ` ${k}=${v}`).join('');

/** What the progress line says of one mutant. */
export const mutantOutcome = (r: MutantRow): string =>
  (r.caught ? `caught on ${where(r)}: ${r.property} in ${r.length} steps` : `NOT CAUGHT on ${where(r)}`) +
  (r.baseline.verdict === 'ok' ? '' : `; the unmutated model is ${r.baseline.verdict} there`);

export const MUTANTS_USAGE = `Usage: npm run mutants -- [--only NAME] [--json] [--quiet]

Checks every mutant (or one) on the preset where it shows, and the unmutated model there.
  --only NAME   one mutant
  --json        the rows as one JSON array on stdout
  --quiet       no progress lines on stderr

Exit codes: 0 every mutant caught and the unmutated model passes, 1 otherwise, 2 bad input.`;

/** Runs the command; resolves to the exit code. */
export const main: CommandMain = async (argv, out = process.stdout, err = process.stderr) => {
  try {
    const { values } = parseFlags(argv, {
      json: { type: 'boolean' },
      only: { type: 'string' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      out.write(`${MUTANTS_USAGE}\n`);
      return 0;
    }
    const names = values.only !== undefined ? ZOO.filter((m) => m === values.only) : ZOO;
    if (names.length === 0) throw new InputError(`unknown mutant "${values.only}" (known: ${ZOO.join(', ')})`);
    const finished = unitProgress(err, 'mutants', names.length, values.quiet === true);
    const baselines = new Map<string, MutantRow['baseline']>();
    const rows = names.map((m) => {
      const r = runMutant(m, baselines);
      finished(m, mutantOutcome(r));
      return r;
    });
    if (values.json) out.write(`${JSON.stringify(rows)}\n`);
    else {
      out.write(`${formatTable(rows)}\n`);
      const missed = rows.filter((r) => !r.caught).length;
      const bad = rows.filter((r) => r.baseline.verdict !== 'ok').length;
      out.write(`${rows.length - missed}/${rows.length} mutants caught; unmutated model ${bad === 0 ? 'passes' : 'FAILS'} on every preset used.\n`);
    }
    return rows.every((r) => r.caught && r.baseline.verdict === 'ok') ? 0 : 1;
  } catch (e) {
    return failureExitCode('mutants', e, err);
  }
};

runIfMain(import.meta.url, (argv) => main(argv));
