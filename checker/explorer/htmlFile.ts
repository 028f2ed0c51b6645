/**
 * `--html FILE`: one file, under the rules every output of shuttlecheck follows
 * (checker/outputDir.ts): checked before any work, nothing of the user's replaced. FILE may be
 * new (its directory must exist) or an earlier export, which the command knows by the
 * generator line it writes into every export; anything else is refused with one line, and
 * the file is written whole (temporary file + rename).
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomicSync } from '../atomicWrite.ts';
import { InputError } from '../errors.ts';
import { fsReason } from '../outputDir.ts';

/** Written into the head of every export; an existing FILE without it is not ours. */
export const GENERATOR = '<meta name="generator" content="shuttlecheck explore --html">';

/** Throws an InputError `--html FILE: problem` when the export may not be written there. */
export const prepareHtmlFile = (file: string): void => {
  const fail = (problem: string): never => {
    throw new InputError(`--html ${file}: ${problem}`);
  };
  if (file === '') fail('needs a file name');
  let dir;
  try {
    dir = statSync(dirname(file));
  } catch (e) {
    return fail(`its directory cannot be used: ${fsReason(e)}`);
  }
  if (!dir.isDirectory()) fail(`${dirname(file)} is not a directory`);
  let st;
  try {
    st = statSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    return fail(`cannot look at it: ${fsReason(e)}`);
  }
  if (!st.isFile()) fail('is not a file');
  let head = '';
  try {
    head = readFileSync(file, 'utf8').slice(0, 4096);
  } catch (e) {
    fail(`cannot read it: ${fsReason(e)}`);
  }
  if (!head.includes(GENERATOR)) fail('exists and was not written by shuttlecheck explore; choose another name (it is never replaced)');
};

/** Writes the export whole; an InputError naming the file when it cannot. */
export const writeHtmlFile = (file: string, html: string): void => {
  try {
    writeFileAtomicSync(file, html);
  } catch (e) {
    throw new InputError(`--html ${file}: cannot write it: ${fsReason(e)}`);
  }
};
