/**
 * The end of the primary site: a disaster or an operator stops it at any moment and the
 * secondary site recovers (failover, text after Fig 18); or an operator halts propagation
 * and restores the primary from the secondary (rollback, text after Fig 4).
 */
import { recoverableImage } from './image.ts';
import { update, updateSecondary } from './immutable.ts';
import type { Setup } from './setup.ts';
import type { State } from './state.ts';

/** Disaster: the primary site stops. In-flight records may still reach the secondary site. */
export const disaster = (s: State, setup: Setup): State | undefined => {
  if (!setup.cfg.faults.disaster || s.site !== 'running') return undefined;
  return update(s, { site: 'stopped' });
};

/**
 * Failover: the secondary site runs its recovery (PROTOCOL.md §3, recoverable image: complete what
 * every secondary initiated, drop the rest) and the host restarts there.
 */
export const failover = (s: State, setup: Setup): State | undefined => {
  if (s.site !== 'stopped') return undefined;
  const image = recoverableImage(s, setup);
  return update(s, {
    secondaryBlades: s.secondaryBlades.map((b, j) => updateSecondary(b, { device: image[j]!, journal: [], initiatedNo: 0, transferNo: 0, syncTo: 0 })),
    links: s.links.map(() => []),
    syncs: s.syncs.map(() => []),
    site: 'failed-over',
  });
};

/**
 * HaltAndRestore (rollback): propagation is halted and every primary block is restored from
 * the secondary site's recovered image (from the first secondary holding the block).
 */
export const haltAndRestore = (s: State, setup: Setup): State | undefined => {
  if (!setup.cfg.rollback || s.site !== 'running' || s.group !== 'replicating') return undefined;
  // mutant: the devices as they stand, part-way through a commit round
  const image = setup.mutant === 'restore-from-devices' ? s.secondaryBlades.map((b) => b.device) : recoverableImage(s, setup);
  const restoredPrimary = Array.from({ length: setup.nBlocks }, (_, g) => {
    const j = setup.holders[g]!.toString(2).split('').reverse().indexOf('1');
    return image[j]![g]!;
  });
  return update(s, { restoredPrimary, site: 'rolled-back' });
};
