import { describe, expect, it } from 'vitest';
import { parseItfText } from '../../checker/itf.ts';
import { validateTrace } from '../../traces/oracle.ts';
import { buildSuite } from '../../traces/suite.ts';
import { observedActions } from '../../traces/validate.ts';
import provider from '../examples/textbook.ts';

describe('vector suite (generic)', () => {
  const suite = buildSuite(provider, ['twoPhase3', 'dieHardFree'], [['commit-early', 'twoPhase3']]);

  it('fires every action kind of every preset', () => {
    for (const preset of ['twoPhase3', 'dieHardFree']) {
      const covered = new Set(suite.vectors.filter((v) => v.preset === preset).flatMap((v) => v.covers));
      expect([...covered].sort()).toEqual(suite.index.coverage[preset]!.actions);
      expect(suite.index.coverage[preset]!.neverFired).toEqual([]);
    }
  });

  it('each conform vector conforms and each mutant vector is rejected by the correct model', () => {
    for (const v of suite.vectors) {
      const trace = parseItfText(v.text, v.file);
      const model = provider.fromPreset(v.preset, { params: {} });
      const actions = observedActions(trace, v.file);
      const verdict = validateTrace(model, { states: trace.states, ...(actions ? { actions } : {}) }, { level: 'full' });
      expect(verdict.ok, `${v.file}`).toBe(v.expect === 'conform');
      if (v.expect === 'reject') expect(trace.meta.mutant).toBe('commit-early');
    }
  });

  it('is deterministic, byte for byte', () => {
    const again = buildSuite(provider, ['twoPhase3', 'dieHardFree'], [['commit-early', 'twoPhase3']]);
    expect(again.vectors.map((v) => [v.file, v.text])).toEqual(suite.vectors.map((v) => [v.file, v.text]));
  });
});
