/** What the CLI prints of a result: the headline, the figures, and the JSON summary. */
import { describe, expect, it } from 'vitest';
import { check } from '../../checker/check.ts';
import type { Model } from '../../checker/model.ts';
import { describeCut, formatSummary, jsonSummary, MIN_STATES_FOR_BYTES_PER_STATE } from '../../checker/report.ts';
import type { CheckResult } from '../../checker/result.ts';
import { twoPhase } from '../examples/twoPhase.ts';

type Counter = { n: number };
const counter = (extra: Partial<Model<Counter, 'inc'>> = {}): Model<Counter, 'inc'> => ({
  name: 'counter',
  initStates: () => [{ n: 0 }],
  actions: () => ['inc'],
  nextState: (s) => (s.n < 1000 ? { n: s.n + 1 } : undefined),
  actionName: () => 'inc',
  terminalOk: 'always',
  ...extra,
});

const headline = (r: CheckResult): string => formatSummary(r).split('\n')[0]!;
const json = (r: CheckResult) => jsonSummary(counter(), r, (s) => s);

describe('the summary', () => {
  it("says on the headline when the model's own bound cut the search", () => {
    const bounded = check(counter({ withinBoundary: (s) => s.n < 10 })) as CheckResult;
    expect(bounded.boundaryCut).toBe(1);
    expect(headline(bounded)).toBe("counter (bfs): OK: every property holds in every reachable state within the model's bound");
    const whole = check(twoPhase(3)) as CheckResult;
    expect(headline(whole)).toMatch(/: OK: every property holds in every reachable state$/);
  });

  it('names why a search stopped short in words', () => {
    expect(describeCut('max-depth')).toBe('search cut by --max-depth');
    expect(describeCut('max-states')).toBe('search cut by --max-states');
    expect(describeCut('interrupted')).toBe('search interrupted (Ctrl-C)');
    expect(describeCut('memory')).toBe('search stopped at the memory limit');
    const cut = check(twoPhase(5), { maxStates: 100 }) as CheckResult;
    expect(headline(cut)).toMatch(/: INCOMPLETE: search cut by --max-states; no violation in what was explored$/);
    expect(headline({ ...cut, cutBy: 'interrupted' })).toMatch(/: INCOMPLETE: search interrupted \(Ctrl-C\); /);
  });

  it(`reports bytes per state only from ${MIN_STATES_FOR_BYTES_PER_STATE.toLocaleString('en')} states on, in text and JSON`, () => {
    const small = check(twoPhase(3)) as CheckResult;
    expect(small.distinctStates).toBeLessThan(MIN_STATES_FOR_BYTES_PER_STATE);
    expect(formatSummary(small)).not.toMatch(/bytes\/state/);
    expect(formatSummary(small)).toMatch(/^States: 288 distinct, .* states\/s$/m);
    expect(json(small).bytesPerState).toBeNull();
    const large: CheckResult = { ...small, distinctStates: MIN_STATES_FOR_BYTES_PER_STATE, bytesPerState: 85.714 };
    expect(formatSummary(large)).toMatch(/states\/s, 85\.7 bytes\/state in the visited set$/m);
    expect(json(large).bytesPerState).toBe(85.71);
  });

  it("gives TLC's optimistic collision estimate, labelled, and the birthday bound beside it, in text and JSON", () => {
    const r = check(twoPhase(3)) as CheckResult;
    const n = r.distinctStates;
    const g = r.generatedStates;
    expect(g).toBeGreaterThan(n);
    expect(r.collisionProbability).toBe((n * (g - n)) / 2 ** 64);
    expect(r.birthdayCollisionBound).toBe((n * (n - 1)) / 2 ** 65);
    const line = formatSummary(r).split('\n').find((l) => l.startsWith('Fingerprint collision probability'));
    expect(line).toBe(
      `Fingerprint collision probability: ${r.collisionProbability.toExponential(1)} (TLC's optimistic estimate, n·(g−n)/2^64); ` +
        `birthday bound over the distinct states, n(n−1)/2^65: ${r.birthdayCollisionBound.toExponential(1)}`,
    );
    expect(json(r)).toMatchObject({ collisionProbability: r.collisionProbability, birthdayCollisionBound: r.birthdayCollisionBound });
  });

  it('counts depth in steps from an initial state, and says so', () => {
    const r = check(counter({ withinBoundary: (s) => s.n < 3 })) as CheckResult;
    expect(r.depth).toBe(3);
    expect(formatSummary(r)).toMatch(/^States: 4 distinct, 4 generated, depth 3 steps, /m);
    const one = check(counter({ withinBoundary: (s) => s.n < 1 })) as CheckResult;
    expect(formatSummary(one)).toMatch(/, depth 1 step, /);
  });
});
