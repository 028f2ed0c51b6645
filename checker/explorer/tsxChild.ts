/**
 * A child process running one of the explorer's TypeScript entry points (the background check,
 * the search across the state tree), so that long work never holds the server's event loop.
 * The child gets its input as one JSON argument and answers with JSON lines on stdout.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** tsx's loader, by file URL, so the child finds it whatever its working directory. */
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** Starts `node --import tsx ENTRY 'JSON'`; `entry` is a module URL (`new URL('./x.ts', import.meta.url)`). */
export const spawnTsxChild = (entry: URL, input: unknown): ChildProcess =>
  spawn(process.execPath, ['--import', TSX, fileURLToPath(entry), JSON.stringify(input)], { stdio: ['ignore', 'pipe', 'pipe'] });
