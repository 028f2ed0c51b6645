/**
 * Directories a command writes into (`check --out`, `check --checkpoint`, `vectors --out`):
 * checked here before any work starts, and written here, so that nothing the command did not
 * write itself is ever deleted or replaced.
 *
 * A directory may be new (it is created, parents included), empty, or hold only what the same
 * command wrote there before. The command knows its own files by a manifest it keeps in the
 * directory, `.shuttlecheck-out.json` ({ writtenBy, files }), or by a record of its own (a
 * checkpoint's description). Anything else is refused with an InputError (exit 2) naming the
 * path and what is there: a file, a directory under a file, one that cannot be created or
 * written (probed by creating and removing a file), one holding files the command did not
 * write (allowed with `--force`), another command's output, or a file the command did not write
 * at a name it writes (refused even with `--force`: it would be replaced).
 *
 * writeOutputFiles writes each file whole (temporary file + rename). The manifest is written
 * first, listing the previous and the new files, so a crash at any point leaves a directory the
 * next run accepts; then the files; then it removes files of the previous output this one no
 * longer has (listed in the manifest: the command's own); then the manifest lists exactly the
 * new output. A failure is returned, not thrown: the caller reports it after its results.
 */
import { closeSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, realpathSync, rmdirSync, statSync, unlinkSync, type Stats } from 'node:fs';
import { dirname, isAbsolute, join, normalize } from 'node:path';
import { tempTargetOf, writeFileAtomicSync } from './atomicWrite.ts';
import { InputError } from './errors.ts';

/** The manifest's file name, in every directory written with writeOutputFiles. */
export const MANIFEST = '.shuttlecheck-out.json';

/** What of a directory's content a command wrote itself. Paths are relative, `/`-separated. */
export interface Ownership {
  /** The file at `rel` is the command's. */
  readonly file: (rel: string) => boolean;
  /** The command writes into the subdirectory `rel`: what it holds is looked at one by one. */
  readonly dir: (rel: string) => boolean;
  /** The files of the command's previous output (to replace, or to remove when stale). */
  readonly previous: readonly string[];
}

export interface OutputDirSpec {
  /** The flag that named the directory, for messages: `--out`. */
  readonly flag: string;
  /** Who writes: `shuttlecheck vectors`; recorded in the manifest and named in messages. */
  readonly writer: string;
  readonly force: boolean;
  /** Whether the command writes a top-level entry of this name (a file, or a directory it writes into). */
  readonly writes: (name: string) => boolean;
  /** The command's own record of what it wrote; default: the manifest, when `writer` wrote it. */
  readonly ownership?: (dir: string) => Ownership;
}

/** A directory checked by prepareOutputDir: it exists and may be written. */
export interface OutputDir {
  /** As the user gave it. */
  readonly path: string;
  readonly flag: string;
  readonly writer: string;
  readonly previous: readonly string[];
}

/** What writeOutputFiles did: the paths it wrote, and the error that stopped it, if one did. */
export interface WriteOutcome {
  readonly written: readonly string[];
  readonly error?: InputError;
}

interface Manifest {
  readonly writtenBy: string;
  readonly files: readonly string[];
}

/** `EACCES: permission denied, open 'x'` → `permission denied (EACCES)`. */
export const fsReason = (e: unknown): string => {
  const { code, message } = e as NodeJS.ErrnoException;
  const text = /^[A-Z0-9_]+: ([^,]+)/.exec(message ?? '')?.[1] ?? message ?? String(e);
  return code ? `${text} (${code})` : text;
};

const codeOf = (e: unknown): string | undefined => (e as NodeJS.ErrnoException).code;

/** A path relative to the directory and inside it: no `..`, no empty or absolute part. */
const isInside = (rel: string): boolean =>
  rel !== '' && !isAbsolute(rel) && !rel.includes('\\') && rel.split('/').every((p) => p !== '' && p !== '.' && p !== '..');

const readManifest = (dir: string): Manifest | 'absent' | 'invalid' => {
  let text: string;
  try {
    text = readFileSync(join(dir, MANIFEST), 'utf8');
  } catch (e) {
    return codeOf(e) === 'ENOENT' ? 'absent' : 'invalid';
  }
  try {
    const m = JSON.parse(text) as Partial<Manifest>;
    if (typeof m.writtenBy !== 'string' || !m.writtenBy.startsWith('shuttlecheck')) return 'invalid';
    if (!Array.isArray(m.files) || !m.files.every((f) => typeof f === 'string' && isInside(f) && f !== MANIFEST)) return 'invalid';
    return { writtenBy: m.writtenBy, files: m.files };
  } catch {
    return 'invalid';
  }
};

