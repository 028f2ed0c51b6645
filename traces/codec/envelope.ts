/**
 * The frame around a Fig 9 record body: the encapsulation a WAN blade puts on the wire
 * (the patent, Fig 1 text: "encapsulate ... compress and/or encrypt"). Byte layout in CODEC.md.
 *
 * Order on encode: body -> deflate-raw (if compressing) -> AES-256-GCM (if encrypting).
 * Compression comes first because ciphertext does not compress. The key and the nonce are
 * inputs, so encoding is a pure function and vectors are reproducible; the caller must
 * never use one (key, nonce) pair for two different frames.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { constants as zlibConstants, deflateRawSync, inflateRawSync } from 'node:zlib';
import { CodecError } from './errors.ts';
import { decodeRecordBody, encodeRecordBody } from './layout.ts';
import { MAX_BODY_BYTES, type Fig9Record } from './record.ts';

/** The frame's first four bytes, ASCII "SC9R" (shuttlecheck, Fig 9, record). */
export const MAGIC = Uint8Array.of(0x53, 0x43, 0x39, 0x52);
/** The only frame version this codec reads and writes. */
export const VERSION = 1;
/** Flags bit 0: the payload is the body compressed with raw deflate (RFC 1951). */
export const FLAG_COMPRESSED = 0x01;
/** Flags bit 1: the payload is encrypted with AES-256-GCM; nonce and tag surround it. */
export const FLAG_ENCRYPTED = 0x02;
/** Every flag bit this version defines; any other set bit is rejected. */
export const KNOWN_FLAGS = FLAG_COMPRESSED | FLAG_ENCRYPTED;
/** Size of the fixed header: magic, version, flags, payload length. Also the GCM AAD. */
export const HEADER_BYTES = 10;
/** AES-256 key size. */
export const KEY_BYTES = 32;
/** GCM nonce size. */
export const NONCE_BYTES = 12;
/** GCM authentication tag size. */
export const TAG_BYTES = 16;
/**
 * The deflate settings used on encode: level 9 with the run-length strategy (Z_RLE).
 * Design decision: Z_RLE finds only runs (distance-1 matches) and uses no hash table, so
 * its output is the same on every CPU and in every zlib-derived library; the default
 * strategy's output depends on the CPU in Node's bundled zlib (a CRC32C hash when SSE4.2
 * or ARMv8 CRC is present), which would make compressed vectors unreproducible. Runs are
 * what block data mostly repeats (zero-filled tracks). Decoders accept any raw deflate.
 */
export const DEFLATE_OPTIONS = { level: 9, strategy: zlibConstants.Z_RLE } as const;

/** How to frame a record. Both transformations are off unless asked for. */
export interface FrameOptions {
  /** Compress the body with raw deflate (DEFLATE_OPTIONS). */
  readonly compress?: boolean;
  /** Encrypt with AES-256-GCM under this 32-byte key and 12-byte nonce. */
  readonly encryption?: { readonly key: Uint8Array; readonly nonce: Uint8Array };
}

/** What a receiver knows. */
export interface UnframeOptions {
  /**
   * The AES-256 key of the link. When given, the frame must be encrypted (a plaintext
   * frame is rejected, so flipping the flag cannot downgrade the link); when absent, an
   * encrypted frame is rejected.
   */
  readonly key?: Uint8Array;
}

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');

const checkLen = (what: string, b: Uint8Array, n: number): void => {
  if (!(b instanceof Uint8Array) || b.length !== n) {
    throw new RangeError(`${what} must be ${n} bytes, got ${b instanceof Uint8Array ? b.length : typeof b}`);
  }
};

/**
 * The frame bytes of `r` under `options`. Pure: equal inputs give equal bytes. Throws
 * RangeError when a record field does not fit its width or the key/nonce has the wrong
 * size.
 */
