/**
 * The CLI's flags, parsed and validated. Every problem is an InputError naming the flag.
 */
import { parseFlags } from './flags.ts';
import { InputError } from './errors.ts';
import { MODEL_FLAGS, modelSpecFromFlags } from './modelFlags.ts';
import type { Strategy } from './result.ts';

export interface CliArgs {
  readonly preset?: string;
  readonly config?: string;
  readonly model?: string;
  readonly system?: string;
  readonly params: Readonly<Record<string, string>>;
  readonly mutant?: string;
  readonly strategy: Strategy;
  readonly maxDepth?: number;
  readonly maxStates?: number;
  readonly seed?: number;
  readonly runs?: number;
  /** Worker threads (`--workers N|auto`); undefined means auto. */
  readonly workers?: number;
  readonly json: boolean;
  readonly out?: string;
  readonly checkpoint?: string;
  /** Seconds between checkpoints. */
  readonly checkpointEvery?: number;
  readonly resume?: string;
  readonly force: boolean;
  /** `--max-memory SIZE`: resident bytes at which the search stops as incomplete. */
  readonly maxMemory?: number;
  /** `--no-symmetry`: keep every state even if the model declares a symmetry. */
  readonly noSymmetry: boolean;
  /** `--no-temporal`: do not check the model's temporal properties. */
  readonly noTemporal: boolean;
  /** `--strict`: check the model contract as the search goes (checker/strict.ts). */
  readonly strict: boolean;
  readonly quiet: boolean;
  /** Seconds between progress lines (default 10 off a terminal, 0.25 on one). */
  readonly progressEvery?: number;
  readonly list: boolean;
  readonly help: boolean;
}

export const USAGE = `Usage: npm run check -- [options]      (or: shuttlecheck [options])

What to check (default: the system's default preset):
  --preset NAME          a preset of the system model (see --list)
  --config FILE          a JSON configuration file of the system model
  --model FILE           your own model module: its default export is a Model, a
                         function (params) => Model, or a ModelProvider (then
                         --preset/--config select within it)
  --param KEY=VALUE      a model parameter (repeatable)
  --mutant NAME          a deliberately broken variant of the protocol (see --list)
  --list                 list presets and mutants, then exit (with --json: as one
                         JSON object)

How to search:
  --strategy bfs|dfs|random   breadth-first (default; shortest counterexample),
                         depth-first, or random walks driven by fast-check
  --max-depth N          do not expand states N steps from the start
  --max-states N         stop after N distinct states
  --seed N               random: the random seed (default 0); same seed, same walks
  --runs N               random: number of walks (default 1000)
  --no-symmetry          keep every state even when the model declares its
                         components interchangeable (Model.canonical)
  --no-temporal          do not check the model's temporal (liveness) properties:
                         no liveness graph, and bfs and dfs may use workers
  --workers N|auto       worker threads for bfs, dfs and random (default auto: one
                         per core); for bfs and dfs any number gives the same
                         result as one
  --strict               bfs/dfs, on one thread, several times slower: check the
                         model contract as the search goes: actions and nextState
                         recomputed on equal copies of each state (a difference
                         stops the search at that state, exit 4), and a warning on
                         stderr for a Set or Map holding members equal as values

Long runs (bfs):
  --checkpoint DIR       save the search's state into DIR between levels, every
                         --checkpoint-every seconds (default 300) and on Ctrl-C;
                         DIR must be new, empty or a checkpoint (else --force)
  --checkpoint-every S   seconds between checkpoints
  --resume DIR           go on from the checkpoint in DIR to the same result as an
                         uninterrupted run (the same model and configuration)
  --max-memory SIZE      stop (incomplete, exit 3, with the figures so far) when the
                         process's resident memory passes SIZE: MiB, or 512M, 4G
                         (default: 90% of the machine's memory; the JavaScript heap
                         is watched as well)

Output:
  --json                 one JSON object on stdout
  --out DIR              write the counterexample (ITF) and summary.json into DIR;
                         DIR must be new, empty or an earlier --out (else --force)
  --force                write into a --out or --checkpoint DIR that holds other
                         files too (they are never replaced or removed)
  --quiet                no progress lines on stderr
  --progress-every S     seconds between progress lines (default: a live line on a
                         terminal, a plain line every 10 s otherwise)
  --help                 this text

Exit codes: 0 every property holds, 1 a property is violated, 2 bad input,
3 incomplete (a --max-depth/--max-states bound or the memory limit cut the search), 4 internal error
(e.g. the model is not deterministic), 130 interrupted (Ctrl-C).
Every DIR is checked before the search; if --out cannot be written after it, the
verdict is printed first, then the error, and the exit code is 2.`;

/** What a flag was given, for a message: the text, or "nothing". */
const given = (v: string): string => (v === '' ? 'nothing' : v);

