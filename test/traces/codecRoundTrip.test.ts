import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeFrame, type FrameOptions } from '../../traces/codec/envelope.ts';
import { isCodecError } from '../../traces/codec/errors.ts';
import { decodeRecordBody, encodeRecordBody } from '../../traces/codec/layout.ts';
import type { Fig9Record } from '../../traces/codec/record.ts';

const u32 = fc.integer({ min: 0, max: 0xffff_ffff });
const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
const bytes = fc.oneof(
  fc.uint8Array({ maxLength: 64 }),
  // repetitive data, so compression has something to do
  fc.tuple(fc.uint8Array({ minLength: 1, maxLength: 8 }), fc.nat(60)).map(([p, n]) => {
    const out = new Uint8Array(p.length * n);
    for (let i = 0; i < n; i++) out.set(p, i * p.length);
    return out;
  }),
);

const recordArb: fc.Arbitrary<Fig9Record> = fc.record({
  sequenceNo: u64,
  totalWrites: u32,
  serviceBitmap: u32,
  sentBitmap: u32,
  sentTimestamp: u64,
  receivedBitmap: u32,
  receivedTimestamp: u64,
  locateData: bytes,
  rdfData: bytes,
});

const keyArb = fc.uint8Array({ minLength: 32, maxLength: 32 });
const nonceArb = fc.uint8Array({ minLength: 12, maxLength: 12 });
const optionsArb: fc.Arbitrary<{ opts: FrameOptions; key: Uint8Array | undefined }> = fc
  .record({ compress: fc.boolean(), enc: fc.option(fc.record({ key: keyArb, nonce: nonceArb }), { nil: undefined }) })
  .map(({ compress, enc }) => ({ opts: enc ? { compress, encryption: enc } : { compress }, key: enc?.key }));

/** Runs `f` and returns the CodecError it throws; fails the test when it throws nothing or something else. */
function codecErrorOf(f: () => unknown): { message: string; offset: number; region: string } {
  try {
    f();
  } catch (e) {
    if (isCodecError(e)) return e;
    throw e;
  }
  throw new Error('expected a CodecError, but decoding succeeded');
}

const sample: Fig9Record = {
  sequenceNo: 7n,
  totalWrites: 2,
  serviceBitmap: 3,
  sentBitmap: 1,
  sentTimestamp: 10n,
  receivedBitmap: 0,
  receivedTimestamp: 0n,
  locateData: Uint8Array.of(0, 7, 0, 3),
  rdfData: new TextEncoder().encode('hello hello hello hello'),
};
const KEY = Uint8Array.from({ length: 32 }, (_, i) => i);
const NONCE = new Uint8Array(12);

describe('Fig 9 codec round trip', () => {
  it('decode(encode(r)) = r for every record, compression on/off, encryption on/off', () => {
    fc.assert(
      fc.property(recordArb, optionsArb, (r, { opts, key }) => {
        const frame = encodeFrame(r, opts);
        expect(decodeFrame(frame, key ? { key } : {})).toEqual(r);
      }),
      { numRuns: 400 },
    );
  });

  it('the body alone round-trips and has the documented length', () => {
    fc.assert(
      fc.property(recordArb, (r) => {
        const body = encodeRecordBody(r);
        expect(body.length).toBe(48 + r.locateData.length + r.rdfData.length);
        expect(decodeRecordBody(body)).toEqual(r);
      }),
    );
  });

  it('encoding is deterministic', () => {
    fc.assert(
      fc.property(recordArb, optionsArb, (r, { opts }) => {
        expect(encodeFrame(r, opts)).toEqual(encodeFrame(r, opts));
      }),
      { numRuns: 50 },
    );
  });

  it('decoded byte fields are plain Uint8Arrays, not views of the input', () => {
    const frame = encodeFrame(sample, { compress: true });
    const r = decodeFrame(frame);
    expect(Object.getPrototypeOf(r.rdfData)).toBe(Uint8Array.prototype);
    expect(r.rdfData.buffer).not.toBe(frame.buffer);
  });
});

