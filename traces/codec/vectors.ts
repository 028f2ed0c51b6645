/**
 * The published codec vectors (traces/vectors/codec.json): fixed inputs, and the body and
 * frame bytes this codec derives from them. Pure; `makeVectors.ts` writes the file and
 * the test re-derives it, so any drift in the layout or the envelope fails the test.
 */
import { encodeFrame } from './envelope.ts';
import { encodeRecordBody } from './layout.ts';
import type { Fig9Record } from './record.ts';

/** A Fig9Record as JSON: uint64 fields as decimal strings, byte fields as lowercase hex. */
export interface RecordJson {
  readonly sequenceNo: string;
  readonly totalWrites: number;
  readonly serviceBitmap: number;
  readonly sentBitmap: number;
  readonly sentTimestamp: string;
  readonly receivedBitmap: number;
  readonly receivedTimestamp: string;
  readonly locateData: string;
  readonly rdfData: string;
}

/** One vector: inputs (record, compress, key, nonce) and expected outputs (hex). */
export interface CodecVector {
  readonly name: string;
  readonly description: string;
  readonly record: RecordJson;
  readonly compress: boolean;
  /** 32-byte AES-256 key as hex, or null for a plaintext frame. */
  readonly key: string | null;
  /** 12-byte GCM nonce as hex, or null for a plaintext frame. */
  readonly nonce: string | null;
  /** The record body (CODEC.md, "Record body"). */
  readonly bodyHex: string;
  /** The whole frame (CODEC.md, "Frame"). */
  readonly frameHex: string;
}

/** The content of traces/vectors/codec.json. */
export interface CodecVectorFile {
  readonly format: string;
  readonly note: string;
  readonly vectors: readonly CodecVector[];
}

/** Lowercase hex of `b`, two digits per byte, no separators. */
export const toHex = (b: Uint8Array): string =>
  Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

/** Bytes of an even-length hex string; throws RangeError on anything else. */
export function fromHex(s: string): Uint8Array {
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(s)) throw new RangeError(`not an even-length hex string: "${s}"`);
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** `r` in its JSON form. */
export const recordToJson = (r: Fig9Record): RecordJson => ({
  sequenceNo: r.sequenceNo.toString(),
  totalWrites: r.totalWrites,
  serviceBitmap: r.serviceBitmap,
  sentBitmap: r.sentBitmap,
  sentTimestamp: r.sentTimestamp.toString(),
  receivedBitmap: r.receivedBitmap,
  receivedTimestamp: r.receivedTimestamp.toString(),
  locateData: toHex(r.locateData),
  rdfData: toHex(r.rdfData),
});

/** The record a RecordJson stands for. */
export const recordFromJson = (j: RecordJson): Fig9Record => ({
  sequenceNo: BigInt(j.sequenceNo),
  totalWrites: j.totalWrites,
  serviceBitmap: j.serviceBitmap,
  sentBitmap: j.sentBitmap,
  sentTimestamp: BigInt(j.sentTimestamp),
  receivedBitmap: j.receivedBitmap,
  receivedTimestamp: BigInt(j.receivedTimestamp),
  locateData: fromHex(j.locateData),
  rdfData: fromHex(j.rdfData),
});

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);
const range = (n: number, f: (i: number) => number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => f(i));

/** Key 00 01 .. 1f, the usual counting key of test vectors. */
const COUNTING_KEY = range(32, (i) => i);
/** A nonce built as the patent's blades could: 4-byte blade id 1, 8-byte frame counter 1. */
const BLADE1_NONCE = fromHex('000000010000000000000001');

// Locate data for device 7, track 0x1234, block 3 (2 + 4 + 2 bytes): one plausible
// reading of "device, track/block address"; the codec treats it as opaque bytes.
const LOCATE = fromHex('0007' + '00001234' + '0003');

const typical: Fig9Record = {
  sequenceNo: 42n,
  totalWrites: 5,
  serviceBitmap: 0b101, // first and third secondary WAN blade
  sentBitmap: 0b001, // sent to the first so far
  sentTimestamp: 1_000n,
  receivedBitmap: 0,
  receivedTimestamp: 0n,
  locateData: LOCATE,
  rdfData: ascii('w17: chain 2 writes block 3 of device 7'),
};