const nat = (flag: string, v: string | undefined, min: number): number | undefined => {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < min || !Number.isSafeInteger(Number(v))) {
    throw new InputError(`--${flag}: expected a whole number ≥ ${min}, got ${given(v)}`);
  }
  return Number(v);
};

const SIZE_UNITS: Readonly<Record<string, number>> = { '': 2 ** 20, m: 2 ** 20, mb: 2 ** 20, mib: 2 ** 20, g: 2 ** 30, gb: 2 ** 30, gib: 2 ** 30 };

/** `--max-memory`: a size in MiB, or with a unit (512M, 4G); bytes. */
const memorySize = (v: string): number => {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(v.trim());
  const unit = m ? SIZE_UNITS[m[2]!.toLowerCase()] : undefined;
  const bytes = m && unit !== undefined ? Math.floor(Number(m[1]) * unit) : NaN;
  if (!(bytes >= 2 ** 20)) {
    throw new InputError(`--max-memory: expected a size of at least 1 MiB, in MiB or with a unit (e.g. 2048, 512M, 4G), got ${given(v)}`);
  }
  return bytes;
};

const workerCount = (v: string): number => {
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 256) {
    throw new InputError(`--workers: expected a number of threads from 1 to 256, or auto, got ${given(v)}`);
  }
  return Number(v);
};

/** Parses argv (without node and script). Throws InputError for unknown or bad flags. */
export const parseCliArgs = (argv: readonly string[]): CliArgs => {
  const parsed = parseFlags(
    argv,
    {
      ...MODEL_FLAGS,
      strategy: { type: 'string' },
      'max-depth': { type: 'string' },
      'max-states': { type: 'string' },
      seed: { type: 'string' },
      runs: { type: 'string' },
      workers: { type: 'string' },
      json: { type: 'boolean' },
      out: { type: 'string' },
      checkpoint: { type: 'string' },
      'checkpoint-every': { type: 'string' },
      resume: { type: 'string' },
      force: { type: 'boolean' },
      'no-symmetry': { type: 'boolean' },
      'no-temporal': { type: 'boolean' },
      strict: { type: 'boolean' },
      'max-memory': { type: 'string' },
      quiet: { type: 'boolean' },
      'progress-every': { type: 'string' },
      list: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  );
  const v = parsed.values;
  const strategy = v.strategy ?? 'bfs';
  if (strategy !== 'bfs' && strategy !== 'dfs' && strategy !== 'random') {
    throw new InputError(`--strategy must be bfs, dfs or random, got "${strategy}"`);
  }
  const spec = modelSpecFromFlags(v);
  if (strategy !== 'bfs' && (v.checkpoint !== undefined || v.resume !== undefined)) {
    throw new InputError('--checkpoint and --resume apply to --strategy bfs only');
  }
  if (v['checkpoint-every'] !== undefined && v.checkpoint === undefined) {
    throw new InputError('--checkpoint-every needs --checkpoint DIR');
  }
  if (strategy !== 'random' && (v.seed !== undefined || v.runs !== undefined)) {
    throw new InputError('--seed and --runs apply to --strategy random only');
  }
  if (v.strict && strategy === 'random') throw new InputError('--strict applies to --strategy bfs and dfs, not to random walks');
  if (v.strict && (v.checkpoint !== undefined || v.resume !== undefined)) {
    throw new InputError('--strict checks on a one-thread search: --checkpoint and --resume do not apply');
  }
  return {
    ...spec,
    ...(v.out !== undefined ? { out: v.out } : {}),
    ...(v.checkpoint !== undefined ? { checkpoint: v.checkpoint } : {}),
    ...(v['checkpoint-every'] !== undefined ? { checkpointEvery: nat('checkpoint-every', v['checkpoint-every'], 0)! } : {}),
    ...(v.resume !== undefined ? { resume: v.resume } : {}),
    force: v.force ?? false,
    noSymmetry: v['no-symmetry'] ?? false,
    noTemporal: v['no-temporal'] ?? false,
    strict: v.strict ?? false,
    ...(v['max-memory'] !== undefined ? { maxMemory: memorySize(v['max-memory']) } : {}),
    strategy,
    maxDepth: nat('max-depth', v['max-depth'], 0),
    maxStates: nat('max-states', v['max-states'], 1),
    seed: nat('seed', v.seed, 0),
    runs: nat('runs', v.runs, 1),
    ...(v.workers !== undefined && v.workers !== 'auto' ? { workers: workerCount(v.workers) } : {}),
    json: v.json ?? false,
    quiet: v.quiet ?? false,
    progressEvery: nat('progress-every', v['progress-every'], 1),
    list: v.list ?? false,
    help: v.help ?? false,
  };
};
