/**
 * Runs heavy synchronous work (exhaustive checks, the vector suite) in a child process, so
 * that vitest's worker keeps its event loop free: a synchronous block of a minute starves
 * the worker's RPC and vitest fails the run with "Timeout calling onTaskUpdate", even when
 * every test passed.
 *
 * `runInChild(module, exportName, args)` imports `module` (a path from the repository root,
 * or absolute) in the child, calls its export with `args`, awaits the result and resolves to
 * it. One child per test file (vitest worker), started on first use and kept for the file's
 * later calls, so modules stay loaded and any cache in them persists between calls. Calls run
 * one at a time, in order: a test file never has more than one heavy child computing, and
 * vitest's file parallelism (maxWorkers, vitest.config.ts) bounds the CPU the suite uses.
 *
 * Arguments and results cross with the structured clone algorithm (`serialization:
 * 'advanced'`): objects, arrays, Maps, Sets, bigints and undefined survive; functions do not,
 * and class instances arrive as plain objects. An error thrown in the child rejects the call
 * with the same name and message.
 *
 * Call `stopChild` in `afterAll`; the child also exits when this process does.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUNNER = fileURLToPath(new URL('./childRunner.ts', import.meta.url));

/** A call to the child, and its reply (see childRunner.ts). */
export interface ChildCall {
  readonly id: number;
  readonly module: string;
  readonly name: string;
  readonly args: readonly unknown[];
}
export type ChildReply =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly error: { readonly name: string; readonly message: string; readonly stack?: string } };

interface Waiter {
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: Error) => void;
}

let child: ChildProcess | undefined;
let stderrTail = '';
let nextId = 0;
const waiting = new Map<number, Waiter>();
/** The last call queued: the next one starts when it has settled. */
let queue: Promise<unknown> = Promise.resolve();

const fail = (e: Error): void => {
  for (const w of waiting.values()) w.reject(e);
  waiting.clear();
};

const start = (): ChildProcess => {
  stderrTail = '';
  const c = fork(RUNNER, [], {
    cwd: ROOT,
    execArgv: ['--import', 'tsx'],
    serialization: 'advanced',
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  // Read both pipes so the child never blocks on a full one; keep the end of stderr for errors.
  c.stdout!.resume();
  c.stderr!.on('data', (d: Buffer) => {
    stderrTail = (stderrTail + d.toString()).slice(-4000);
  });
  c.on('message', (m: ChildReply) => {
    const w = waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id);
    if (waiting.size === 0) idle(c);
    if (m.ok) w.resolve(m.value);
    else {
      const e = new Error(m.error.message);
      e.name = m.error.name;
      e.stack = `${m.error.name}: ${m.error.message}\n    (in the child process) ${m.error.stack ?? ''}`;
      w.reject(e);
    }
  });
  c.on('error', (e) => fail(e));
  c.on('exit', (code, signal) => {
    if (child === c) child = undefined;
    fail(new Error(`test child process exited (${signal ?? `code ${code}`}) with calls pending${stderrTail ? `; stderr:\n${stderrTail}` : ''}`));
  });
  return c;
};

/** An idle child does not keep this process alive. */
const idle = (c: ChildProcess): void => {
  c.unref();
  c.channel?.unref();
};
const busy = (c: ChildProcess): void => {
  c.ref();
  c.channel?.ref();
};

/** Calls `exportName(...args)` of `modulePath` in this file's child process; resolves to what it returns (awaited). */
export const runInChild = <T>(modulePath: string, exportName: string, args: readonly unknown[] = []): Promise<T> => {
  const module = isAbsolute(modulePath) ? modulePath : resolve(ROOT, modulePath);
  const call = (): Promise<T> =>
    new Promise<T>((resolveCall, rejectCall) => {
      child ??= start();
      const c = child;
      const id = nextId++;
      waiting.set(id, { resolve: resolveCall as (v: unknown) => void, reject: rejectCall });
      busy(c);
      const message: ChildCall = { id, module, name: exportName, args };
      c.send(message, (err) => {
        if (!err) return;
        waiting.delete(id);
        rejectCall(err);
      });
    });
  const result = queue.then(call, call);
  queue = result.catch(() => undefined);
  return result;
};

/** Ends this file's child: gracefully when it is idle, at once when a call is still running. */
export const stopChild = async (): Promise<void> => {
  const c = child;
  if (!c) return;
  child = undefined;
  const exited = new Promise<void>((r) => c.once('exit', () => r()));
  if (waiting.size > 0 || !c.connected) c.kill('SIGKILL');
  else c.disconnect();
  await exited;
};

process.once('exit', () => child?.kill('SIGKILL'));
