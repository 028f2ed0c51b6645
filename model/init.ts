/** The initial states: empty devices, journals and links; sequence numbers start at 1. */
import type { Setup } from './setup.ts';
import type { PrimaryBlade, State } from './state.ts';

const blade = (phase: number, curSlotNo: number): PrimaryBlade => ({
  curSlotNo,
  curSlotCnt: 0,
  sequenceNo: 0,
  totalWrites: 0,
  nextSerial: 0,
  journal: [],
  phase,
});

/** All phase vectors in [0, period)^P, in lexicographic order (deterministic). */
const phaseVectors = (P: number, period: number): number[][] => {
  let out: number[][] = [[]];
  for (let i = 0; i < P; i++) out = out.flatMap((v) => Array.from({ length: period }, (_, k) => [...v, k]));
  return out;
};

/** A timer blade's counter at tick t: incremented every `period` ticks from its phase (numbers start at 1). */
export const timerCounter = (t: number, phase: number, period: number): number => 1 + Math.floor((t + phase) / period);

/** The initial states. Plain (unfrozen) data, like every state: transitions never edit a state (see immutable.ts). */
export const initStates = (setup: Setup): State[] => {
  const { P, S, nBlocks, cfg } = setup;
  const seq = cfg.sequencer;
  const base = (pb: PrimaryBlade[]): State => ({
    writes: setup.writes.map(() => ({ status: 0 as const, seq: -1, deps: 0 })),
    primaryBlocks: Array.from({ length: nBlocks }, () => []),
    deviceWaiting: Array.from({ length: P }, () => []),
    primaryBlades: pb,
    // Fig 19: the shuttle starts at blade 0 with SHSLOTNO 1 and OLDSLOTNO 0 (= SHSLOTNO - 1, as step 402 keeps it).
    shuttles:
      seq.kind === 'timer' || setup.direct
        ? []
        : Array.from({ length: setup.mutant === 'duplicate-shuttle' ? 2 : 1 }, () => ({
            at: 0,
            shSlotNo: 1,
            oldSlotNo: 0,
            oldSlotCnt: 0,
            wkSlotNo: 0,
            wkSlotCnt: 0,
          })),
    clock: seq.kind === 'timer' ? { t: 0, lastAck: -1 } : null,
    links: Array.from({ length: P * S }, () => []),
    syncs: Array.from({ length: P * S }, () => []),
    secondaryBlades: Array.from({ length: S }, () => ({
      journal: [],
      initiatedNo: 0,
      transferNo: 0,
      appliedNo: 0,
      syncTo: 0,
      device: Array.from({ length: nBlocks }, () => -1),
    })),
    secondaryShuttle: { at: 0, seqNo: 0, mode: 0 as const },
    error358: false,
    faultsUsed: { linkDown: 0, deviceLinkFail: 0, bladeRestart: 0, bladeFail: 0 },
    linksDown: 0,
    recoveryPending: false,
    secRecovered: 0,
    resent: 0,
    group: 'replicating' as const,
    invalidTracks: Array.from({ length: S }, () => 0),
    failedBlades: 0,
    sequenceBase: 0,
    site: 'running' as const,
    failedOver: 0,
    modifiedTracks: 0,
    restoredPrimary: null,
  });
  if (seq.kind !== 'timer') return [base(Array.from({ length: P }, () => blade(0, 1)))];
  // Timer: each blade's phase offset is chosen nondeterministically in [0, period).
  return phaseVectors(P, seq.period).map((ph) => base(ph.map((phase) => blade(phase, timerCounter(0, phase, seq.period)))));
};
