/** The recoverable image and the consistency test on hand-built states (PROTOCOL.md §3), including Fig 17. */
import { produce } from 'immer';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../model/config.ts';
import { consistency, recoverableImage } from '../../model/image.ts';
import { initStates } from '../../model/init.ts';
import { makeSetup } from '../../model/setup.ts';
import type { RecordMsg, State } from '../../model/state.ts';

/** One chain w0 → w1 → w2 on blocks 0, 1, 2 of one primary device; `secondaries` copies of it. */
const chainSetup = (secondaries: number) =>
  makeSetup(
    parseConfig(
      {
        primary: { blades: 1, blocksPerDevice: 3, journalCapacity: 3, service: [[...Array(secondaries).keys()]] },
        secondary: { blades: secondaries },
        network: 'fifo',
        sequencer: { kind: 'slot' },
        workload: [[{ device: 0, block: 0 }, { device: 0, block: 1 }, { device: 0, block: 2 }]],
      },
      'test',
    ),
  );

const rec = (w: number, seq: number): RecordMsg => ({ write: w, seq, total: 1, from: 0, serial: w });

/** All three writes issued and acknowledged in order, stamped 1, 2, 3 (each depends on the previous ones). */
const issued = (s: State): State =>
  produce(s, (d) => {
    d.writes = [
      { status: 2, seq: 1, deps: 0 },
      { status: 2, seq: 2, deps: 0b1 },
      { status: 2, seq: 3, deps: 0b11 },
    ];
    d.primaryBlocks = [[0], [1], [2]];
  });

describe('recoverable image', () => {
  const setup = chainSetup(1);
  const s0 = issued(initStates(setup)[0]!);

  it('Fig 17: entries 1 and 3 in the SG-list, 2 missing, nothing initiated: recovery drops both', () => {
    const s = produce(s0, (d) => {
      d.secondaryBlades[0]!.journal = [rec(0, 1), rec(2, 3)];
    });
    const img = recoverableImage(s, setup);
    expect(img[0]).toEqual([-1, -1, -1]);
    expect(consistency(s, setup, img)).toEqual({ ok: true });
  });

  it('Fig 17 with entry 1 initiated: recovery completes 1 and deletes 3 (after the gap)', () => {
    const s = produce(s0, (d) => {
      d.secondaryBlades[0]!.journal = [rec(0, 1), rec(2, 3)];
      d.secondaryBlades[0]!.initiatedNo = 1;
    });
    const img = recoverableImage(s, setup);
    expect(img[0]).toEqual([0, -1, -1]);
    expect(consistency(s, setup, img).ok).toBe(true);
  });

  it('keeping entry 3 after the gap (mutant recovery-keeps-after-gap) is inconsistent: w2 needs w1', () => {
    const v = consistency(s0, setup, [[0, -1, 2]]);
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.why).toContain('w1');
  });

  it('what is on the device stays; a partly transferred number is completed from the journal', () => {
    const s = produce(s0, (d) => {
      d.secondaryBlades[0]!.device = [0, -1, -1];
      d.secondaryBlades[0]!.appliedNo = 1;
      d.secondaryBlades[0]!.transferNo = 2;
      d.secondaryBlades[0]!.journal = [rec(1, 2)];
    });
    expect(recoverableImage(s, setup)[0]).toEqual([0, 1, -1]);
  });
});

describe('two-phase apply across secondaries', () => {
  const setup = chainSetup(2);
  const s0 = issued(initStates(setup)[0]!);
  /** Every secondary holds record w0 of number 1; `initiated(j)` says which initiated it. */
  const held = (initiated: (j: number) => boolean): State =>
    produce(s0, (d) => {
      d.secondaryBlades.forEach((b, j) => {
        b.journal = [rec(0, 1)];
        if (initiated(j)) b.initiatedNo = 1;
      });
    });

  it('a number initiated by every secondary is completed at all of them', () => {
    const s = held(() => true);
    expect(recoverableImage(s, setup)).toEqual([[0, -1, -1], [0, -1, -1]]);
  });

  it('a number initiated by only some secondaries is dropped everywhere', () => {
    const s = held((j) => j === 0);
    expect(recoverableImage(s, setup)).toEqual([[-1, -1, -1], [-1, -1, -1]]);
  });

  it('copies that disagree on a dependent pair are inconsistent', () => {
    // S0 shows w1 (which depends on w0), S1 shows w0 and w1: the closure needs w0 on S0's copy too.
    const v = consistency(s0, setup, [[-1, 1, -1], [0, 1, -1]]);
    expect(v.ok).toBe(false);
    expect(consistency(s0, setup, [[0, 1, -1], [0, 1, -1]]).ok).toBe(true);
    expect(consistency(s0, setup, [[-1, -1, -1], [-1, -1, -1]]).ok).toBe(true);
  });

  it('primary order decides a block written twice', () => {
    const s = produce(s0, (d) => {
      d.writes[2] = { status: 2, seq: 3, deps: 0 }; // independent of the others
      d.primaryBlocks = [[0, 2], [1], []]; // w2 overwrote w0 on block 0
    });
    expect(consistency(s, setup, [[2, -1, -1], [2, -1, -1]]).ok).toBe(true);
    expect(consistency(s, setup, [[0, -1, -1], [0, -1, -1]]).ok).toBe(true);
    // w1 depends on w0 only; showing w1 with block 0 at w2 is fine, with block 0 initial is not.
    expect(consistency(s, setup, [[2, 1, -1], [2, 1, -1]]).ok).toBe(true);
    expect(consistency(s, setup, [[-1, 1, -1], [-1, 1, -1]]).ok).toBe(false);
  });
});
