/**
 * Facts derived once from a configuration (never part of the state): write ids, chains,
 * service bitmaps, global block numbers.
 */
import type { Config, MutantName } from './config.ts';

/** A write of the workload. Its id is its global index; the value it writes is its id. */
export interface WriteInfo {
  readonly id: number;
  readonly chain: number;
  readonly device: number;
  readonly block: number;
  /** Global block number: device * blocksPerDevice + block. */
  readonly g: number;
}

export interface Setup {
  readonly cfg: Config;
  readonly kind: Config['sequencer']['kind'];
  readonly mutant: MutantName | undefined;
  /** Primary blades (= primary devices) and secondary blades (= secondary devices). */
  readonly P: number;
  readonly S: number;
  readonly nBlocks: number;
  readonly writes: readonly WriteInfo[];
  /** Write ids per chain, in chain order. */
  readonly chains: readonly (readonly number[])[];
  /** Service bitmap of each primary blade (bit j = secondary blade j). */
  readonly service: readonly number[];
  /** Deliveries per write of each primary blade: popcount of its service bitmap. */
  readonly fanout: readonly number[];
  /** For each secondary blade, the bitmask of primary devices it holds a copy of. */
  readonly servedBy: readonly number[];
  /** For each secondary blade, the global blocks its device holds a copy of. */
  readonly heldBlocks: readonly (readonly number[])[];
  /** Related-art modes without sequence numbers (semi-synchronous, background): the secondary applies on receipt. */
  readonly direct: boolean;
  /** For each global block, the bitmask of secondary blades holding a copy of it. */
  readonly holders: readonly number[];
}

export const popcount = (x: number): number => {
  let n = 0;
  for (let v = x; v !== 0; v &= v - 1) n++;
  return n;
};

export const makeSetup = (cfg: Config): Setup => {
  const writes: WriteInfo[] = [];
  const chains = cfg.workload.map((chain, c) =>
    chain.map((w) => {
      const id = writes.length;
      writes.push({ id, chain: c, device: w.device, block: w.block, g: w.device * cfg.primary.blocksPerDevice + w.block });
      return id;
    }),
  );
  const service = cfg.primary.service.map((l) => l.reduce((m, j) => m | (1 << j), 0));
  const servedBy = Array.from({ length: cfg.secondary.blades }, (_, j) =>
    service.reduce((m, svc, i) => ((svc >> j) & 1 ? m | (1 << i) : m), 0),
  );
  const B = cfg.primary.blocksPerDevice;
  const heldBlocks = servedBy.map((mask) =>
    Array.from({ length: cfg.primary.blades * B }, (_, g) => g).filter((g) => (mask >> Math.floor(g / B)) & 1),
  );
  return {
    cfg,
    kind: cfg.sequencer.kind,
    mutant: cfg.mutant,
    P: cfg.primary.blades,
    S: cfg.secondary.blades,
    nBlocks: cfg.primary.blades * cfg.primary.blocksPerDevice,
    writes,
    chains,
    service,
    fanout: service.map(popcount),
    servedBy,
    heldBlocks,
    direct: cfg.mode === 'semi-synchronous' || cfg.mode === 'background',
    holders: Array.from({ length: cfg.primary.blades * B }, (_, g) => service[Math.floor(g / B)]!),
  };
};