const empty: Fig9Record = {
  sequenceNo: 0n,
  totalWrites: 0,
  serviceBitmap: 0,
  sentBitmap: 0,
  sentTimestamp: 0n,
  receivedBitmap: 0,
  receivedTimestamp: 0n,
  locateData: new Uint8Array(0),
  rdfData: new Uint8Array(0),
};

// A mostly zero-filled 512-byte block: a short text, then zeros, then a 0xff trailer.
const bulky: Fig9Record = {
  ...typical,
  rdfData: range(512, (i) => (i < 16 ? 0x61 + i : i >= 504 ? 0xff : 0)),
};

interface Case {
  readonly name: string;
  readonly description: string;
  readonly record: Fig9Record;
  readonly compress: boolean;
  readonly key: Uint8Array | null;
  readonly nonce: Uint8Array | null;
}

/** The vector inputs, in publication order. */
export const VECTOR_CASES: readonly Case[] = [
  { name: 'empty-plain', description: 'all fields zero, no locate or RDF data, no compression or encryption', record: empty, compress: false, key: null, nonce: null },
  { name: 'typical-plain', description: 'sequence 42 of 5 writes, for blades 1 and 3, sent to blade 1 at tick 1000', record: typical, compress: false, key: null, nonce: null },
  {
    name: 'max-fields-plain',
    description: 'every integer field at its maximum (uint64 and uint32)',
    record: { ...typical, sequenceNo: (1n << 64n) - 1n, totalWrites: 0xffffffff, serviceBitmap: 0xffffffff, sentBitmap: 0xffffffff, sentTimestamp: (1n << 64n) - 1n, receivedBitmap: 0xffffffff, receivedTimestamp: (1n << 64n) - 1n },
    compress: false, key: null, nonce: null,
  },
  { name: 'bulky-compressed', description: 'a mostly zero-filled 512-byte block, raw deflate level 9, strategy Z_RLE', record: bulky, compress: true, key: null, nonce: null },
  { name: 'typical-encrypted', description: 'AES-256-GCM, counting key, nonce = blade 1 / frame 1', record: typical, compress: false, key: COUNTING_KEY, nonce: BLADE1_NONCE },
  { name: 'bulky-compressed-encrypted', description: 'compressed, then encrypted', record: bulky, compress: true, key: COUNTING_KEY, nonce: BLADE1_NONCE },
  { name: 'empty-encrypted-zero-key', description: 'empty record, all-zero key and nonce', record: empty, compress: false, key: new Uint8Array(32), nonce: new Uint8Array(12) },
];

/** The vector for one case: its inputs in JSON form and the bytes this codec derives. */
export function deriveVector(c: Case): CodecVector {
  const frame = encodeFrame(c.record, {
    compress: c.compress,
    ...(c.key && c.nonce ? { encryption: { key: c.key, nonce: c.nonce } } : {}),
  });
  return {
    name: c.name,
    description: c.description,
    record: recordToJson(c.record),
    compress: c.compress,
    key: c.key ? toHex(c.key) : null,
    nonce: c.nonce ? toHex(c.nonce) : null,
    bodyHex: toHex(encodeRecordBody(c.record)),
    frameHex: toHex(frame),
  };
}

/** The whole vector file, derived afresh. */
export const deriveVectorFile = (): CodecVectorFile => ({
  format: 'shuttlecheck Fig 9 record frame, version 1; layout in traces/codec/CODEC.md',
  note:
    'Decoding frameHex (with key, if any) must give record, and encoding record must give frameHex. ' +
    'Compressed frames are zlib raw deflate, level 9, strategy Z_RLE (any zlib-derived library ' +
    'reproduces them); a decoder must accept any valid raw deflate stream.',
  vectors: VECTOR_CASES.map(deriveVector),
});

/** The exact text of traces/vectors/codec.json: 2-space JSON with a final newline. */
export const vectorFileText = (): string => JSON.stringify(deriveVectorFile(), null, 2) + '\n';
