/**
 * The explorer's background check, as a child process (so the server answers while it
 * runs): `node --import tsx runCheck.ts '<ModelChoice as JSON>'`. It prints JSON lines on
 * stdout: `{"type":"progress",...}` about twice a second, then one `{"type":"done",...}`
 * with the verdict, every property's status, the counterexample's path and the coverage.
 * SIGTERM or SIGINT ends the search with its figures so far.
 */
import { checkSpec } from '../check.ts';
import { loadChoice, type ModelChoice } from './modelChoice.ts';
import type { RunMessage } from './runMessage.ts';
import { runSummary } from './runSummary.ts';


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
