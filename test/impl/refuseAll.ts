/**
 * An implementation that starts right and then refuses every step: `init` is answered with
 * the model's initial state (traces/modelSession.ts), every `step` with `refused`. It must
 * fail every must-reject vector whose bad step is not its first step: a must-reject vector
 * is passed only by following it up to its bad step, never by refusing everything.
 */
import { createInterface } from 'node:readline';
import system from '../../model/system.ts';
import { startSession } from '../../traces/modelSession.ts';

for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  const msg = JSON.parse(line) as { type: string; config?: unknown };
  if (msg.type === 'init') process.stdout.write(`${JSON.stringify(startSession(system, msg.config, undefined).reply)}\n`);
  else if (msg.type === 'step') process.stdout.write(`${JSON.stringify({ refused: 'this implementation refuses every step' })}\n`);
}
