/**
 * Runs a command's `main` in-process with its output captured, for the CLI tests
 * (check, validate, conform and the README's examples).
 */
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
