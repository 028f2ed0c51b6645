import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFpTable, fpTableBytes, hasFp, putIfAbsent } from '../../checker/fpTable.ts';

describe('fpTable', () => {
  it('behaves as a set of 64-bit values through growth', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat({ max: 50 }), fc.nat({ max: 50 })), { maxLength: 3000 }), (pairs) => {
        const t = createFpTable(4);
        const model = new Set<string>();
        for (const [hi, lo] of pairs) {
          const inserted = putIfAbsent(t, hi, lo) >= 0;
          const key = `${hi}:${lo === 0 && hi === 0 ? 1 : lo}`;
          expect(inserted).toBe(!model.has(key));
          model.add(key);
        }
        expect(t.size).toBe(model.size);
        for (const [hi, lo] of pairs) expect(hasFp(t, hi, lo)).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  it('keeps 8 bytes a slot and grows at three-quarters load', () => {
    const t = createFpTable(1);
    expect(fpTableBytes(t)).toBe(1024 * 8);
    for (let i = 1; i <= 768; i++) putIfAbsent(t, i, i * 7);
    expect(t.hi.length).toBe(1024);
    putIfAbsent(t, 769, 1);
    expect(t.hi.length).toBe(2048);
  });

  it('keeps values beside fingerprints when asked, across growth', () => {
    const t = createFpTable(1, true);
    const slots = new Map<number, number>();
    for (let i = 1; i <= 5000; i++) {
      const s = putIfAbsent(t, (i * 2654435761) >>> 0, i);
      t.values![s] = i;
      slots.set(i, s);
    }
    for (let i = 1; i <= 5000; i++) {
      const s = putIfAbsent(t, (i * 2654435761) >>> 0, i);
      expect(s).toBeLessThan(0);
      expect(t.values![-1 - s]).toBe(i);
    }
  });
});
