/**
 * `npm run mutants [-- --json] [-- --only NAME]`: the mutant zoo (PROTOCOL.md §7, §9). For each mutant,
 * on the preset where it shows (MUTANT_PRESET), a breadth-first check: the property
 * violated, the shortest counterexample's length, states explored and time; beside it the
 * unmutated model on the same preset and parameters, which must pass. Exit 0 when every
 * mutant is caught and every unmutated run passes, 1 otherwise.
 */
import { parseArgs } from 'node:util';
import { check } from '../checker/check.ts';
import { MUTANTS, type MutantName } from './config.ts';
import { MUTANT_PRESET } from './mutantPresets.ts';
import system from './system.ts';

export interface MutantRow {
  readonly mutant: MutantName;
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
export const runMutant = (mutant: MutantName, baselines = new Map<string, MutantRow['baseline']>()): MutantRow => {
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
    r.preset + Object.entries(r.params).map(([k, v]) => ` ${k}=${v}`).join(''),
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

const main = (): number => {
  const { values } = parseArgs({ options: { json: { type: 'boolean' }, only: { type: 'string' } } });
  const names = values.only ? MUTANTS.filter((m) => m === values.only) : MUTANTS;
  if (names.length === 0) {
    process.stderr.write(`mutants: unknown mutant "${values.only}" (known: ${MUTANTS.join(', ')})\n`);
    return 2;
  }
  const baselines = new Map<string, MutantRow['baseline']>();
  const rows = names.map((m) => runMutant(m, baselines));
  if (values.json) process.stdout.write(`${JSON.stringify(rows)}\n`);
  else {
    process.stdout.write(`${formatTable(rows)}\n`);
    const missed = rows.filter((r) => !r.caught).length;
    const bad = rows.filter((r) => r.baseline.verdict !== 'ok').length;
    process.stdout.write(`${rows.length - missed}/${rows.length} mutants caught; unmutated model ${bad === 0 ? 'passes' : 'FAILS'} on every preset used.\n`);
  }
  return rows.every((r) => r.caught && r.baseline.verdict === 'ok') ? 0 : 1;
};

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = main();
