/**
 * The server's side of the search across the state tree: one child process at a time
 * (findChild.ts). A new search ends the one under way, whose request is answered as
 * replaced; close() ends the child, if any, when the server stops.
 */
import type { ChildProcess } from 'node:child_process';
import type { FindMessage, FindRequest } from './findChild.ts';
import { FIND_BOUNDS, type FindBounds } from './findReachable.ts';
import type { ModelChoice } from './modelChoice.ts';
import { spawnTsxChild } from './tsxChild.ts';

/** What a search answers: the child's result, or `replaced` when a newer search ended it. */
export type FindAnswer = Extract<FindMessage, { type: 'done' }> & { readonly bounds: FindBounds } | { readonly type: 'replaced' };

export interface Finder {
  /** Searches for the first reachable state that satisfies `query` (already known to parse). */
  find(query: string): Promise<FindAnswer>;
  close(): Promise<void>;
}

const ENTRY = new URL('./findChild.ts', import.meta.url);

export const createFinder = (choice: ModelChoice, bounds: FindBounds = FIND_BOUNDS): Finder => {
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const stop = (): void => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  };
  return {
    find: (query) => {
      stop();
      const request: FindRequest = { choice, query, bounds };
      const me = spawnTsxChild(ENTRY, request);
      child = me;
      let out = '';
      let err = '';
      me.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
      me.stderr!.setEncoding('utf8').on('data', (d: string) => {
        if (err.length < 4096) err += d;
      });
      const answer = new Promise<FindAnswer>((resolve, reject) => {
        me.on('close', () => {
          if (child !== me) return resolve({ type: 'replaced' });
          if (me.signalCode !== null) return reject(new Error(`the search was stopped (${me.signalCode})`));
          let m: FindMessage | undefined;
          try {
            m = JSON.parse(out.trim().split('\n').at(-1) ?? '') as FindMessage;
          } catch {
            m = undefined;
          }
          if (m?.type === 'done') resolve({ ...m, bounds });
          else reject(new Error(m?.type === 'error' ? m.message : err.trim().split('\n')[0] || 'the search ended without a result'));
        });
      });
      exited = answer.then(
        () => undefined,
        () => undefined,
      );
      return answer;
    },
    close: async () => {
      stop();
      await exited;
    },
  };
};
