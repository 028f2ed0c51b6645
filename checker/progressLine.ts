/**
 * Progress on stderr: a live line rewritten in place on a terminal, plain periodic lines
 * otherwise (CI logs); and, for the commands made of many checks (mutants, claims, vectors),
 * one line per finished check.
 */
import type { Progress } from './result.ts';

const num = (n: number): string => Math.round(n).toLocaleString('en-US');

/** One progress line. */
export const formatProgress = (p: Progress): string => {
  const secs = p.elapsedMs / 1000;
  return (
    `${num(p.distinctStates)} distinct, ${num(p.generatedStates)} generated, ${num(p.queued)} queued, ` +
    `depth ${p.depth}, ${secs.toFixed(0)} s, ${num(secs > 0 ? p.distinctStates / secs : 0)} states/s` +
    (p.remainingEstimate !== undefined ? `, about ${num(p.remainingEstimate)} states to go` : '')
  );
};

/** A reporter for `CheckOptions.onProgress`, and how often to call it; `done` clears a live line. */
export const progressReporter = (
  stream: NodeJS.WriteStream,
  everySeconds?: number,
): { onProgress: (p: Progress) => void; everyMs: number; done: () => void } => {
  if (stream.isTTY && everySeconds === undefined) {
    let shown = false;
    return {
      everyMs: 250,
      onProgress: (p) => {
        shown = true;
        stream.write(`\r\x1b[K${formatProgress(p)}`);
      },
      done: () => {
        if (shown) stream.write('\r\x1b[K');
      },
    };
  }
  return {
    everyMs: (everySeconds ?? 10) * 1000,
    onProgress: (p) => stream.write(`progress: ${formatProgress(p)}\n`),
    done: () => undefined,
  };
};

/** One line of a command that works through named units (mutants, claims rows, vectors). */
export const formatUnitLine = (command: string, done: number, total: number, unit: string, outcome: string, ms: number): string =>
  `${command}: ${done}/${total} ${unit}: ${outcome} (${(ms / 1000).toFixed(1)} s)`;

/**
 * Progress of such a command on `stream`: `finished(unit, outcome)` writes one line, timed
 * from the previous unit's end (the first from the reporter's making). Quiet: nothing.
 */
export const unitProgress = (
  stream: NodeJS.WritableStream,
  command: string,
  total: number,
  quiet = false,
  now: () => number = () => performance.now(),
): ((unit: string, outcome: string) => void) => {
  let done = 0;
  let last = now();
  return (unit, outcome) => {
    const t = now();
    done++;
    if (!quiet) stream.write(`${formatUnitLine(command, done, total, unit, outcome, t - last)}\n`);
    last = t;
  };
};
