/** Fig 19A/19B on hand-built shuttles and blades: each branch, and the totals it carries. */
import { produce } from 'immer';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../model/config.ts';
import { makeSetup } from '../../model/setup.ts';
import { fig19 } from '../../model/slotShuttle.ts';
import type { PrimaryBlade, Shuttle } from '../../model/state.ts';

const setup = makeSetup(
  parseConfig(
    {
      primary: { blades: 2, blocksPerDevice: 1, journalCapacity: 2, service: [[0], [0]] },
      secondary: { blades: 1 },
      network: 'fifo',
      sequencer: { kind: 'slot' },
      workload: [[{ device: 0, block: 0 }]],
    },
    'test',
  ),
);
const shuttle: Shuttle = { at: 0, shSlotNo: 1, oldSlotNo: 0, oldSlotCnt: 0, wkSlotNo: 0, wkSlotCnt: 0 };
const blade = (curSlotNo: number, curSlotCnt: number): PrimaryBlade => ({
  curSlotNo,
  curSlotCnt,
  sequenceNo: 0,
  totalWrites: 0,
  nextSerial: 0,
  journal: [],
  phase: 0,
});

/** Runs one arrival; returns the shuttle, the blade, and whether the error branch was taken. */
const arrive = (sh: Shuttle, b: PrimaryBlade, increments = b.curSlotCnt > 0) => {
  let ok = true;
  const out = produce({ sh, b }, (d) => {
    ok = fig19(setup, d.sh, d.b, 0, increments);
  });
  return { ...out, ok };
};

describe('Fig 19', () => {
  it('354 yes, 388 yes: steps 382-416 increment and publish', () => {
    const r = arrive(shuttle, blade(1, 2));
    expect(r.ok).toBe(true);
    expect(r.b).toMatchObject({ curSlotNo: 2, curSlotCnt: 0, sequenceNo: 0, totalWrites: 0 });
    expect(r.sh).toMatchObject({ shSlotNo: 2, oldSlotNo: 1, oldSlotCnt: 2, wkSlotNo: 0, wkSlotCnt: 0 });
  });

  it('354 yes, 388 no: only 382-386, the shuttle is unchanged', () => {
    const r = arrive({ ...shuttle, oldSlotNo: 0, oldSlotCnt: 0 }, blade(1, 0));
    expect(r.sh).toEqual(shuttle);
    expect(r.b.curSlotNo).toBe(1);
  });

  it('356 yes: steps 362-374 add the blade count to OLDSLOTCNT and catch up', () => {
    const sh: Shuttle = { at: 1, shSlotNo: 2, oldSlotNo: 1, oldSlotCnt: 2, wkSlotNo: 0, wkSlotCnt: 0 };
    const r = arrive(sh, blade(1, 3));
    expect(r.sh.oldSlotCnt).toBe(5);
    expect(r.b).toMatchObject({ curSlotNo: 2, curSlotCnt: 0, sequenceNo: 0, totalWrites: 0 });
  });

  it('a full round: number 1 closes with the group-wide total at the next visit', () => {
    let sh = shuttle;
    let a = blade(1, 1);
    let b = blade(1, 1);
    ({ sh, b: a } = arrive(sh, a)); // A increments: SHSLOTNO 2
    ({ sh, b } = arrive(sh, b)); // B on the old slot: adds its count
    ({ sh, b: a } = arrive(sh, a, false)); // A: 382-384 publish number 1
    expect(a).toMatchObject({ sequenceNo: 1, totalWrites: 2 });
    ({ sh, b } = arrive(sh, b, false));
    expect(b).toMatchObject({ sequenceNo: 1, totalWrites: 2, curSlotNo: 2 });
  });

  it('358: CURSLOTNO equal to neither SHSLOTNO nor OLDSLOTNO takes the error branch', () => {
    const r = arrive({ ...shuttle, shSlotNo: 3, oldSlotNo: 2 }, blade(1, 0));
    expect(r.ok).toBe(false);
  });
});
