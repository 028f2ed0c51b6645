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

/** A child process and the calls it has not answered yet. */
interface Child {
  readonly proc: ChildProcess;
  readonly waiting: Map<number, Waiter>;
  stderrTail: string;
}

let child: Child | undefined;
let nextId = 0;
/** The last call queued: the next one starts when it has settled. */
let queue: Promise<unknown> = Promise.resolve();

const fail = (c: Child, e: Error): void => {
  for (const w of c.waiting.values()) w.reject(e);
  c.waiting.clear();
};

/** An idle child does not keep this process alive. */
const idle = (p: ChildProcess): void => {
  p.unref();
  p.channel?.unref();
};
const busy = (p: ChildProcess): void => {
  p.ref();
  p.channel?.ref();
};

const start = (): Child => {
  const proc = fork(RUNNER, [], {
    cwd: ROOT,
    execArgv: ['--import', 'tsx'],
    serialization: 'advanced',
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const c: Child = { proc, waiting: new Map(), stderrTail: '' };
  // Read both pipes so the child never blocks on a full one; keep the end of stderr for errors.
  proc.stdout!.resume();
  proc.stderr!.on('data', (d: Buffer) => {
    c.stderrTail = (c.stderrTail + d.toString()).slice(-4000);
  });
  proc.on('message', (m: ChildReply) => {
    const w = c.waiting.get(m.id);
    if (!w) return;
    c.waiting.delete(m.id);
    if (c.waiting.size === 0) idle(proc);
    if (m.ok) w.resolve(m.value);
    else {
      const e = new Error(m.error.message);
      e.name = m.error.name;
      e.stack = `${m.error.name}: ${m.error.message}\n    (in the child process) ${m.error.stack ?? ''}`;
      w.reject(e);
    }
  });
  proc.on('error', (e) => fail(c, e));
  proc.on('exit', (code, signal) => {
    if (child === c) child = undefined;
    fail(c, new Error(`test child process exited (${signal ?? `code ${code}`}) before answering${c.stderrTail ? `; stderr:\n${c.stderrTail}` : ''}`));
  });
  return c;
};

/** Calls `exportName(...args)` of `modulePath` in this file's child process; resolves to what it returns (awaited). */
export const runInChild = <T>(modulePath: string, exportName: string, args: readonly unknown[] = []): Promise<T> => {
  const module = isAbsolute(modulePath) ? modulePath : resolve(ROOT, modulePath);
  const call = (): Promise<T> =>
    new Promise<T>((resolveCall, rejectCall) => {
      child ??= start();
      const c = child;
      const id = nextId++;
      c.waiting.set(id, { resolve: resolveCall as (v: unknown) => void, reject: rejectCall });
      busy(c.proc);
      const message: ChildCall = { id, module, name: exportName, args };
      c.proc.send(message, (err) => {
        if (!err || !c.waiting.delete(id)) return;
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
  const { proc } = c;
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  if (c.waiting.size > 0 || !proc.connected) proc.kill('SIGKILL');
  else proc.disconnect();
  await exited;
};

process.once('exit', () => child?.proc.kill('SIGKILL'));
