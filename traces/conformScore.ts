/**
 * A vector suite judged by what it rejects (`npm run conform -- --score`): the suite is run
 * against the model itself behind the driver protocol (traces/modelImpl.ts), which must pass
 * every vector, and against each of the model's mutants, each of which must be rejected (a
 * FAIL verdict) by at least MIN_REJECTIONS vectors. One process per implementation serves all
 * of its vectors; SCORE_CONCURRENCY implementations run at a time.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ConformOptions, runConformance, type RunnableVector, type VectorResult } from './harness.ts';

/** Each mutant must be rejected by at least this many vectors. */
export const MIN_REJECTIONS = 2;
/**
 * Implementations run at the same time (each is one process, and this one judges them all):
 * a run spends most of its time waiting for the next reply, so more than the cores pay.
 */
export const SCORE_CONCURRENCY = 4;

const MODEL_IMPL = resolve(dirname(fileURLToPath(import.meta.url)), 'modelImpl.ts');
const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** The command that runs the model (with `mutant` switched on, if given) as an implementation. */
export const modelImplCommand = (mutant?: string): string =>
  `${quote(process.execPath)} --import tsx ${quote(MODEL_IMPL)}${mutant !== undefined ? ` --mutant ${quote(mutant)}` : ''}`;

/** One implementation's run: the model (mutant undefined) or a mutant. */
export interface ScoreRow {
  readonly mutant: string | undefined;
  readonly results: readonly VectorResult[];
  /** For the model, the vectors it does not pass; for a mutant, those that reject it (FAIL; a SKIP rejects nothing). */
  readonly rejectedBy: readonly string[];
}

/** Runs `items` through `f` with at most `n` at a time; results in the order of `items`. */
const pool = async <T, R>(items: readonly T[], n: number, f: (t: T) => Promise<R>): Promise<R[]> => {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const k = next++;
      out[k] = await f(items[k]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  return out;
};

/** Runs the vectors against the model and against every mutant; one row each, the model first. */
export const scoreSuite = (
  vectors: readonly RunnableVector[],
  mutants: readonly string[],
  options: ConformOptions = {},
  onRow?: (r: ScoreRow) => void,
  command: (mutant?: string) => string = modelImplCommand,
): Promise<ScoreRow[]> =>
  pool([undefined, ...mutants], SCORE_CONCURRENCY, async (mutant) => {
    const results = await runConformance(command(mutant), vectors, options);
    const rejects = (r: VectorResult): boolean => (mutant === undefined ? r.verdict !== 'PASS' : r.verdict === 'FAIL');
    const row: ScoreRow = { mutant, results, rejectedBy: results.filter(rejects).map((r) => r.vector) };
    onRow?.(row);
    return row;
  });

/** What is wrong with a score, one line each: the model not passing a vector, a mutant rejected too rarely. */
export const scoreProblems = (rows: readonly ScoreRow[]): string[] => {
  const out: string[] = [];
  for (const row of rows) {
    if (row.mutant === undefined) {
      for (const r of row.results.filter((x) => x.verdict !== 'PASS')) out.push(`the model itself: ${r.verdict} ${r.vector} at step ${r.step ?? '-'}: ${r.reason}`);
    } else if (row.rejectedBy.length < MIN_REJECTIONS) {
      out.push(`mutant ${row.mutant}: rejected by ${row.rejectedBy.length} vector${row.rejectedBy.length === 1 ? '' : 's'}, fewer than ${MIN_REJECTIONS}`);
    }
  }
  return out;
};

const pad = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length));

/** The score table: per implementation, how many vectors reject it and which; then a summary line. */
export const formatScore = (rows: readonly ScoreRow[]): string => {
  const name = (r: ScoreRow): string => (r.mutant === undefined ? 'model (no mutant)' : `mutant ${r.mutant}`);
  const w = Math.max(14, ...rows.map((r) => name(r).length));
  const lines = [`${pad('implementation', w)}  rejected by  vectors`];
  for (const r of rows) {
    const names = r.rejectedBy.map((v) => v.replace(/\.itf\.json$/, ''));
    const which = r.mutant === undefined && names.length === 0 ? `passes all ${r.results.length} vectors` : names.join(' ') || 'none';
    lines.push(`${pad(name(r), w)}  ${pad(String(r.rejectedBy.length), 11)}  ${which}`);
  }
  const mutants = rows.filter((r) => r.mutant !== undefined);
  const enough = mutants.filter((r) => r.rejectedBy.length >= MIN_REJECTIONS).length;
  const model = rows.find((r) => r.mutant === undefined);
  const modelNote = model && model.rejectedBy.length === 0 ? 'the model passes every vector' : `the model does NOT pass ${model?.rejectedBy.length ?? 0} vectors`;
  const vectors = rows[0]?.results.length ?? 0;
  lines.push(`score: ${enough}/${mutants.length} mutants rejected by at least ${MIN_REJECTIONS} of ${vectors} vectors; ${modelNote}`);
  return `${lines.join('\n')}\n`;
};