/** The ownership a manifest records: the files it lists and the directories they are in. */
const manifestOwnership = (files: readonly string[]): Ownership => {
  const listed = new Set(files);
  const dirs = new Set(files.flatMap((f) => f.split('/').slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join('/'))));
  return { file: (rel) => rel === MANIFEST || listed.has(rel), dir: (rel) => dirs.has(rel), previous: files };
};

const PROBE = /^\.shuttlecheck-probe\.\d+\.tmp$/;

/** A file the command wrote, or a temporary file left beside one of them (or a probe) by a crash. */
const isOwnFile = (own: Ownership, rel: string): boolean => {
  if (own.file(rel)) return true;
  const slash = rel.lastIndexOf('/');
  const name = rel.slice(slash + 1);
  if (slash < 0 && PROBE.test(name)) return true;
  const target = tempTargetOf(name);
  return target !== undefined && own.file(rel.slice(0, slash + 1) + target);
};

/** Everything in `dir` the command did not write: files, and directories it does not write into (as `name/`). */
const foreignEntries = (dir: string, own: Ownership, sub = ''): string[] =>
  readdirSync(sub ? join(dir, sub) : dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((e) => {
      const rel = sub ? `${sub}/${e.name}` : e.name;
      if (e.isDirectory()) return own.dir(rel) ? foreignEntries(dir, own, rel) : [`${rel}/`];
      return isOwnFile(own, rel) ? [] : [rel];
    });

const listNames = (names: readonly string[]): string =>
  names.length <= 6 ? names.join(', ') : `${names.slice(0, 5).join(', ')} and ${names.length - 5} more`;

/**
 * Creates `dir` and its missing parents, one mkdir each; the problem when it cannot, or
 * undefined. (mkdirSync's recursive mode spins forever, in native code where no signal
 * handler runs, where mkdir answers ENOENT under an existing parent, as everywhere in /proc.)
 */
const makeDirs = (dir: string): string | undefined => {
  const missing: string[] = [];
  let p = normalize(dir);
  for (;;) {
    let st: Stats;
    try {
      st = statSync(p);
    } catch (e) {
      const code = codeOf(e);
      if ((code === 'ENOENT' || code === 'ENOTDIR') && dirname(p) !== p) {
        missing.push(p);
        p = dirname(p);
        continue;
      }
      return `cannot look at ${p}: ${fsReason(e)}`;
    }
    if (st.isDirectory()) break;
    const what = st.isFile() ? 'is a file' : 'is not a directory';
    return missing.length === 0 ? what : `${p} ${what}`;
  }
  for (const m of missing.reverse()) {
    try {
      mkdirSync(m);
    } catch (e) {
      let exists = false;
      try {
        exists = codeOf(e) === 'EEXIST' && statSync(m).isDirectory();
      } catch {
        // reported below
      }
      if (!exists) return `cannot create ${m}: ${fsReason(e)}`;
    }
  }
  return undefined;
};

/** Whether a file can be created in `dir`: creates one and removes it. */
const probeWrite = (dir: string): string | undefined => {
  const probe = join(dir, `.shuttlecheck-probe.${process.pid}.tmp`);
  try {
    closeSync(openSync(probe, 'wx'));
    unlinkSync(probe);
    return undefined;
  } catch (e) {
    return `cannot write into it: ${fsReason(e)}`;
  }
};

/**
 * Checks, before any work, that the command may write into `path` (see the file's comment),
 * creating it when it is new. Throws an InputError `<flag> <path>: <problem>` otherwise.
 */
export const prepareOutputDir = (path: string, spec: OutputDirSpec): OutputDir => {
  const fail = (problem: string): never => {
    throw new InputError(`${spec.flag} ${path}: ${problem}`);
  };
  if (path === '') throw new InputError(`${spec.flag} needs a directory, got an empty path`);
  const made = makeDirs(path);
  if (made !== undefined) fail(made);

  let own: Ownership;
  if (spec.ownership) own = spec.ownership(path);
  else {
    const m = readManifest(path);
    if (m === 'absent') own = manifestOwnership([]);
    else if (m === 'invalid') own = { file: () => false, dir: () => false, previous: [] };
    else if (m.writtenBy !== spec.writer) {
      return fail(`holds the output of ${m.writtenBy} (${MANIFEST}); write into another directory`);
    } else own = manifestOwnership(m.files);
  }
  let foreign: string[] = [];
  try {
    foreign = foreignEntries(path, own);
  } catch (e) {
    fail(`cannot read it: ${fsReason(e)}`);
  }
  // The manifest is written by every command that keeps one (those without a record of their own).
  const writes = (name: string): boolean => spec.writes(name) || (!spec.ownership && name === MANIFEST);
  const replaced = foreign.filter((f) => /^[^/]+\/?$/.test(f) && writes(f.replace(/\/$/, '')));
  if (replaced.length > 0) {
    fail(
      `holds ${listNames(replaced)}, not written by ${spec.writer}, which it would replace; ` +
        `move ${replaced.length === 1 ? 'it' : 'them'} away or choose another directory (--force never replaces such files)`,
    );
  }
  if (foreign.length > 0 && !spec.force) {
    fail(`holds ${listNames(foreign)} (not written by ${spec.writer}); use --force to write into it anyway`);
  }
  const unwritable = probeWrite(path);
  if (unwritable !== undefined) fail(unwritable);
  return { path, flag: spec.flag, writer: spec.writer, previous: own.previous };
};

const manifestText = (writer: string, files: readonly string[]): string =>
  `${JSON.stringify(
    {
      note: 'the files shuttlecheck wrote in this directory: it replaces them on its next run and touches nothing else',
      writtenBy: writer,
      files: [...files].sort(),
    },
    null,
    2,
  )}\n`;

const exists = (p: string): boolean => {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
};

/** Removes the file `rel` of the previous output, and then its directories that are left empty. */
const removeStale = (root: string, rel: string): void => {
  const parent = dirname(rel);
  // Never through a symbolic link: the file must be where the manifest says, inside the directory.
  if (realpathSync(join(root, parent)) !== join(realpathSync(root), parent)) return;
  const st = lstatSync(join(root, rel), { throwIfNoEntry: false });
  if (!st || st.isDirectory()) return;
  unlinkSync(join(root, rel));
  for (let d = parent; d !== '.'; d = dirname(d)) {
    try {
      rmdirSync(join(root, d));
    } catch {
      return; // not empty: it holds something else
    }
  }
};

/**
 * Writes `files` (relative `/`-separated path → text) into a prepared directory, each whole, and
 * keeps its manifest; removes the files of the previous output (the manifest's) that `files` no
 * longer has, so the directory holds one run's output. Refuses to replace a file it did not write that appeared since the
 * directory was checked. Never throws for a file-system error: returns it with what was written.
 */
export const writeOutputFiles = (out: OutputDir, files: ReadonlyMap<string, string>): WriteOutcome => {
  const written: string[] = [];
  const names = [...files.keys()].sort();
  const bad = names.filter((rel) => !isInside(rel) || rel === MANIFEST);
  if (bad.length > 0) throw new Error(`writeOutputFiles: not a file name inside the directory: ${bad.join(', ')}`);
  const previous = new Set(out.previous);
  const failed = (what: string, e: unknown): WriteOutcome => ({
    written,
    error: new InputError(`${out.flag} ${out.path}: cannot write ${what}: ${fsReason(e)}`),
  });

  const appeared = names.filter((rel) => !previous.has(rel) && exists(join(out.path, rel)));
  if (appeared.length > 0) {
    return {
      written,
      error: new InputError(
        `${out.flag} ${out.path}: ${listNames(appeared)} appeared there during the run, not written by ${out.writer}; nothing written`,
      ),
    };
  }
  const stale = out.previous.filter((rel) => !files.has(rel));
  try {
    writeFileAtomicSync(join(out.path, MANIFEST), manifestText(out.writer, [...new Set([...out.previous, ...names])]));
  } catch (e) {
    return failed(MANIFEST, e);
  }
  for (const rel of names) {
    const path = join(out.path, rel);
    const made = makeDirs(dirname(path));
    if (made !== undefined) return { written, error: new InputError(`${out.flag} ${out.path}: cannot write ${rel}: ${made}`) };
    try {
      writeFileAtomicSync(path, files.get(rel)!);
    } catch (e) {
      return failed(rel, e);
    }
    written.push(path);
  }
  for (const rel of stale) {
    try {
      removeStale(out.path, rel);
    } catch (e) {
      return { written, error: new InputError(`${out.flag} ${out.path}: cannot remove ${rel} of the previous output: ${fsReason(e)}`) };
    }
  }
  try {
    writeFileAtomicSync(join(out.path, MANIFEST), manifestText(out.writer, names));
  } catch (e) {
    return failed(MANIFEST, e);
  }
  return { written };
};
