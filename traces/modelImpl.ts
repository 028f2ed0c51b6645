/**
 * `node --import tsx traces/modelImpl.ts [--mutant NAME]`: the model as an implementation
 * that speaks the driver protocol (traces/DRIVER.md) on standard input and output, one JSON
 * object per line. With `--mutant NAME` it is that mutant of the protocol: the broken
 * implementation `npm run conform -- --score` runs every vector against, to count the
 * vectors that reject it. The answers come from traces/modelSession.ts.
 *
 * Bad flags (an unknown mutant) exit 2 with one line on standard error. A request that is
 * not a JSON object of a known type is answered `unsupported`, so the harness names it.
 */
import { createInterface } from 'node:readline';
import { InputError } from '../checker/errors.ts';
import { type CommandMain, failureExitCode, parseFlags, runIfMain } from '../checker/flags.ts';
import { defaultSystemPath, loadProvider } from '../checker/loadModel.ts';
import type { ModelProvider } from '../checker/provider.ts';
import { type ModelSession, type SessionReply, startSession, stepSession } from './modelSession.ts';

export const MODEL_IMPL_USAGE = `Usage: node --import tsx traces/modelImpl.ts [--mutant NAME]

The model as an implementation behind the driver protocol (traces/DRIVER.md): JSON lines on
standard input (init, step, end), one reply per init or step on standard output.
  --mutant NAME   behave as that mutant of the protocol (npm run mutants lists them)`;

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** One request line's reply (undefined for `end`), and the session after it. */
export const answer = (
  provider: ModelProvider,
  mutant: string | undefined,
  session: ModelSession | undefined,
  line: string,
): { session: ModelSession | undefined; reply: SessionReply | undefined } => {
  let msg: unknown;
  try {
    msg = JSON.parse(line);
  } catch {
    return { session, reply: { unsupported: 'malformed request: not JSON' } };
  }
  if (!isRecord(msg)) return { session, reply: { unsupported: 'malformed request: not a JSON object' } };
  if (msg.type === 'end') return { session: undefined, reply: undefined };
  if (msg.type === 'init') return startSession(provider, msg.config, mutant);
  if (msg.type === 'step') {
    if (!session) return { session, reply: { unsupported: 'step before a successful init' } };
    const a = msg.action;
    if (!isRecord(a) || typeof a.name !== 'string') return { session, reply: { unsupported: 'malformed request: "action" needs a "name"' } };
    return stepSession(session, { name: a.name, fields: isRecord(a.fields) ? a.fields : {} });
  }
  return { session, reply: { unsupported: `malformed request: unknown type ${JSON.stringify(msg.type)}` } };
};

export const main: CommandMain = async (argv, out = process.stdout, err = process.stderr) => {
  try {
    const { values } = parseFlags(argv, { mutant: { type: 'string' }, help: { type: 'boolean', short: 'h' } });
    if (values.help) {
      out.write(`${MODEL_IMPL_USAGE}\n`);
      return 0;
    }
    const provider = await loadProvider(defaultSystemPath());
    const mutant = values.mutant;
    if (mutant !== undefined && !(provider.mutants ?? []).includes(mutant)) {
      throw new InputError(`unknown mutant "${mutant}" (known: ${(provider.mutants ?? []).join(', ')})`);
    }
    let session: ModelSession | undefined;
    for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
      if (line.trim() === '') continue;
      const r = answer(provider, mutant, session, line);
      session = r.session;
      if (r.reply) out.write(`${JSON.stringify(r.reply)}\n`);
    }
    return 0;
  } catch (e) {
    return failureExitCode('modelImpl', e, err);
  }
};

runIfMain(import.meta.url, (argv) => main(argv));
