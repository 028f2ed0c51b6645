/** The state constraint of one system (PROTOCOL.md §4, TLC style): states past it are checked but not explored. */
import type { Config } from './config.ts';
import type { State } from './state.ts';

/** Within the bounds: every primary shuttle's number at most `bounds.maxSeq`, or the timer's clock at most `maxTicks`. */
export const withinBounds = (s: State, cfg: Config): boolean =>
  cfg.sequencer.kind === 'timer' ? s.clock!.t <= cfg.sequencer.maxTicks : s.shuttles.every((sh) => sh.shSlotNo <= cfg.bounds.maxSeq);
