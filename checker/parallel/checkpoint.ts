/**
 * Checkpoints of a breadth-first search, taken between levels: enough to go on later to
 * the same final counts and counterexample as an uninterrupted run.
 *
 * A checkpoint directory holds `shuttlecheck-checkpoint.json` (what was checked, the
 * figures so far, a SHA-256 of every other file) and binary files: the visited set, the
 * parent and action links, the explored graph when the model has reachability properties,
 * the string registry, and one frontier file per worker (each state as a varint rank and
 * its binary encoding). Every file is written to a temporary name and renamed, the
 * description last, so a checkpoint directory always describes complete files.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ActionIndices, actionIndicesFromBytes } from '../actionIndices.ts';
import { writeFileAtomicSync } from '../atomicWrite.ts';
import { InputError } from '../errors.ts';
import { prepareOutputDir, type Ownership } from '../outputDir.ts';
import type { ModelSpec } from '../loadModel.ts';
import type { PathIndices } from '../result.ts';

export const CHECKPOINT_FILE = 'shuttlecheck-checkpoint.json';
const FORMAT = 1;

/** What identifies the search a checkpoint belongs to. */
export interface CheckpointIdentity {
  readonly version: string;
  readonly spec: ModelSpec;
  readonly model: string;
  /** Fingerprint of the model's initial states and action names: changes with its configuration. */
  readonly modelFingerprint: string;
  readonly maxDepth: number | null;
}

/** The coordinator's figures at a level boundary. */
export interface CheckpointFigures {
  readonly nextId: number;
  readonly generated: number;
  readonly depth: number;
  readonly boundaryCut: number;
  readonly level: number;
  readonly levelBase: number;
  readonly levelSize: number;
  readonly fired: readonly (readonly [string, number])[];
  readonly witnesses: readonly (readonly [string, PathIndices])[];
  readonly tableCapacity: number;
  readonly tableSize: number;
  readonly edges: number;
}

interface Description extends CheckpointIdentity, CheckpointFigures {
  readonly format: number;
  readonly workers: number;
  /** Bytes per entry of actions.bin: 2, or 4 once an action index needed them (absent: 2). */
  readonly actionIndexBytes?: number;
  readonly files: Readonly<Record<string, string>>;
}

/** The arrays a checkpoint holds beside its description. */
export interface CheckpointArrays {
  readonly hi: Uint32Array;
  readonly lo: Uint32Array;
  readonly values?: Uint32Array;
  readonly parents: Uint32Array;
  readonly actionIdx: ActionIndices;
  readonly graph?: { readonly src: Uint32Array; readonly dst: Uint32Array; readonly mask: Uint32Array; readonly marks: Uint32Array };
  readonly strings: readonly string[];
}

const sha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

const bytesOf = (a: ArrayBufferView): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** The files a checkpoint is made of (frontier-N.bin besides, one per worker). */
const CHECKPOINT_NAMES: ReadonlySet<string> = new Set([
  CHECKPOINT_FILE, 'visited-hi.bin', 'visited-lo.bin', 'visited-ids.bin', 'parents.bin', 'actions.bin',
  'graph-src.bin', 'graph-dst.bin', 'graph-mask.bin', 'graph-marks.bin', 'strings.json',
]);
const FRONTIER_FILE = /^frontier-\d+\.bin(\.tmp)?$/;

/**
 * What in `dir` a checkpoint wrote: its description, the files it describes, its temporary
 * files (`.sc-*`) and the workers' frontier files (writeCheckpoint removes those it does not
 * describe). The description is the checkpoint's record of its files; it keeps no manifest.
 */
const checkpointOwnership = (dir: string): Ownership => {
  let described: string[] = [];
  try {
    described = Object.keys((JSON.parse(readFileSync(join(dir, CHECKPOINT_FILE), 'utf8')) as Description).files ?? {});
  } catch {
    // No description yet, or a damaged one (--resume says so): its own name is still ours.
  }
  return {
    file: (name) => name === CHECKPOINT_FILE || name.startsWith('.sc-') || FRONTIER_FILE.test(name) || described.includes(name),
    dir: () => false,
    previous: described,
  };
};

/**
 * Checks, before a search starts, that `dir` may hold checkpoints (checker/outputDir.ts):
 * new, empty, or holding a checkpoint; anything else only with `force`, and never a file the
 * checkpoint would replace.
 */
export const prepareCheckpointDir = (dir: string, force: boolean): void => {
  prepareOutputDir(dir, {
    flag: '--checkpoint',
    writer: 'a shuttlecheck checkpoint',
    force,
    writes: (name) => CHECKPOINT_NAMES.has(name),
    ownership: checkpointOwnership,
  });
};

