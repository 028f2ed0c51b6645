/**
 * The end of the primary site: a disaster or an operator stops it at any moment and the
 * secondary site recovers (failover, text after Fig 18); or an operator halts propagation
 * and restores the primary from the secondary (rollback, text after Fig 4).
 */
import { recoverableImage } from './image.ts';
import { update, updateSecondary, withSecondary } from './immutable.ts';
import { all, committedEverywhere, completeBlade, loseInFlightTo } from './recovery.ts';
import type { Setup } from './setup.ts';
import type { State } from './state.ts';

/** Disaster: the primary site stops. In-flight records may still reach the secondary site. */
export const disaster = (s: State, setup: Setup): State | undefined => {
  if (!setup.cfg.faults.disaster || s.site !== 'running') return undefined;
  return update(s, { site: 'stopped' });
};

/**
 * Failover(j): secondary blade j's step of the secondary site's recovery (text after Fig 18;
 * PROTOCOL.md §3, recoverable image): it completes every number every secondary initiated,
 * drops the rest of its SG-list and forgets what was in flight to it. When every secondary
 * blade has taken its step, the host restarts at the secondary site.
 */
export const failover = (s: State, setup: Setup, j: number): State | undefined => {
  if (s.site !== 'stopped' || j < 0 || j >= setup.S || (s.failedOver >> j) & 1) return undefined;
  const b = completeBlade(setup, s.secondaryBlades[j]!, committedEverywhere(s));
  const failedOver = s.failedOver | (1 << j);
  return update(loseInFlightTo(withSecondary(s, j, updateSecondary(b, { journal: [] })), setup, j), {
    failedOver,
    site: failedOver === all(setup.S) ? 'failed-over' : 'stopped',
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
