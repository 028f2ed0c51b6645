import { describe, expect, it } from 'vitest';
import { formatProgress, formatUnitLine, unitProgress } from '../../checker/progressLine.ts';

const sink = () => {
  let text = '';
  return { stream: { write: (s: string) => ((text += s), true) } as unknown as NodeJS.WritableStream, text: () => text };
};

describe('progress lines', () => {
  it('a search: states, rate, depth', () => {
    expect(formatProgress({ distinctStates: 12000, generatedStates: 30000, queued: 5, depth: 7, elapsedMs: 2000 })).toBe(
      '12,000 distinct, 30,000 generated, 5 queued, depth 7, 2 s, 6,000 states/s',
    );
  });

  it('a command of many checks: one line per finished check, counted and timed from the previous one', () => {
    expect(formatUnitLine('mutants', 5, 17, 'ack-before-journal', 'caught', 812)).toBe('mutants: 5/17 ack-before-journal: caught (0.8 s)');
    const out = sink();
    let clock = 1000;
    const finished = unitProgress(out.stream, 'claims', 2, false, () => clock);
    clock += 1500;
    finished('synchronous', 'yes');
    clock += 250;
    finished('background', 'no');
    expect(out.text()).toBe('claims: 1/2 synchronous: yes (1.5 s)\nclaims: 2/2 background: no (0.3 s)\n');
  });

  it('quiet: nothing', () => {
    const out = sink();
    const finished = unitProgress(out.stream, 'vectors', 1, true);
    finished('tiny', '5 vectors');
    expect(out.text()).toBe('');
  });
});
