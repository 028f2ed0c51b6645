/**
 * Whole-file writes: a reader (or a user after a crash or Ctrl-C) sees either the old
 * file or the complete new one, never a half-written one. The text goes to a temporary
 * file in the same directory (same file system, so the rename is atomic), is flushed with
 * fsync, and is renamed over the target; the directory is then fsynced so the rename
 * itself survives a power loss (best effort: some platforms cannot fsync a directory).
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

let counter = 0;

/** A temporary name beside `path`, unique within this process (pid + counter). */
const tempPathFor = (path: string): string =>
  join(dirname(path), `.${basename(path)}.${process.pid}.${++counter}.tmp`);

/**
 * The name of the file a temporary file of these functions was for (`.summary.json.123.4.tmp`
 * → `summary.json`), or undefined for any other name: a crash between the write and the rename
 * leaves one, and a command may count it as its own.
 */
export const tempTargetOf = (name: string): string | undefined => /^\.(.+)\.\d+\.\d+\.tmp$/.exec(name)?.[1];

/**
 * Writes `text` (UTF-8) to `path` atomically, replacing any existing file. Resolves once
 * the data and the rename are on disk. On failure the temporary file is removed and the
 * original error is rethrown; an existing file at `path` is then untouched.
 */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const tmp = tempPathFor(path);
  try {
    const fh = await open(tmp, 'wx');
    try {
      await fh.writeFile(text, 'utf8');
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  syncDirectory(dirname(path));
}

/**
 * Synchronous twin of writeFileAtomic, for exit and signal handlers where no event loop
 * turn is left. Same contract.
 */
export function writeFileAtomicSync(path: string, text: string): void {
  const tmp = tempPathFor(path);
  try {
    const fd = openSync(tmp, 'wx');
    try {
      const data = Buffer.from(text, 'utf8');
      let off = 0;
      while (off < data.length) off += writeSync(fd, data, off, data.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  syncDirectory(dirname(path));
}

function syncDirectory(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Directories cannot be opened or fsynced on some platforms (Windows); the rename is
    // still atomic there, only its durability across power loss is not guaranteed.
  }
}
