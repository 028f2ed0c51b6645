/**
 * The child process of inChild.ts: for each call it receives, imports the module, calls the
 * export, awaits the result and sends it back. Calls arrive one at a time. Exits when the
 * test process disconnects or exits.
 */
import { pathToFileURL } from 'node:url';
import type { ChildCall, ChildReply } from './inChild.ts';

const send = (reply: ChildReply): void => {
  try {
    process.send!(reply);
  } catch (e) {
    // Most often a value the structured clone algorithm cannot copy (a function).
    process.send!({ id: reply.id, ok: false, error: { name: 'DataCloneError', message: `the result cannot be sent to the test: ${(e as Error).message}` } });
  }
};

const handle = async ({ id, module, name, args }: ChildCall): Promise<void> => {
  try {
    const mod = (await import(pathToFileURL(module).href)) as Record<string, unknown>;
    const f = mod[name];
    if (typeof f !== 'function') throw new TypeError(`${module} exports no function "${name}"`);
    send({ id, ok: true, value: await (f as (...a: readonly unknown[]) => unknown)(...args) });
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    send({ id, ok: false, error: { name: err.name, message: err.message, ...(err.stack ? { stack: err.stack } : {}) } });
  }
};

process.on('message', (m: ChildCall) => void handle(m));
process.on('disconnect', () => process.exit(0));
