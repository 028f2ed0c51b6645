/**
 * The Fig 9 record (data structure 150 of the patent): what a primary WAN blade sends to
 * the secondary WAN blades for one write. Field names follow the patent; the reference
 * numeral of each field is in its comment. The byte layout is in `layout.ts` and CODEC.md.
 */
export interface Fig9Record {
  /** Field 152: the group-wide sequence number the write was stamped with (uint64). */
  readonly sequenceNo: bigint;
  /** Field 154: how many records carry this sequence number (uint32). */
  readonly totalWrites: number;
  /** Field 156: secondary blades to receive the record; bit 0 is the first blade (uint32). */
  readonly serviceBitmap: number;
  /** Field 158: secondary blades the record has been sent to, same bit numbering (uint32). */
  readonly sentBitmap: number;
  /** Field 160: when the record was sent, in opaque clock ticks (uint64). */
  readonly sentTimestamp: bigint;
  /** Field 162: secondary blades that acknowledged (sync) the record (uint32). */
  readonly receivedBitmap: number;
  /** Field 164: when a receiving blade got the record, in opaque clock ticks (uint64). */
  readonly receivedTimestamp: bigint;
  /** Field 166: RDF locate data (device, track/block address), opaque bytes. */
  readonly locateData: Uint8Array;
  /** Field 168: the RDF data itself, opaque bytes. */
  readonly rdfData: Uint8Array;
}

/** Largest value of a uint64 field. */
export const UINT64_MAX = (1n << 64n) - 1n;

/** Largest value of a uint32 field. */
export const UINT32_MAX = 0xffff_ffff;

/**
 * Largest record body (fixed part plus both byte fields) a decoder accepts, 64 MiB. It
 * bounds what a compressed frame may inflate to, so a small frame cannot exhaust memory.
 */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

/**
 * Throws a RangeError naming the first field of `r` that does not fit its wire width
 * (uint64 for bigints, uint32 for the counters and bitmaps) or a body over
 * MAX_BODY_BYTES. Encoding a record that is out of range is a programming error, not
 * bad input, hence RangeError rather than CodecError.
 */
export function assertRecordInRange(r: Fig9Record): void {
  for (const f of ['sequenceNo', 'sentTimestamp', 'receivedTimestamp'] as const) {
    const v = r[f];
    if (typeof v !== 'bigint' || v < 0n || v > UINT64_MAX) {
      throw new RangeError(`Fig9Record.${f} must be a bigint in [0, 2^64-1], got ${String(v)}`);
    }
  }
  for (const f of ['totalWrites', 'serviceBitmap', 'sentBitmap', 'receivedBitmap'] as const) {
    const v = r[f];
    if (!Number.isInteger(v) || v < 0 || v > UINT32_MAX) {
      throw new RangeError(`Fig9Record.${f} must be an integer in [0, 2^32-1], got ${String(v)}`);
    }
  }
  for (const f of ['locateData', 'rdfData'] as const) {
    if (!(r[f] instanceof Uint8Array)) {
      throw new RangeError(`Fig9Record.${f} must be a Uint8Array`);
    }
  }
  if (r.locateData.length + r.rdfData.length + 48 > MAX_BODY_BYTES) {
    throw new RangeError(`Fig9Record body exceeds ${MAX_BODY_BYTES} bytes`);
  }
}
