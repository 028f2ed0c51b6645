/**
 * The explorer's benchmark lines: their form, not their figures (speed is measured by `npm run
 * bench`, never asserted). Small runs: a few step requests, a short trace.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { benchExplorer, cyclicPath } from '../../../checker/explorer/benchExplorer.ts';
import { replay } from '../../../checker/replay.ts';
import { fingerprint, fingerprintHex } from '../../../checker/fingerprint.ts';
import counter from '../../examples/counter.ts';
import { twoPhase } from '../../examples/twoPhase.ts';
import { hasBrowser } from '../../browser.ts';

const root = resolve(__dirname, '../../..');
const TWO_PHASE = resolve(root, 'test/examples/twoPhaseModule.ts');
const FIGURE = '[\\d.,]+';

describe('benchExplorer', () => {
  it('makes a long path by going round a cycle of the model, or says there is none', () => {
    const p = cyclicPath(counter, 25)!;
    expect(p.actions).toHaveLength(25);
    const steps = replay(counter, p); // it replays: every step is enabled
    const keys = steps.map((s) => fingerprintHex(fingerprint(s.state)));
    expect(new Set(keys).size).toBeLessThan(keys.length); // states come back
    expect(cyclicPath(twoPhase(2), 25)).toBeUndefined(); // TwoPhase always ends
  });

  it('times step requests through the server, and skips the page in one line without a browser', async () => {
    const lines = await benchExplorer({ stepArgs: ['--model', TWO_PHASE, '--param', 'N=2'], steps: 5, chromium: '/no/such/chromium' });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^explorer step \\(--model .*twoPhaseModule\\.ts --param N=2\\): median ${FIGURE} ms, worst ${FIGURE} ms over 5 steps `));
    expect(lines[1]).toBe('explorer page: skipped, no browser at /no/such/chromium (apt-get install -y chromium)');
  });

  it.runIf(hasBrowser)('loads, draws and scrolls a long trace in the page', async () => {
    const lines = await benchExplorer({ stepArgs: ['--model', TWO_PHASE], steps: 2, traceArgs: ['--model', resolve(root, 'test/examples/trap.ts')], traceSteps: 120 });
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(new RegExp(`^explorer page, a 120-step trace: loaded and drawn in ${FIGURE} ms \\(path list, chart, state\\), another step selected in ${FIGURE} ms$`)),
      expect.stringMatching(new RegExp(`^explorer page, scrolling its chart: frames median ${FIGURE} ms, worst ${FIGURE} ms \\(60 frames, top to bottom\\)$`)),
    ]);
  });
});
