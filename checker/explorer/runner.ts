/**
 * The background check the run panel shows: one child process at a time (runCheck.ts),
 * its latest figures, and its result. Starting while one runs restarts it; stopping ends it
 * with its figures so far.
 */
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { ModelChoice } from './modelChoice.ts';
import type { RunMessage } from './runMessage.ts';
import { spawnTsxChild } from './tsxChild.ts';

/** What the run panel polls. */
export interface RunStatus {
  readonly state: 'idle' | 'running' | 'done' | 'failed';
  readonly progress?: Extract<RunMessage, { type: 'progress' }>;
  readonly result?: Extract<RunMessage, { type: 'done' }>;
  readonly error?: string;
  /** Seconds since the run started. */
  readonly elapsedMs?: number;
}

export interface Runner {
  start(): void;
  stop(): void;
  status(): RunStatus;
  /** Ends the child, if any, and resolves when it has exited. */
  close(): Promise<void>;
}

const ENTRY = new URL('./runCheck.ts', import.meta.url);

export const createRunner = (choice: ModelChoice): Runner => {
  let child: ChildProcess | undefined;
  let status: RunStatus = { state: 'idle' };
  let started = 0;
  let exited: Promise<void> = Promise.resolve();

  const stop = (): void => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  };

  const start = (): void => {
    stop();
    const me = spawnTsxChild(ENTRY, choice);
    child = me;
    started = performance.now();
    status = { state: 'running' };
    let stderr = '';
    me.stderr!.setEncoding('utf8').on('data', (d: string) => {
      if (stderr.length < 4096) stderr += d;
    });
    createInterface({ input: me.stdout! }).on('line', (line) => {
      if (child !== me) return;
      let m: RunMessage;
      try {
        m = JSON.parse(line) as RunMessage;
      } catch {
        return;
      }
      if (m.type === 'progress') status = { ...status, progress: m };
      else if (m.type === 'done') status = { state: 'done', result: m, ...(status.progress ? { progress: status.progress } : {}) };
      else status = { state: 'failed', error: m.message };
    });
    exited = new Promise((resolve) => {
      me.on('close', () => {
        if (child === me && status.state === 'running') {
          status = { state: 'failed', error: stderr.trim().split('\n')[0] || 'the check ended without a result' };
        }
        resolve();
      });
    });
  };

  return {
    start,
    stop,
    status: () => ({ ...status, ...(status.state === 'running' ? { elapsedMs: performance.now() - started } : {}) }),
    close: async () => {
      stop();
      await exited;
    },
  };
};
