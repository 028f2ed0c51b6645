import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeFrame } from '../../traces/codec/envelope.ts';
import { decodeRecordBody } from '../../traces/codec/layout.ts';
import {
  fromHex,
  recordFromJson,
  vectorFileText,
  type CodecVectorFile,
} from '../../traces/codec/vectors.ts';

const path = new URL('../../traces/vectors/codec.json', import.meta.url);
const text = readFileSync(path, 'utf8');
const file = JSON.parse(text) as CodecVectorFile;

describe('published codec vectors (traces/vectors/codec.json)', () => {
  it('are exactly what the codec derives today (regenerate with traces/codec/makeVectors.ts only on purpose)', () => {
    expect(text).toBe(vectorFileText());
  });

  it.each(file.vectors.map((v) => [v.name, v] as const))('%s decodes to its record', (_name, v) => {
    const record = recordFromJson(v.record);
    const key = v.key === null ? {} : { key: fromHex(v.key) };
    expect(decodeFrame(fromHex(v.frameHex), key)).toEqual(record);
    expect(decodeRecordBody(fromHex(v.bodyHex))).toEqual(record);
  });

  it('plaintext frames match the CODEC.md offsets, read independently of the codec', () => {
    for (const v of file.vectors.filter((x) => x.key === null && !x.compress)) {
      const f = Buffer.from(v.frameHex, 'hex');
      const r = v.record;
      expect(f.subarray(0, 4).toString('latin1')).toBe('SC9R');
      expect(f[4]).toBe(1);
      expect(f[5]).toBe(0);
      expect(f.readUInt32BE(6)).toBe(f.length - 10);
      const b = f.subarray(10);
      expect(b.readBigUInt64BE(0).toString()).toBe(r.sequenceNo);
      expect(b.readUInt32BE(8)).toBe(r.totalWrites);
      expect(b.readUInt32BE(12)).toBe(r.serviceBitmap);
      expect(b.readUInt32BE(16)).toBe(r.sentBitmap);
      expect(b.readBigUInt64BE(20).toString()).toBe(r.sentTimestamp);
      expect(b.readUInt32BE(28)).toBe(r.receivedBitmap);
      expect(b.readBigUInt64BE(32).toString()).toBe(r.receivedTimestamp);
      const L = b.readUInt32BE(40);
      expect(b.subarray(44, 44 + L).toString('hex')).toBe(r.locateData);
      const R = b.readUInt32BE(44 + L);
      expect(b.subarray(48 + L).toString('hex')).toBe(r.rdfData);
      expect(b.length).toBe(48 + L + R);
    }
  });

  it('cover plain, compressed, encrypted and both', () => {
    const kinds = new Set(file.vectors.map((v) => `${v.compress ? 'z' : '-'}${v.key ? 'e' : '-'}`));
    expect([...kinds].sort()).toEqual(['--', '-e', 'z-', 'ze']);
  });
});