describe('Fig 9 codec rejects malformed input', () => {
  it('every truncation of a valid frame is rejected with a CodecError', () => {
    fc.assert(
      fc.property(recordArb, optionsArb, (r, { opts, key }) => {
        const frame = encodeFrame(r, opts);
        for (let n = 0; n < frame.length; n++) {
          const e = codecErrorOf(() => decodeFrame(frame.subarray(0, n), key ? { key } : {}));
          expect(e.message).toMatch(/^frame byte \d+: truncated: /);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('every truncation of a valid body is rejected with a CodecError', () => {
    fc.assert(
      fc.property(recordArb, (r) => {
        const body = encodeRecordBody(r);
        for (let n = 0; n < body.length; n++) {
          const e = codecErrorOf(() => decodeRecordBody(body.subarray(0, n)));
          expect(e.region).toBe('body');
          expect(e.message).toMatch(/^body byte \d+: truncated: /);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('every single-bit flip of an encrypted frame is rejected', () => {
    fc.assert(
      fc.property(recordArb, keyArb, nonceArb, fc.boolean(), (r, key, nonce, compress) => {
        const frame = encodeFrame(r, { compress, encryption: { key, nonce } });
        for (let bit = 0; bit < frame.length * 8; bit++) {
          const bad = frame.slice();
          bad[bit >> 3]! ^= 1 << (bit & 7);
          codecErrorOf(() => decodeFrame(bad, { key }));
        }
      }),
      { numRuns: 15 },
    );
  });

  it('trailing bytes after a frame are rejected at the frame end', () => {
    fc.assert(
      fc.property(recordArb, optionsArb, fc.uint8Array({ minLength: 1, maxLength: 4 }), (r, { opts, key }, extra) => {
        const frame = encodeFrame(r, opts);
        const e = codecErrorOf(() => decodeFrame(Uint8Array.from([...frame, ...extra]), key ? { key } : {}));
        expect(e.offset).toBe(frame.length);
        expect(e.message).toContain(`${extra.length} trailing bytes after the end of the frame`);
      }),
      { numRuns: 100 },
    );
  });

  it('trailing bytes in a body are rejected at the body end', () => {
    const body = encodeRecordBody(sample);
    const e = codecErrorOf(() => decodeRecordBody(Uint8Array.from([...body, 0])));
    expect(e.message).toBe(`body byte ${body.length}: 1 trailing bytes after rdfData`);
  });

  it('names bad magic, unsupported version and unknown flags with their offsets', () => {
    const frame = encodeFrame(sample);
    const at = (i: number, v: number): Uint8Array => {
      const b = frame.slice();
      b[i] = v;
      return b;
    };
    expect(codecErrorOf(() => decodeFrame(at(0, 0x58))).message).toBe(
      'frame byte 0: bad magic: expected 53 43 39 52 ("SC9R"), got 58 43 39 52',
    );
    expect(codecErrorOf(() => decodeFrame(at(4, 2))).message).toBe(
      'frame byte 4: unsupported version 2, this decoder reads version 1',
    );
    expect(codecErrorOf(() => decodeFrame(at(5, 0x84))).message).toBe(
      'frame byte 5: unknown flag bits 0x84 in flags 0x84',
    );
    expect(codecErrorOf(() => decodeFrame(new Uint8Array(0))).message).toBe(
      'frame byte 0: truncated: magic needs 4 bytes, only 0 left',
    );
  });

  it('an encrypted frame needs the key, a plaintext frame is refused when a key is expected', () => {
    const enc = encodeFrame(sample, { encryption: { key: KEY, nonce: NONCE } });
    expect(codecErrorOf(() => decodeFrame(enc)).message).toContain('encrypted (flags bit 1) but no key was given');
    const plain = encodeFrame(sample);
    expect(codecErrorOf(() => decodeFrame(plain, { key: KEY })).message).toContain('link expects encryption');
  });

  it('a wrong key fails authentication at the tag offset', () => {
    const enc = encodeFrame(sample, { encryption: { key: KEY, nonce: NONCE } });
    const e = codecErrorOf(() => decodeFrame(enc, { key: new Uint8Array(32) }));
    expect(e.offset).toBe(enc.length - 16);
    expect(e.message).toContain('authentication failed');
  });

  it('an invalid deflate stream is rejected at the payload offset', () => {
    const frame = encodeFrame(sample, { compress: true });
    const bad = frame.slice();
    bad.fill(0xff, 10);
    const e = codecErrorOf(() => decodeFrame(bad));
    expect(e.offset).toBe(10);
    expect(e.message).toContain('not a valid raw deflate stream');
  });

  it('bytes after the end of the deflate stream are rejected', () => {
    const frame = encodeFrame(sample, { compress: true });
    const grown = Uint8Array.from([...frame, 0xaa]);
    new DataView(grown.buffer).setUint32(6, frame.length - 10 + 1);
    const e = codecErrorOf(() => decodeFrame(grown));
    expect(e.offset).toBe(frame.length);
    expect(e.message).toContain('1 trailing bytes after the end of the deflate stream');
  });

  it('refuses to encode out-of-range fields or wrong key sizes (RangeError, a programming error)', () => {
    expect(() => encodeFrame({ ...sample, sequenceNo: 1n << 64n })).toThrow(/sequenceNo/);
    expect(() => encodeFrame({ ...sample, totalWrites: -1 })).toThrow(/totalWrites/);
    expect(() => encodeFrame({ ...sample, serviceBitmap: 2 ** 32 })).toThrow(/serviceBitmap/);
    expect(() => encodeFrame(sample, { encryption: { key: new Uint8Array(16), nonce: NONCE } })).toThrow(RangeError);
    expect(() => encodeFrame(sample, { encryption: { key: KEY, nonce: new Uint8Array(8) } })).toThrow(/nonce/);
  });

  it('CodecError has name CodecError', () => {
    try {
      decodeFrame(new Uint8Array(3));
    } catch (e) {
      expect((e as Error).name).toBe('CodecError');
      return;
    }
    throw new Error('no error');
  });
});