/** Writes a checkpoint; `frontierFiles` were already written into `dir` by the workers. */
export const writeCheckpoint = (
  dir: string,
  identity: CheckpointIdentity,
  figures: CheckpointFigures,
  arrays: CheckpointArrays,
  frontierFiles: readonly string[],
): void => {
  const files: Record<string, string> = {};
  const put = (name: string, bytes: Uint8Array): void => {
    const tmp = join(dir, `.sc-${name}.tmp`);
    writeFileSync(tmp, bytes);
    renameSync(tmp, join(dir, name));
    files[name] = sha(bytes);
  };
  put('visited-hi.bin', bytesOf(arrays.hi));
  put('visited-lo.bin', bytesOf(arrays.lo));
  if (arrays.values) put('visited-ids.bin', bytesOf(arrays.values));
  put('parents.bin', bytesOf(arrays.parents.subarray(0, figures.nextId)));
  put('actions.bin', bytesOf(arrays.actionIdx.subarray(0, figures.nextId)));
  if (arrays.graph) {
    put('graph-src.bin', bytesOf(arrays.graph.src.subarray(0, figures.edges)));
    put('graph-dst.bin', bytesOf(arrays.graph.dst.subarray(0, figures.edges)));
    put('graph-mask.bin', bytesOf(arrays.graph.mask.subarray(0, figures.edges)));
    put('graph-marks.bin', bytesOf(arrays.graph.marks.subarray(0, figures.nextId)));
  }
  put('strings.json', new TextEncoder().encode(JSON.stringify(arrays.strings)));
  for (const f of frontierFiles) files[f] = sha(readFileSync(join(dir, f)));
  const description: Description = {
    format: FORMAT,
    ...identity,
    ...figures,
    workers: frontierFiles.length,
    actionIndexBytes: arrays.actionIdx.BYTES_PER_ELEMENT,
    files,
  };
  writeFileAtomicSync(join(dir, CHECKPOINT_FILE), `${JSON.stringify(description, null, 1)}\n`);
  // Frontier files of an earlier checkpoint with more workers are no longer described.
  for (const e of readdirSync(dir)) if (/^frontier-\d+\.bin$/.test(e) && !(e in files)) rmSync(join(dir, e), { force: true });
};

/** A checkpoint read back and checked. */
export interface LoadedCheckpoint extends CheckpointFigures, CheckpointArrays {
  readonly frontierFiles: readonly string[];
}

const describe = (id: CheckpointIdentity): string =>
  `${id.model} (${JSON.stringify({ ...id.spec })}, version ${id.version})`;

/** Reads the checkpoint in `dir` for the search `identity`; InputError (exit 2) when it is missing, corrupt or another search's. */
export const readCheckpoint = (dir: string, identity: CheckpointIdentity): LoadedCheckpoint => {
  const bad = (why: string): InputError => new InputError(`--resume ${dir}: ${why}`);
  let d: Description;
  try {
    d = JSON.parse(readFileSync(join(dir, CHECKPOINT_FILE), 'utf8')) as Description;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw bad(code === 'ENOENT' ? `no checkpoint there (${CHECKPOINT_FILE} is missing)` : `${CHECKPOINT_FILE} is corrupt: ${(e as Error).message}`);
  }
  if (d.format !== FORMAT) throw bad(`checkpoint format ${d.format}, this version reads format ${FORMAT}`);
  const mine = { version: identity.version, spec: identity.spec, model: identity.model, fp: identity.modelFingerprint, maxDepth: identity.maxDepth };
  const theirs = { version: d.version, spec: d.spec, model: d.model, fp: d.modelFingerprint, maxDepth: d.maxDepth };
  if (JSON.stringify(mine) !== JSON.stringify(theirs)) {
    const what =
      d.version !== identity.version
        ? 'another version of shuttlecheck'
        : d.maxDepth !== identity.maxDepth
          ? `--max-depth ${d.maxDepth ?? 'none'}`
          : JSON.stringify({ ...d.spec, params: {} }) !== JSON.stringify({ ...identity.spec, params: {} })
            ? 'another model'
            : 'another configuration of the model';
    throw bad(`the checkpoint was written for ${what}: it checks ${describe(d)}, this run checks ${describe(identity)}`);
  }
  const read = (name: string): Uint8Array => {
    let bytes: Buffer;
    try {
      bytes = readFileSync(join(dir, name));
    } catch {
      throw bad(`${name} is missing`);
    }
    if (sha(bytes) !== d.files[name]) throw bad(`${name} is corrupt (its checksum does not match)`);
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  };
  const u32 = (name: string): Uint32Array => {
    const b = read(name);
    if (b.byteLength % 4 !== 0) throw bad(`${name} is corrupt (length)`);
    return new Uint32Array(b.slice().buffer);
  };
  const hi = u32('visited-hi.bin');
  const lo = u32('visited-lo.bin');
  if (hi.length !== d.tableCapacity || lo.length !== d.tableCapacity) throw bad('the visited set does not have the size its description says');
  const parents = u32('parents.bin');
  const actionBytes = read('actions.bin');
  const width = d.actionIndexBytes ?? 2;
  if ((width !== 2 && width !== 4) || actionBytes.byteLength % width !== 0) throw bad('actions.bin is corrupt (entry size)');
  const actionIdx = actionIndicesFromBytes(actionBytes, width);
  if (parents.length !== d.nextId || actionIdx.length !== d.nextId) throw bad('the links do not have the size the description says');
  const frontierFiles = Object.keys(d.files).filter((f) => /^frontier-\d+\.bin$/.test(f)).sort();
  for (const f of frontierFiles) read(f);
  let strings: string[];
  try {
    strings = JSON.parse(new TextDecoder().decode(read('strings.json'))) as string[];
  } catch (e) {
    if ((e as Error).name === 'InputError') throw e;
    throw bad('strings.json is corrupt');
  }
  return {
    nextId: d.nextId,
    generated: d.generated,
    depth: d.depth,
    boundaryCut: d.boundaryCut,
    level: d.level,
    levelBase: d.levelBase,
    levelSize: d.levelSize,
    fired: d.fired,
    witnesses: d.witnesses,
    tableCapacity: d.tableCapacity,
    tableSize: d.tableSize,
    edges: d.edges,
    hi,
    lo,
    ...(d.files['visited-ids.bin'] ? { values: u32('visited-ids.bin') } : {}),
    parents,
    actionIdx,
    ...(d.files['graph-src.bin']
      ? { graph: { src: u32('graph-src.bin'), dst: u32('graph-dst.bin'), mask: u32('graph-mask.bin'), marks: u32('graph-marks.bin') } }
      : {}),
    strings,
    frontierFiles: frontierFiles.map((f) => join(dir, f)),
  };
};
