/** The named configurations. Each is the JSON a user could write, validated like a file. */
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
} as const;

export type PresetName = keyof typeof PRESETS;
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];
