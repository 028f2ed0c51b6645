/**
 * The explorer's exports, `--html FILE` and `--svg FILE`: one file each, under the rules every
 * output of shuttlecheck follows (checker/outputDir.ts): checked before any work, and written
 * whole (temporary file + rename). FILE may be new (its directory must exist) or an earlier
 * export of the same kind, which the command knows by the marker it writes near the top of
 * every export. Any other file is refused with one line, unless `--force` says to replace it;
 * a directory or anything else that is not a file is refused always.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomicSync } from '../atomicWrite.ts';
import { InputError } from '../errors.ts';
import { fsReason } from '../outputDir.ts';

/** One kind of export: the flag that names its file, and the marker its files carry. */
export interface ExportKind {
  readonly flag: '--html' | '--svg';
  readonly marker: string;
}

/** The offline page; its marker goes into the head. */
export const HTML_EXPORT: ExportKind = { flag: '--html', marker: '<meta name="generator" content="shuttlecheck explore --html">' };

/** The sequence chart alone; its marker is a comment before the root element (no `--` inside: XML forbids it in a comment). */
export const SVG_EXPORT: ExportKind = { flag: '--svg', marker: '<!-- generator: shuttlecheck explore, sequence chart export -->' };

/** How far into an existing file the marker is looked for. */
const HEAD_BYTES = 4096;

/**
 * Throws an InputError `FLAG FILE: problem` when the export may not be written there:
 * `force` allows replacing a file that is not an earlier export.
 */
export const prepareExportFile = (kind: ExportKind, file: string, force = false): void => {
  const fail = (problem: string): never => {
    throw new InputError(`${kind.flag} ${file}: ${problem}`);
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
  if (force) return;
  let head = '';
  try {
    head = readFileSync(file, 'utf8').slice(0, HEAD_BYTES);
  } catch (e) {
    fail(`cannot read it: ${fsReason(e)}`);
  }
  if (!head.includes(kind.marker)) fail('exists and was not written by shuttlecheck explore; choose another name, or --force to replace it');
};

/** Writes the export whole; an InputError naming the file when it cannot. */
export const writeExportFile = (kind: ExportKind, file: string, text: string): void => {
  try {
    writeFileAtomicSync(file, text);
  } catch (e) {
    throw new InputError(`${kind.flag} ${file}: cannot write it: ${fsReason(e)}`);
  }
};
