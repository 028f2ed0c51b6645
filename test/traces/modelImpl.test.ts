/**
 * The model as an implementation behind the driver protocol (traces/modelImpl.ts,
 * traces/modelSession.ts): its replies, with and without a mutant, and the process itself.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import system from '../../model/system.ts';
import { observeState } from '../../traces/driverProjection.ts';
import { answer } from '../../traces/modelImpl.ts';
import { type ModelSession, startSession, stepSession } from '../../traces/modelSession.ts';
import { spawn } from 'node:child_process';

const root = resolve(__dirname, '../..');

/** The adapter as a process fed `input` on standard input: its exit code and both texts. */
const adapter = (args: readonly string[], input: string): Promise<{ code: number | null; out: string; err: string }> =>
  new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'traces/modelImpl.ts', ...args], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.stdin.on('error', () => {});
    child.on('error', fail);
    child.on('close', (code) => done({ code, out, err }));
    child.stdin.end(input);
  });
const tiny = system.presetConfig!('tiny');
const step = (name: string, fields: Record<string, unknown>) => JSON.stringify({ type: 'step', index: 1, action: { name, fields } });

/** Plays request lines through `answer`; the replies, in order. */
const play = (mutant: string | undefined, lines: readonly string[]): unknown[] => {
  let session: ModelSession | undefined;
  const replies: unknown[] = [];
  for (const line of lines) {
    const r = answer(system, mutant, session, line);
    session = r.session;
    if (r.reply) replies.push(r.reply);
  }
  return replies;
};

describe('the model as an implementation', () => {
  it('answers init with the initial state, a step with the state after it, and refuses what is not enabled', () => {
    const model = system.fromConfig(tiny, 'tiny', { params: {} });
    const s0 = model.initStates()[0]!;
    const issue = model.actions(s0).find((a) => model.actionName(a) === 'HostIssue')!;
    const replies = play(undefined, [JSON.stringify({ type: 'init', config: tiny }), step('HostIssue', { chain: 0 }), step('HostAck', { chain: 0 })]);
    expect(replies).toEqual([
      { state: observeState(s0) },
      { state: observeState(model.nextState(s0, issue)) },
      { refused: 'HostAck(chain=0) is not enabled' },
    ]);
  });

  it('with a mutant it is that mutant: ack-before-increment acknowledges before the number moves on', () => {
    const lines = [JSON.stringify({ type: 'init', config: tiny }), ...['HostIssue', 'BladeStamp', 'TransferReady', 'HostAck'].map((n) => step(n, n.startsWith('Host') ? { chain: 0 } : { blade: 0 }))];
    const replies = play('ack-before-increment', lines) as { state?: { writes: { status: number }[] } }[];
    expect(replies[4]!.state!.writes[0]).toEqual({ status: 2 });
    // Without the mutant, transfer ready waits for the number to move on.
    expect(play(undefined, lines)[3]).toEqual({ refused: 'TransferReady(blade=0) is not enabled' });
  });

  it('answers what it cannot do with unsupported, and nothing to end', () => {
    expect(
      play(undefined, [
        'not json',
        '[1]',
        step('HostIssue', { chain: 0 }),
        JSON.stringify({ type: 'init', config: { nope: 1 } }),
        JSON.stringify({ type: 'bogus' }),
        JSON.stringify({ type: 'end' }),
      ]),
    ).toEqual([
      { unsupported: 'malformed request: not JSON' },
      { unsupported: 'malformed request: not a JSON object' },
      { unsupported: 'step before a successful init' },
      { unsupported: expect.stringMatching(/^init config: unknown field "nope"/) },
      { unsupported: 'malformed request: unknown type "bogus"' },
    ]);
  });

  it('follows every initial state that looks the same and reports the first', () => {
    const started = startSession(system, tiny, undefined);
    expect(started.session!.states.length).toBe(1);
    const after = stepSession(started.session!, { name: 'Tick', fields: {} });
    expect(after.reply).toEqual({ refused: 'Tick() is not enabled' });
    expect(after.session).toBe(started.session);
  });

  it('runs as a process: one reply per init or step; an unknown mutant is one line and exit 2', async () => {
    const input = `${JSON.stringify({ type: 'init', config: tiny })}\n${step('HostIssue', { chain: 0 })}\n${JSON.stringify({ type: 'end' })}\n`;
    const [ok, bad] = await Promise.all([adapter([], input), adapter(['--mutant', 'nope'], '')]);
    expect(ok.code).toBe(0);
    expect(ok.out.split('\n').filter((l) => l !== '').map((l) => Object.keys(JSON.parse(l) as object))).toEqual([['state'], ['state']]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^modelImpl: unknown mutant "nope" \(known: .*\)\n$/);
  });
});
