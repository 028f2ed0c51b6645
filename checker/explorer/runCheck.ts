/**
 * The explorer's background check, as a child process (so the server answers while it
 * runs): `node --import tsx runCheck.ts '<ModelChoice as JSON>'`. It prints JSON lines on
 * stdout: `{"type":"progress",...}` about twice a second, then one `{"type":"done",...}`
 * with the verdict, every property's status, the counterexample's path and the coverage.
 * SIGTERM or SIGINT ends the search with its figures so far.
 */
import { checkSpec } from '../check.ts';
import type { CheckResult, Progress } from '../result.ts';
import { loadChoice, type ModelChoice } from './modelChoice.ts';
import { runSummary } from './runSummary.ts';

/** One line of the child's output. */
export type RunMessage =
  | ({ readonly type: 'progress' } & Progress)
  | ({
      readonly type: 'done';
      readonly verdict: string;
      readonly cutBy?: string;
      readonly properties: readonly { readonly name: string; readonly kind: string; readonly status: string }[];
      readonly counterexample?: {
        readonly property: string;
        readonly kind: string;
        readonly explanation?: string;
        readonly path: string;
        readonly length: number;
        /** A lasso's loop start (temporal properties): the step the behaviour returns to, forever. */
        readonly loop?: number;
      };
    } & Pick<CheckResult, 'distinctStates' | 'generatedStates' | 'depth' | 'durationMs' | 'statesPerSecond' | 'coverage' | 'neverFired'>)
  | { readonly type: 'error'; readonly message: string };

const emit = (m: RunMessage): void => {
  process.stdout.write(`${JSON.stringify(m)}\n`);
};

const run = async (choice: ModelChoice): Promise<void> => {
  const loaded = await loadChoice(choice);
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // One thread, under the memory guard: the machine is shared with the page and the server.
  const r = await checkSpec(choice.spec, {
    strategy: 'bfs',
    workers: 1,
    signal: controller.signal,
    progressEveryMs: 500,
    onProgress: (p) => emit({ type: 'progress', ...p }),
  }, loaded);
  emit(runSummary(r));
};

run(JSON.parse(process.argv[2] ?? '{}') as ModelChoice).catch((e: unknown) => {
  emit({ type: 'error', message: (e as Error).message.split('\n')[0] ?? String(e) });
  process.exitCode = 1;
});
