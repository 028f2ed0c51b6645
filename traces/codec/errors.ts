/**
 * The one error type of the Fig 9 record codec. A decoder throws it for every malformed
 * input; the message names the problem and where it was found, e.g.
 * `frame byte 0: bad magic: expected 53 43 39 52 ("SC9R"), got 53 43 39 53`.
 *
 * `region` says which byte string `offset` counts in: `'frame'` is the bytes handed to
 * `decodeFrame`; `'body'` is the record body after decryption and decompression (see
 * CODEC.md), so an offset there is meaningful even when the frame was encrypted.
 */
export class CodecError extends Error {
  override readonly name = 'CodecError';

  constructor(
    readonly problem: string,
    readonly offset: number,
    readonly region: 'frame' | 'body' = 'frame',
  ) {
    super(`${region} byte ${offset}: ${problem}`);
  }
}

/** True when `e` is a CodecError (also across module copies). */
export const isCodecError = (e: unknown): e is CodecError =>
  e instanceof Error && e.name === 'CodecError';
