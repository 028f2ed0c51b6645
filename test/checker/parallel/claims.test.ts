import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import {
  claim,
  CLAIMED,
  claimCount,
  claimSlot,
  claimValue,
  clearClaims,
  createClaims,
  FULL,
  openClaims,
  setClaimValue,
  SLOT_TAKEN,
  TAKEN,
} from '../../../checker/parallel/claims.ts';

describe('the claim table of a level', () => {
  it('the first claim of a fingerprint takes it, later ones find it taken; neighbours in one slot stay apart', () => {
    const t = openClaims(createClaims(1024));
    expect(claim(t, 7, 9)).toBe(CLAIMED);
    expect(claim(t, 7, 9)).toBe(TAKEN);
    // Same low half, other high half, and the fingerprint 0:0: each its own claim.
    expect(claim(t, 8, 9)).toBe(CLAIMED);
    expect(claim(t, 0, 0)).toBe(CLAIMED);
    expect(claim(t, 0, 0)).toBe(TAKEN);
    expect(claim(t, 0xffffffff, 0x80000000)).toBe(CLAIMED);
    expect(claim(t, 0xffffffff, 0x80000000)).toBe(TAKEN);
    expect(claimCount(t)).toBe(4);
    clearClaims(t);
    expect(claimCount(t)).toBe(0);
    expect(claim(t, 7, 9)).toBe(CLAIMED);
  });

  it('answers FULL once three quarters of its slots are claimed, and TAKEN stays exact before that', () => {
    const t = openClaims(createClaims(64));
    for (let k = 0; k < 48; k++) expect(claim(t, k, k * 31)).toBe(CLAIMED);
    expect(claim(t, 1000, 1)).toBe(FULL);
    // Full, it still knows what it holds.
    expect(claim(t, 5, 5 * 31)).toBe(TAKEN);
    expect(() => createClaims(100)).toThrow(/power of two/);
  });

  it('with values: the slot claimed, its value once set, and what nobody claimed', () => {
    const t = openClaims(createClaims(64, true));
    const slot = claimSlot(t, 3, 4);
    expect(slot).toBeGreaterThanOrEqual(0);
    expect(claimSlot(t, 3, 4)).toBe(SLOT_TAKEN);
    expect(claimValue(t, 3, 4)).toBe(0);
    setClaimValue(t, slot, 77);
    expect(claimValue(t, 3, 4)).toBe(77);
    expect(claimValue(t, 4, 3)).toBe(-1);
    // A slot index of 0 is a claim like any other.
    const zero = openClaims(createClaims(4, true));
    expect(claimSlot(zero, 0, 4)).toBe(0); // 0:4 hashes to slot 0
    expect(claim(zero, 0, 4)).toBe(TAKEN);
  });

  it('two threads claiming the same fingerprints at once: each is claimed by exactly one', async () => {
    const n = 200_000;
    const share = createClaims(1 << 19);
    const his = new Uint32Array(n);
    const los = new Uint32Array(n);
    for (let k = 0; k < n; k++) {
      his[k] = Math.imul(k, 0x9e3779b1) >>> 0;
      los[k] = Math.imul(k ^ 0x5bd1e995, 0x85ebca6b) >>> 0;
    }
    // Both threads claim them in the same order, so that they race for each one.
    const start = new Int32Array(new SharedArrayBuffer(4));
    const run = (h: Uint32Array, l: Uint32Array): Promise<number[]> =>
      new Promise((resolveRun, rejectRun) => {
        const w = new Worker(new URL('../../../checker/parallel/boot.mjs', import.meta.url), {
          workerData: { entry: new URL('./claimRace.ts', import.meta.url).href, share, his: h, los: l, start },
        });
        w.once('message', resolveRun);
        w.once('error', rejectRun);
      });
    const a = run(his, los);
    const b = run(his, los);
    await new Promise((r) => setTimeout(r, 300));
    Atomics.store(start, 0, 1);
    Atomics.notify(start, 0);
    const [wonA, wonB] = await Promise.all([a, b]);
    const byA = new Set(wonA);
    const byB = new Set(wonB);
    expect(byA.size + byB.size).toBe(n);
    for (const k of byB) expect(byA.has(k)).toBe(false);
    expect(claimCount(openClaims(share))).toBe(n);
  });
});
