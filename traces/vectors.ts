/**
 * `npm run vectors -- [--preset NAME ...] [--no-mutants] [--out DIR] [--force]`: writes the
 * conformance vector suite (default: the canonical suite in traces/vectors: the presets of
 * CANONICAL_PRESETS, which cover every sequencer and every fault and recovery path, and every
 * mutant where it shows) and the Fig 9 codec
 * vectors. Deterministic: the same model gives the same files, byte for byte; the tests
 * regenerate the canonical suite and compare, so any drift of the model shows.
 *
 * The output directory is checked before the suite is built and written file by file, each
 * whole (checker/outputDir.ts): it may be new, empty or an earlier suite (its manifest,
 * `.shuttlecheck-out.json`, lists the files); anything else only with --force, and files it did
 * not write are never replaced or removed. Vector files of the earlier suite that this one no
 * longer has are removed (they are listed in the manifest).
 */
import { failureExitCode, parseFlags, runIfMain } from '../checker/flags.ts';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../checker/errors.ts';
import { defaultSystemPath, loadProvider } from '../checker/loadModel.ts';
import { prepareOutputDir, writeOutputFiles, type OutputDir } from '../checker/outputDir.ts';
import type { ModelProvider } from '../checker/provider.ts';
import { vectorFileText } from './codec/vectors.ts';
import { match } from 'ts-pattern';
import { unitProgress } from '../checker/progressLine.ts';
import { buildSuiteAsync, type PresetCheck, type SuiteIndex, type SuiteUnit, type Vector } from './suite.ts';
import { observeState } from './driverProjection.ts';
import { goalsOf } from './vectorGoals.ts';

export const CANONICAL_DIR = resolve(dirname(fileURLToPath(import.meta.url)), 'vectors');
export const CANONICAL_PRESETS: readonly string[] = [
  // the three sequencers and fan-out
  'tiny', 'fanout', 'ring', 'timer',
  // every fault and recovery path, and the synchronous related-art mode (those that hold)
  'linkfail', 'linkfail17', 'trigger', 'restart', 'overflow', 'disaster', 'rollback', 'slot-fail', 'sync',
];

/**
 * The suite's mutants, by name: each with the preset (and parameters) where it shows; not
 * those no conformance vector can show (`conformance: false`).
 */
export const suiteMutants = (provider: ModelProvider, withMutants: boolean) =>
  withMutants
    ? Object.entries(provider.mutantPresets ?? {})
        .filter(([, where]) => where.conformance !== false)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([m, where]) => [m, where.preset, where.params ?? {}] as const)
    : [];

/** Every file of a suite (relative path → text), including index.json and codec.json. */
export const suiteFiles = async (
  provider: ModelProvider,
  presets: readonly string[],
  withMutants: boolean,
  onUnit?: (u: SuiteUnit) => void,
): Promise<{ files: Map<string, string>; vectors: Vector[]; index: SuiteIndex; checks: Record<string, PresetCheck> }> => {
  for (const p of presets) {
    if (!provider.presets.includes(p)) throw new InputError(`unknown preset "${p}"; known: ${provider.presets.join(', ')}`);
  }
  const mutants = suiteMutants(provider, withMutants);
  // A mutant's first difference is the first one an implementation can show (DRIVER.md).
  const { vectors, index, checks } = await buildSuiteAsync(provider, presets, mutants, (preset) => provider.presetConfig?.(preset), onUnit, observeState, goalsOf);
  const files = new Map<string, string>();
  for (const v of vectors) files.set(v.file, v.text);
  files.set('index.json', `${JSON.stringify(index, null, 2)}\n`);
  files.set('codec.json', vectorFileText());
  return { files, vectors, index, checks };
};

/** The suite's files beside its vectors (which are in a directory per preset, and mutants/). */
const SUITE_FILES: readonly string[] = ['index.json', 'codec.json'];

/** Checks `--out DIR` before the suite is built: see checker/outputDir.ts. */
export const prepareSuiteDir = (dir: string, force: boolean): OutputDir =>
  prepareOutputDir(dir, { flag: '--out', writer: 'shuttlecheck vectors', force, writes: (name) => SUITE_FILES.includes(name) });

export const VECTORS_USAGE = `Usage: npm run vectors -- [--preset NAME ...] [--no-mutants] [--out DIR] [--force] [--quiet]

Writes the conformance vector suite: for each preset, ITF traces that together fire every
action; for each mutant, its shortest counterexample (expect: reject); index.json listing
them with what each covers; codec.json, the Fig 9 record codec vectors.
Default: presets ${CANONICAL_PRESETS.join(', ')}, all mutants, into traces/vectors.
--out DIR must be new, empty or an earlier suite; --force writes into a directory that holds
other files too (they are never replaced or removed). Files of the earlier suite that this
one no longer has are removed.
A line per preset and mutant done goes to stderr (--quiet: none).`;

/** The progress line's name and outcome for a finished part of the suite. */
export const describeUnit = (u: SuiteUnit): [string, string] =>
  match(u)
    .with({ kind: 'preset' }, (p): [string, string] => [p.preset, `${p.vectors} conform vectors, ${p.actions} actions`])
    .with({ kind: 'mutant' }, (m): [string, string] => [
      `mutant ${m.mutant}`,
      `${m.property} in ${m.steps} steps on ${[m.preset, ...Object.entries(m.params).map(([k, v]) => `${k}=${v}`)].join(' ')}`,
    ])
    .exhaustive();

const main = async (argv: readonly string[]): Promise<number> => {
  try {
    const parsed = parseFlags(
      argv,
      {
        preset: { type: 'string', multiple: true },
        'no-mutants': { type: 'boolean' },
        out: { type: 'string' },
        force: { type: 'boolean' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    );
    if (parsed.values.help) {
      process.stdout.write(`${VECTORS_USAGE}\n`);
      return 0;
    }
    const provider = await loadProvider(defaultSystemPath());
    const presets = parsed.values.preset ?? CANONICAL_PRESETS;
    const out = parsed.values.out ?? CANONICAL_DIR;
    const dir = prepareSuiteDir(out, parsed.values.force === true);
    const withMutants = !parsed.values['no-mutants'];
    const finished = unitProgress(process.stderr, 'vectors', presets.length + suiteMutants(provider, withMutants).length, parsed.values.quiet === true);
    const { files, vectors } = await suiteFiles(provider, presets, withMutants, (u) => finished(...describeUnit(u)));
    const { error } = writeOutputFiles(dir, files);
    if (error) throw error;
    const conform = vectors.filter((v) => v.expect === 'conform').length;
    process.stdout.write(
      `wrote ${files.size} files to ${out}: ${conform} conform vectors (${presets.join(', ')}), ` +
        `${vectors.length - conform} must-reject mutant vectors, index.json, codec.json\n`,
    );
    return 0;
  } catch (e) {
    return failureExitCode('vectors', e, process.stderr);
  }
};

runIfMain(import.meta.url, (argv) => main(argv));
