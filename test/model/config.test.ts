/** Configuration validation: bad input is an InputError whose one-line message names the field. */
import { describe, expect, it } from 'vitest';
import { isInputError } from '../../checker/errors.ts';
import { PRESETS } from '../../model/presets.ts';
import system from '../../model/system.ts';

const base = PRESETS.default.json;
const withField = (patch: (j: Record<string, any>) => void): unknown => {
  const j = structuredClone(base) as Record<string, any>;
  patch(j);
  return j;
};

const rejects = (json: unknown, pattern: RegExp, opts: { params?: Record<string, string>; mutant?: string } = {}): void => {
  let err: unknown;
  try {
    system.fromConfig(json, 'config.json', { params: opts.params ?? {}, ...(opts.mutant ? { mutant: opts.mutant } : {}) });
  } catch (e) {
    err = e;
  }
  expect(isInputError(err), String(err)).toBe(true);
  const msg = (err as Error).message;
  expect(msg).toMatch(pattern);
  expect(msg).not.toContain('\n');
};

describe('configuration', () => {
  it('accepts every preset as a file', () => {
    for (const [name, p] of Object.entries(PRESETS)) expect(system.fromConfig(p.json, `${name}.json`, { params: {} }).name).toBe(`${name}.json`);
  });

  it('names the bad field and the value', () => {
    rejects(withField((j) => (j.primary.journalCapacity = -1)), /^config\.json: "primary\.journalCapacity" must be an integer >= 1, got -1$/);
    rejects(withField((j) => (j.primary.blades = 'two')), /"primary\.blades" must be an integer in \[1, 8\], got "two"/);
    rejects(withField((j) => (j.network = 'udp')), /"network" must be one of "fifo", "reorder", got "udp"/);
    rejects(withField((j) => (j.workload[1][0].device = 5)), /"workload\[1\]\[0\]\.device" must be an integer in \[0, 1\], got 5/);
    rejects(withField((j) => (j.primary.service = [[0]])), /"primary\.service" must have one entry per primary blade/);
    rejects(withField((j) => (j.primary.service = [[0], [0]])), /"primary\.service" must serve every secondary blade/);
    rejects(withField((j) => (j.sequencer = { kind: 'timer', period: 0, gap: 1, maxTicks: 3 })), /"sequencer\.period" must be an integer in \[1, 16\], got 0/);
    rejects(withField((j) => (j.sequencer = { kind: 'slot', period: 2 })), /unknown field "sequencer\.period"/);
    rejects(withField((j) => (j.extra = 1)), /unknown field "extra"/);
    rejects(withField((j) => delete j.secondary), /"secondary" must be an object, got nothing/);
    rejects(withField((j) => (j.sequencer = { kind: 'timer', period: 1, gap: 1, maxTicks: 3 }, j.checkNoEmptyNumbers = true)), /"checkNoEmptyNumbers" applies to the shuttle sequencers only/);
    rejects(withField((j) => (j.mutant = 'nope')), /unknown mutant "nope" \(known: ack-before-increment, /);
  });

  it('a configuration that is not an object is named as such, not as an empty path', () => {
    rejects(42, /^config\.json: the configuration must be an object, got 42$/);
    rejects([base], /^config\.json: the configuration must be an object, got \[/);
    rejects(null, /^config\.json: the configuration must be an object, got null$/);
  });

  it('params override fields and are validated the same way', () => {
    const m = system.fromPreset('default', { params: { maxSeq: '4', network: 'fifo' } });
    expect(m.name).toBe('default');
    rejects(base, /^--param: unknown key "bogus" \(known: maxSeq, /, { params: { bogus: '1' } });
    rejects(base, /"bounds\.maxSeq" must be an integer in \[1, 1000\], got 0/, { params: { maxSeq: '0' } });
    rejects(base, /"period" applies to sequencer\.kind "timer"/, { params: { period: '2' } });
  });

  it('unknown mutants and presets are rejected with the known names', () => {
    rejects(base, /unknown mutant "bogus" \(known: .*one-phase-commit/, { mutant: 'bogus' });
    expect(() => system.fromPreset('nope', { params: {} })).toThrow(/unknown preset "nope" \(known: tiny, default, ring, timer, fanout, linkfail, /);
    expect(system.fromPreset('tiny', { params: {}, mutant: 'one-phase-commit' }).name).toContain('one-phase-commit');
  });
});
