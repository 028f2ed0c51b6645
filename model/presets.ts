/** The named configurations. Each is the JSON a user could write, validated like a file. */

/** 2 primary blades (P0→S0, P1→S1), reordering network, slot shuttle; by default one chain whose dependency crosses blades. */
const pair = (
  workload: readonly (readonly { device: number; block: number }[])[] = [[{ device: 0, block: 0 }, { device: 1, block: 0 }]],
  journalCapacity = 2,
  blocksPerDevice = 1,
) => ({
  primary: { blades: 2, blocksPerDevice, journalCapacity, service: [[0], [1]] },
  secondary: { blades: 2 },
  network: 'reorder' as string,
  sequencer: { kind: 'slot' } as Record<string, unknown>,
  workload,
});

/** One chain of four dependent writes alternating between the two devices: two writes per primary blade, each dependency crossing blades. */
const chain4 = [[{ device: 0, block: 0 }, { device: 1, block: 0 }, { device: 0, block: 0 }, { device: 1, block: 0 }]];

export const PRESETS = {
  tiny: {
    description: '1 primary + 1 secondary blade, one chain of 2 writes to one block, FIFO, slot shuttle (seconds; for tests)',
    json: {
      primary: { blades: 1, blocksPerDevice: 1, journalCapacity: 2, service: [[0]] },
      secondary: { blades: 1 },
      network: 'fifo',
      sequencer: { kind: 'slot' },
      workload: [[{ device: 0, block: 0 }, { device: 0, block: 0 }]],
    },
  },
  default: {
    description: '2 primary + 2 secondary devices, 2 chains whose writes cross blades (a dependency spans two blades), reordering network, slot shuttle',
    json: {
      primary: { blades: 2, blocksPerDevice: 1, journalCapacity: 2, service: [[0], [1]] },
      secondary: { blades: 2 },
      network: 'reorder',
      sequencer: { kind: 'slot' },
      workload: [
        [{ device: 0, block: 0 }, { device: 1, block: 0 }],
        [{ device: 1, block: 0 }, { device: 0, block: 0 }],
      ],
    },
  },
  ring: {
    description: 'as default with the ring shuttle (variant 1, blade 0 increments every round); "no empty sequence number" left out (its known drawback)',
    json: {
      primary: { blades: 2, blocksPerDevice: 1, journalCapacity: 2, service: [[0], [1]] },
      secondary: { blades: 2 },
      network: 'reorder',
      sequencer: { kind: 'ring', designated: 0 },
      workload: [
        [{ device: 0, block: 0 }, { device: 1, block: 0 }],
        [{ device: 1, block: 0 }],
      ],
    },
  },
  timer: {
    description: 'timer sequencer (period 1 < gap 2, clock bounded at 4 ticks), 2 primary blades to 1 secondary, one chain crossing blades, FIFO',
    json: {
      primary: { blades: 2, blocksPerDevice: 1, journalCapacity: 2, service: [[0], [0]] },
      secondary: { blades: 1 },
      network: 'fifo',
      sequencer: { kind: 'timer', period: 1, gap: 2, maxTicks: 4 },
      workload: [[{ device: 0, block: 0 }, { device: 1, block: 0 }]],
    },
  },
  fanout: {
    description: 'one primary blade serving two secondaries (service bitmap 0b11), 2 chains on 2 blocks, reordering network, slot shuttle',
    json: {
      primary: { blades: 1, blocksPerDevice: 2, journalCapacity: 2, service: [[0, 1]] },
      secondary: { blades: 2 },
      network: 'reorder',
      sequencer: { kind: 'slot' },
      workload: [[{ device: 0, block: 0 }, { device: 0, block: 1 }], [{ device: 0, block: 1 }]],
    },
  },
  // ---- faults (PROTOCOL.md §8): each bounded, each exhaustively checkable in seconds ----
  linkfail: {
    description: 'a chain of 4 dependent writes alternating between 2 blades (two per blade; P0→S0, P1→S1), reordering network, slot shuttle; one network link may go down (losing what is in flight) and come back; Fig 16 recovery',
    json: { ...pair(chain4), faults: { linkDown: 1 }, recovery: 'fig16' },
  },
  linkfail17: {
    description: 'Fig 17 recovery (secondary blades drop only the entries after the first gap); one chain: blade 0 journals two dependent writes (two numbers) so a gap can open on its link, then blade 1 one',
    json: { ...pair([[{ device: 0, block: 0 }, { device: 0, block: 0 }, { device: 1, block: 0 }]]), faults: { linkDown: 1 }, recovery: 'fig17' },
  },
  trigger: {
    description: 'a chain of 4 dependent writes alternating between 2 blades (two per blade); a device-to-blade link may fail: the group triggers, later writes mark tracks invalid, repair copies them and replication resumes with a fresh sequence',
    json: { ...pair(chain4), faults: { deviceLinkFail: 1 } },
  },
  restart: {
    description: 'a chain of 4 dependent writes alternating between 2 blades (two per blade); any one blade (primary or secondary) may restart; volatile journals (a lost primary journal invalidates its tracks and triggers the group)',
    json: { ...pair(chain4), faults: { bladeRestart: 1 }, journal: 'volatile' },
  },
  overflow: {
    description: 'journals of 1 record, a chain of 3 writes over 2 blades (the third to another block of device 0); a full journal is cleared and its tracks invalidated (clear-and-invalidate), the group triggers and resynchronises',
    json: { ...pair([[{ device: 0, block: 0 }, { device: 1, block: 0 }, { device: 0, block: 1 }]], 1, 2), overflow: 'clear-invalidate' },
  },
  disaster: {
    description: 'a chain of 4 dependent writes alternating between 2 blades (two per blade), reordering network, slot shuttle; a disaster may stop the primary site at any moment; the secondary site then recovers (failover)',
    json: { ...pair(chain4), faults: { disaster: true } },
  },
  rollback: {
    description: 'one dependent pair; the secondary holds back 1 complete number (delayed apply); an operator may halt propagation and restore the primary from the secondary at any moment',
    json: { ...pair(), delay: 1, rollback: true },
  },
  'ring-fail': {
    description: 'ring shuttle (blade 0 increments) with one write on each blade; one primary blade may fail for good: with the designated blade failed the sequence stalls (a liveness violation, the second drawback the patent names)',
    json: { ...pair([[{ device: 1, block: 0 }], [{ device: 0, block: 0 }]]), sequencer: { kind: 'ring', designated: 0 }, faults: { bladeFail: 1 } },
  },
  'slot-fail': {
    description: 'as ring-fail with the slot shuttle: any blade with data increments, so a failed blade stalls nothing',
    json: { ...pair([[{ device: 1, block: 0 }], [{ device: 0, block: 0 }]]), faults: { bladeFail: 1 } },
  },
  // ---- related art (Description of Related Art), PROTOCOL.md §8 and §9 ----
  sync: {
    description: 'synchronous mode: the host is acknowledged only once every secondary holds the write; one dependent pair across 2 blades; a disaster may strike',
    json: { ...pair(), mode: 'synchronous', faults: { disaster: true } },
  },
  semisync: {
    description: 'semi-synchronous mode: acknowledged at once, one outstanding transfer per device, applied on receipt; one dependent pair across 2 blades; a disaster may strike',
    json: { ...pair(), mode: 'semi-synchronous', faults: { disaster: true } },
  },
  background: {
    description: 'background (adaptive) copy: acknowledged at once, modified tracks copied in any order; one dependent pair across 2 blades; a disaster may strike',
    json: { ...pair(), network: 'fifo', mode: 'background', faults: { disaster: true } },
  },
  // ---- several consistency groups (Fig 11), PROTOCOL.md §10 ----
  groups: {
    description: 'Fig 11: two consistency groups sharing boxes 202-204 (202 primary in G1, secondary in G2; 204 the reverse; 203 secondary in both), one write each, FIFO, slot shuttle; G1\'s device link may fail (trigger and resync); G2 must carry on as if alone',
    json: {
      groups: [
        // G1: host 218 writes to box 202, replicated to 203, 204, 205 (WAN blades 208-211)
        {
          primary: { blades: 1, blocksPerDevice: 1, journalCapacity: 2, service: [[0, 1, 2]] },
          secondary: { blades: 3 },
          network: 'fifo',
          sequencer: { kind: 'slot' },
          workload: [[{ device: 0, block: 0 }]],
          faults: { deviceLinkFail: 1 },
        },
        // G2: host 219 writes to box 204, replicated to 202, 203 (WAN blades 214-216)
        {
          primary: { blades: 1, blocksPerDevice: 1, journalCapacity: 2, service: [[0, 1]] },
          secondary: { blades: 2 },
          network: 'fifo',
          sequencer: { kind: 'slot' },
          workload: [[{ device: 0, block: 0 }]],
        },
      ],
      shared: [
        { box: '202', devices: [{ group: 0, primary: 0 }, { group: 1, secondary: 0 }] },
        { box: '203', devices: [{ group: 0, secondary: 0 }, { group: 1, secondary: 1 }] },
        { box: '204', devices: [{ group: 0, secondary: 1 }, { group: 1, primary: 0 }] },
      ],
    },
  },
} as const;

export type PresetName = keyof typeof PRESETS;
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];
