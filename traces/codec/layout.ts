/**
 * Byte layout of the Fig 9 record body (CODEC.md, "Record body"). All integers are
 * big-endian and unsigned; fields appear in the order of the patent's reference numerals
 * 152-168. The body carries no magic or version of its own: the frame header
 * (`envelope.ts`) does.
 */
import { CodecError } from './errors.ts';
import { assertRecordInRange, type Fig9Record } from './record.ts';

/** Size of the fixed part of the body, up to and including the locateData length. */
export const FIXED_BODY_BYTES = 44;

/** Byte offsets of the fixed fields in the body (CODEC.md table). */
export const BODY_OFFSETS = {
  sequenceNo: 0,
  totalWrites: 8,
  serviceBitmap: 12,
  sentBitmap: 16,
  sentTimestamp: 20,
  receivedBitmap: 28,
  receivedTimestamp: 32,
  locateDataLength: 40,
  locateData: 44,
} as const;

/**
 * The body bytes of `r`: 48 + locateData.length + rdfData.length bytes. Pure and
 * deterministic. Throws RangeError when a field does not fit its width.
 */
export function encodeRecordBody(r: Fig9Record): Uint8Array {
  assertRecordInRange(r);
  const L = r.locateData.length;
  const R = r.rdfData.length;
  const out = new Uint8Array(FIXED_BODY_BYTES + L + 4 + R);
  const dv = new DataView(out.buffer);
  const o = BODY_OFFSETS;
  dv.setBigUint64(o.sequenceNo, r.sequenceNo);
  dv.setUint32(o.totalWrites, r.totalWrites);
  dv.setUint32(o.serviceBitmap, r.serviceBitmap);
  dv.setUint32(o.sentBitmap, r.sentBitmap);
  dv.setBigUint64(o.sentTimestamp, r.sentTimestamp);
  dv.setUint32(o.receivedBitmap, r.receivedBitmap);
  dv.setBigUint64(o.receivedTimestamp, r.receivedTimestamp);
  dv.setUint32(o.locateDataLength, L);
  out.set(r.locateData, o.locateData);
  dv.setUint32(o.locateData + L, R);
  out.set(r.rdfData, o.locateData + L + 4);
  return out;
}

const need = (body: Uint8Array, at: number, n: number, what: string): void => {
  if (body.length - at < n) {
    throw new CodecError(
      `truncated: ${what} needs ${n} bytes, only ${Math.max(0, body.length - at)} left`,
      at,
      'body',
    );
  }
};

/**
 * Decodes a whole record body. Rejects with CodecError (region `'body'`) a body that is
 * truncated anywhere or has bytes after rdfData; every bit pattern of the fixed fields is
 * a valid value. The returned byte fields are fresh plain Uint8Array copies (never
 * Buffers or views of `body`).
 */
export function decodeRecordBody(body: Uint8Array): Fig9Record {
  const dv = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const o = BODY_OFFSETS;
  need(body, 0, FIXED_BODY_BYTES, 'the fixed fields (sequenceNo .. locateData length)');
  const L = dv.getUint32(o.locateDataLength);
  need(body, o.locateData, L, `locateData (length ${L})`);
  const rdfLenAt = o.locateData + L;
  need(body, rdfLenAt, 4, 'the rdfData length');
  const R = dv.getUint32(rdfLenAt);
  need(body, rdfLenAt + 4, R, `rdfData (length ${R})`);
  const end = rdfLenAt + 4 + R;
  if (end !== body.length) {
    throw new CodecError(`${body.length - end} trailing bytes after rdfData`, end, 'body');
  }
  return {
    sequenceNo: dv.getBigUint64(o.sequenceNo),
    totalWrites: dv.getUint32(o.totalWrites),
    serviceBitmap: dv.getUint32(o.serviceBitmap),
    sentBitmap: dv.getUint32(o.sentBitmap),
    sentTimestamp: dv.getBigUint64(o.sentTimestamp),
    receivedBitmap: dv.getUint32(o.receivedBitmap),
    receivedTimestamp: dv.getBigUint64(o.receivedTimestamp),
    locateData: new Uint8Array(body.subarray(o.locateData, o.locateData + L)),
    rdfData: new Uint8Array(body.subarray(rdfLenAt + 4, end)),
  };
}
