/**
 * One implementation process spoken to in JSON lines (traces/DRIVER.md): the harness writes
 * one JSON object per line on the process's standard input and reads one JSON object per
 * line from its standard output. Every failure of the process (it exits, stays silent past
 * the timeout, writes something that is not a JSON object, floods its output) becomes a
 * `DriverError` with a message that says which, never an exception that escapes the harness.
 *
 * The command runs under `sh -c` in its own process group, so that ending a session also
 * ends whatever the command started (tsx, for instance, runs node as a child).
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';

/** A reply line, parsed: a JSON object. */
export type Reply = Readonly<Record<string, unknown>>;

export class DriverError extends Error {
  override readonly name = 'DriverError';
}

/** How much of the implementation's standard error a crash report quotes. */
const STDERR_TAIL = 600;
/** How long after its exit a process's output streams may take to close before the exit is reported anyway. */
const EXIT_GRACE_MS = 200;
/** A reply line longer than this, or more unread reply lines than this, is a flood. */
export const MAX_REPLY_CHARS = 1 << 20;
export const MAX_UNREAD_LINES = 10_000;

export class ImplProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private buffer = '';
  private readonly lines: string[] = [];
  private waiter: (() => void) | undefined;
  private exited: string | undefined;
  private stderrTail = '';
  /** True once a reply arrived: the first reply may take longer (the process starts). */
  private started = false;
  /** Set when the process flooded its standard output (and was ended for it). */
  private flooded: string | undefined;

  constructor(
    readonly command: string,
    private readonly timeoutMs: number,
    private readonly startupMs: number,
  ) {
    this.child = spawn('sh', ['-c', command], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    this.child.stdout.setEncoding('utf8');
    this.child.stderr.setEncoding('utf8');
    this.child.stdout.on('data', (chunk: string) => {
      this.buffer += chunk;
      let nl = this.buffer.indexOf('\n');
      while (nl >= 0) {
        const line = this.buffer.slice(0, nl).trim();
        this.buffer = this.buffer.slice(nl + 1);
        if (line !== '') this.lines.push(line);
        nl = this.buffer.indexOf('\n');
      }
      // A process that writes without end must not take the harness's memory with it.
      if (this.flooded === undefined && (this.buffer.length > MAX_REPLY_CHARS || this.lines.length > MAX_UNREAD_LINES)) {
        this.flooded =
          this.buffer.length > MAX_REPLY_CHARS
            ? `flooded its output: a reply line of over ${MAX_REPLY_CHARS.toLocaleString('en')} characters`
            : `flooded its output: over ${MAX_UNREAD_LINES.toLocaleString('en')} lines nobody asked for`;
        this.buffer = '';
        this.lines.length = 0;
        this.child.stdout.destroy();
        this.killGroup();
      }
      this.wake();
    });
    this.child.stderr.on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_TAIL);
    });
    // Writing to a process that already exited fails with EPIPE; the exit is reported instead.
    this.child.stdin.on('error', () => {});
    this.child.on('error', (e) => {
      this.exited = `could not start: ${e.message}`;
      this.wake();
    });
    this.child.on('exit', (code, signal) => {
      // What the process wrote just before it ended may not be read yet: the exit counts once
      // its output streams are closed, or after a moment (a process it left behind may hold them).
      const exited = (): void => {
        if (this.exited !== undefined) return;
        this.exited = signal ? `killed by ${signal}` : `exited with code ${code}`;
        this.wake();
      };
      this.child.once('close', exited);
      setTimeout(exited, EXIT_GRACE_MS).unref();
    });
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  /** Whether the process can still be spoken to. */
  get alive(): boolean {
    return this.exited === undefined && this.flooded === undefined;
  }

  /** Whether the process ever replied. */
  get answered(): boolean {
    return this.started;
  }

  private describeExit(): string {
    const tail = this.stderrTail.trim();
    return `the implementation ${this.exited}${tail ? ` (stderr: ${tail.split('\n').slice(-3).join(' | ')})` : ''}`;
  }

  /** Sends one message; resolves to its reply, or throws DriverError. */
  async request(message: Readonly<Record<string, unknown>>): Promise<Reply> {
    this.send(message);
    return this.nextReply();
  }

  /** Sends one message that has no reply (`end`). */
  send(message: Readonly<Record<string, unknown>>): void {
    if (this.flooded !== undefined) throw new DriverError(`the implementation ${this.flooded}`);
    if (this.exited !== undefined) throw new DriverError(this.describeExit());
    this.child.stdin.write(`${JSON.stringify(message)}\n`);
  }

  /**
   * Reads the next reply, to the oldest request not answered yet (the harness may send several
   * requests before it reads their replies: they are answered in order).
   */
  async nextReply(): Promise<Reply> {
    const limit = this.started ? this.timeoutMs : this.startupMs;
    const deadline = Date.now() + limit;
    while (this.lines.length === 0) {
      if (this.flooded !== undefined) throw new DriverError(`the implementation ${this.flooded}`);
      // Lines already written before an exit are still read; after them, the exit is the answer.
      if (this.exited !== undefined) throw new DriverError(this.describeExit());
      const left = deadline - Date.now();
      if (left <= 0) throw new DriverError(`no reply within ${limit} ms`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(t);
          resolve();
        };
      });
    }
    this.started = true;
    const line = this.lines.shift()!;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new DriverError(`malformed reply (not JSON): ${line.length > 80 ? `${line.slice(0, 77)}...` : line}`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new DriverError(`malformed reply (not a JSON object): ${line.length > 80 ? `${line.slice(0, 77)}...` : line}`);
    }
    return parsed as Reply;
  }

  /** Ends the session: closes standard input, then ends the process group if it lingers. */
  async close(graceMs = 500): Promise<void> {
    if (this.exited === undefined) {
      this.child.stdin.end();
      const deadline = Date.now() + graceMs;
      while (this.exited === undefined && Date.now() < deadline) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, Math.max(1, deadline - Date.now()));
          this.waiter = () => {
            clearTimeout(t);
            resolve();
          };
        });
      }
    }
    this.killGroup();
  }

  /** Kills the process group this session started (by its id), if anything of it is left. */
  killGroup(): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // The group is already gone.
    }
  }
}
