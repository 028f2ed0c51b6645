/**
 * Runs a command's `main` in-process with its output captured, for the CLI tests
 * (check, validate, conform and the README's examples); or the command as a process.
 */
import { spawn } from 'node:child_process';

export interface Captured {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Calls `invoke` with two in-memory streams (not terminals) and returns the exit code and both texts. */
export const runCaptured = async (
  invoke: (stdout: NodeJS.WriteStream, stderr: NodeJS.WriteStream) => Promise<number>,
): Promise<Captured> => {
  let out = '';
  let err = '';
  const stream = (append: (s: string) => void) =>
    ({ isTTY: false, write: (s: string) => (append(s), true) }) as unknown as NodeJS.WriteStream;
  const code = await invoke(stream((s) => (out += s)), stream((s) => (err += s)));
  return { code, out, err };
};

/**
 * Runs a command as a process, without blocking the test's worker while it runs: its exit
 * code (null if a signal ended it) and both texts. For what only a real process shows:
 * npm's banner, which stream a line goes to, the entry point of a script.
 */
export const runProcess = (
  command: string,
  args: readonly string[],
  options: { readonly cwd?: string; readonly env?: NodeJS.ProcessEnv; readonly timeoutMs?: number } = {},
): Promise<{ code: number | null; out: string; err: string }> =>
  new Promise((resolveRun, rejectRun) => {
    const { timeoutMs, ...spawnOptions } = options;
    // A deadline (SIGKILL, code null) for what must not hang even when it regresses.
    const deadline = timeoutMs !== undefined ? { timeout: timeoutMs, killSignal: 'SIGKILL' as const } : {};
    const child = spawn(command, args, { ...spawnOptions, ...deadline, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', rejectRun);
    child.on('close', (code) => resolveRun({ code, out, err }));
  });