export function encodeFrame(r: Fig9Record, options: FrameOptions = {}): Uint8Array {
  const body = encodeRecordBody(r);
  let flags = 0;
  let payload: Uint8Array = body;
  if (options.compress) {
    flags |= FLAG_COMPRESSED;
    payload = deflateRawSync(body, DEFLATE_OPTIONS);
  }
  const enc = options.encryption;
  if (enc) {
    checkLen('key', enc.key, KEY_BYTES);
    checkLen('nonce', enc.nonce, NONCE_BYTES);
    flags |= FLAG_ENCRYPTED;
  }
  const header = new Uint8Array(HEADER_BYTES);
  header.set(MAGIC, 0);
  header[4] = VERSION;
  header[5] = flags;
  new DataView(header.buffer).setUint32(6, payload.length);
  if (!enc) return concat([header, payload]);
  const cipher = createCipheriv('aes-256-gcm', enc.key, enc.nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(header);
  const ct = concat([cipher.update(payload), cipher.final()]);
  return concat([header, enc.nonce, ct, cipher.getAuthTag()]);
}

/**
 * Decodes one whole frame. Throws CodecError naming the problem and its byte offset for:
 * input shorter than a field (truncated), bad magic, unknown version, unknown flag bits,
 * bytes after the frame's end, an encrypted frame without a key or a plaintext frame with
 * one, a failed GCM authentication (tampered header, nonce, ciphertext or tag, or a wrong
 * key), an invalid or over-long deflate stream, and any body error (region `'body'`).
 */
export function decodeFrame(frame: Uint8Array, options: UnframeOptions = {}): Fig9Record {
  const have = (at: number, n: number, what: string): void => {
    if (frame.length - at < n) {
      throw new CodecError(
        `truncated: ${what} needs ${n} bytes, only ${Math.max(0, frame.length - at)} left`,
        at,
      );
    }
  };
  have(0, MAGIC.length, 'magic');
  for (let i = 0; i < MAGIC.length; i++) {
    if (frame[i] !== MAGIC[i]) {
      throw new CodecError(
        `bad magic: expected ${hex(MAGIC)} ("SC9R"), got ${hex(frame.subarray(0, 4))}`,
        0,
      );
    }
  }
  have(4, 1, 'version');
  if (frame[4] !== VERSION) {
    throw new CodecError(`unsupported version ${frame[4]}, this decoder reads version ${VERSION}`, 4);
  }
  have(5, 1, 'flags');
  const flags = frame[5]!;
  if ((flags & ~KNOWN_FLAGS) !== 0) {
    throw new CodecError(
      `unknown flag bits 0x${(flags & ~KNOWN_FLAGS).toString(16).padStart(2, '0')} in flags 0x${flags.toString(16).padStart(2, '0')}`,
      5,
    );
  }
  have(6, 4, 'payload length');
  const dv = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const payloadLength = dv.getUint32(6);
  const encrypted = (flags & FLAG_ENCRYPTED) !== 0;
  const compressed = (flags & FLAG_COMPRESSED) !== 0;
  if (encrypted && !options.key) {
    throw new CodecError('frame is encrypted (flags bit 1) but no key was given', 5);
  }
  if (!encrypted && options.key) {
    throw new CodecError('frame is not encrypted (flags bit 1 clear) but the link expects encryption', 5);
  }
  let at = HEADER_BYTES;
  let nonce: Uint8Array | undefined;
  if (encrypted) {
    have(at, NONCE_BYTES, 'nonce');
    nonce = frame.subarray(at, at + NONCE_BYTES);
    at += NONCE_BYTES;
  }
  const payloadAt = at;
  have(payloadAt, payloadLength, `payload (length ${payloadLength})`);
  let payload = frame.subarray(payloadAt, payloadAt + payloadLength);
  at += payloadLength;
  if (encrypted) {
    have(at, TAG_BYTES, 'authentication tag');
    const tag = frame.subarray(at, at + TAG_BYTES);
    const tagAt = at;
    at += TAG_BYTES;
    checkTrailing(frame, at);
    checkLen('key', options.key!, KEY_BYTES);
    try {
      const d = createDecipheriv('aes-256-gcm', options.key!, nonce!, { authTagLength: TAG_BYTES });
      d.setAAD(frame.subarray(0, HEADER_BYTES));
      d.setAuthTag(tag);
      payload = concat([d.update(payload), d.final()]);
    } catch {
      throw new CodecError(
        'authentication failed: header, nonce, ciphertext or tag was altered, or the key is wrong',
        tagAt,
      );
    }
  } else {
    checkTrailing(frame, at);
  }
  let body: Uint8Array = payload;
  if (compressed) {
    let consumed: number;
    try {
      // `info: true` also returns the engine, whose bytesWritten is the input consumed.
      const r = inflateRawSync(payload, { info: true, maxOutputLength: MAX_BODY_BYTES }) as unknown as {
        buffer: Uint8Array;
        engine: { bytesWritten: number };
      };
      body = r.buffer;
      consumed = r.engine.bytesWritten;
    } catch (e) {
      throw new CodecError(
        `payload is not a valid raw deflate stream of at most ${MAX_BODY_BYTES} bytes (${(e as Error).message})`,
        payloadAt,
      );
    }
    if (consumed !== payload.length) {
      throw new CodecError(
        `${payload.length - consumed} trailing bytes after the end of the deflate stream` +
          (encrypted ? ` (plaintext offset ${consumed})` : ''),
        encrypted ? payloadAt : payloadAt + consumed,
      );
    }
  }
  return decodeRecordBody(body);
}

function checkTrailing(frame: Uint8Array, end: number): void {
  if (frame.length > end) {
    throw new CodecError(`${frame.length - end} trailing bytes after the end of the frame`, end);
  }
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
