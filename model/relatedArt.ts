/**
 * The related-art modes (Description of Related Art) on the same components:
 * - synchronous: the host is acknowledged only once every secondary holds the write;
 * - semi-synchronous: acknowledged at once, but a device transfers nothing new until its
 *   previous transfer was acknowledged by the secondary (one outstanding transfer);
 * - background (adaptive) copy: acknowledged at once; the device cycles through its tracks
 *   and copies each modified one to the secondary.
 * Semi-synchronous and background have no sequence numbers: the secondary applies on receipt.
 */
import { patchSecondary, setAt, update, updateAt } from './immutable.ts';
import { linkIndex, pushSync } from './links.ts';
import type { Setup } from './setup.ts';
import type { RecordMsg, State } from './state.ts';

/**
 * BackgroundCopy(g): the copier reaches modified track g and sends its current value to every
 * secondary holding it. Choice: tracks in any order (the patent cycles sequentially from a
 * position the model does not fix, so any order is a possible one).
 */
export const backgroundCopy = (s: State, setup: Setup, g: number): State | undefined => {
  if (setup.cfg.mode !== 'background' || s.site !== 'running' || !((s.modifiedTracks >> g) & 1)) return undefined;
  const hist = s.primaryBlocks[g]!;
  const w = hist[hist.length - 1]!;
  const i = setup.writes[w]!.device;
  let links = s.links;
  for (let j = 0; j < setup.S; j++) {
    if ((setup.holders[g]! >> j) & 1) links = updateAt(links, linkIndex(setup, i, j), (link) => [...link, { write: w, seq: 0, total: 0, from: i, serial: 0 }]);
  }
  return update(s, { modifiedTracks: s.modifiedTracks & ~(1 << g), links });
};

/** A record reaches a secondary in a mode without numbers: written to the device at once; semi-synchronous syncs back. */
export const applyDirect = (s: State, setup: Setup, j: number, m: RecordMsg): State => {
  const b = s.secondaryBlades[j]!;
  const applied = patchSecondary(s, j, { device: setAt(b.device, setup.writes[m.write]!.g, m.write) });
  if (setup.cfg.mode !== 'semi-synchronous') return applied;
  return update(applied, { syncs: updateAt(applied.syncs, linkIndex(setup, m.from, j), (link) => pushSync(setup, link, m.seq)) });
};
