import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isInputError } from '../../checker/errors.ts';
import {
  ACTION_TAKEN,
  parseItfText,
  parseItfTrace,
  stringifyItfTrace,
  toItfTrace,
} from '../../checker/itf.ts';

/** The error `f` throws, which must be an InputError. */
function inputErrorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (isInputError(e)) return e.message;
    throw e;
  }
  throw new Error('expected an InputError, but parsing succeeded');
}

// The counterexample of ADR-015 (MissionariesAndCannibals), first two states.
const adrSample = `{
  "#meta": { "source": "MC_MissionariesAndCannibalsTyped.tla" },
  "vars": [ "bank_of_boat", "who_is_on_bank" ],
  "states": [
    { "#meta": { "index": 0 }, "bank_of_boat": "E",
      "who_is_on_bank": { "#map": [
        [ "E", { "#set": [ "c1_OF_PERSON", "c2_OF_PERSON", "m1_OF_PERSON", "m2_OF_PERSON" ] } ],
        [ "W", { "#set": [] } ] ] } },
    { "#meta": { "index": 1 }, "bank_of_boat": "W",
      "who_is_on_bank": { "#map": [
        [ "E", { "#set": [ "c1_OF_PERSON", "m1_OF_PERSON" ] } ],
        [ "W", { "#set": [ "c2_OF_PERSON", "m2_OF_PERSON" ] } ] ] } }
  ]
}`;

// The shape Quint writes for model-based testing: qualified names, every integer as
// #bigint, mbt:: variables listed (twice) in vars, Option picks as tag/value variants.
const quintSample = {
  '#meta': { format: 'ITF', source: 'bank.qnt', status: 'ok', timestamp: 1701944461444 },
  vars: ['bank::balances', 'mbt::actionTaken', 'mbt::nondetPicks', 'mbt::actionTaken', 'mbt::nondetPicks'],
  states: [
    {
      '#meta': { index: 0 },
      'bank::balances': { '#map': [['alice', { '#bigint': '0' }]] },
      'mbt::actionTaken': 'init',
      'mbt::nondetPicks': { amount: { tag: 'None', value: { '#tup': [] } } },
    },
    {
      '#meta': { index: 1 },
      'bank::balances': { '#map': [['alice', { '#bigint': '18446744073709551616' }]] },
      'mbt::actionTaken': 'deposit',
      'mbt::nondetPicks': { amount: { tag: 'Some', value: { '#bigint': '18446744073709551616' } } },
    },
  ],
};

describe('ITF traces', () => {
  it('parse the sample trace of the ITF spec (ADR-015)', () => {
    const t = parseItfText(adrSample, 'mc.itf.json');
    expect(t.vars).toEqual(['bank_of_boat', 'who_is_on_bank']);
    expect(t.states).toHaveLength(2);
    expect(t.states[1]).toEqual({
      bank_of_boat: 'W',
      who_is_on_bank: new Map([
        ['E', new Set(['c1_OF_PERSON', 'm1_OF_PERSON'])],
        ['W', new Set(['c2_OF_PERSON', 'm2_OF_PERSON'])],
      ]),
    });
    expect(t.actions).toBeUndefined();
    expect(t.meta).toEqual({ source: 'MC_MissionariesAndCannibalsTyped.tla' });
  });

  it('parse a Quint model-based-testing trace with actions and nondeterministic picks', () => {
    const t = parseItfTrace(quintSample, 'bank.itf.json');
    expect(t.vars).toEqual(['bank::balances']);
    expect(t.actions).toEqual(['init', 'deposit']);
    expect(t.nondetPicks).toEqual([
      { amount: { tag: 'None', value: null } },
      { amount: { tag: 'Some', value: 2n ** 64n } },
    ]);
    expect(t.states[1]).toEqual({ 'bank::balances': new Map([['alice', 2n ** 64n]]) });
  });

  it('write what they read: toItfTrace, text, parseItfText round-trip', () => {
    const stateArb = fc.record({
      seq: fc.bigInt({ min: 0n, max: 1n << 70n }),
      blades: fc.array(fc.record({ id: fc.nat(8), journal: fc.array(fc.nat(), { maxLength: 3 }) }), { maxLength: 3 }),
      links: fc.uniqueArray(fc.nat(20), { maxLength: 4 }).map((xs) => new Set(xs)),
      shuttle: fc.option(fc.record({ at: fc.nat(4) }), { nil: null }),
    });
    const actionArb = fc.oneof(
      fc.record({ type: fc.constant('ShuttleArrive' as const), blade: fc.nat(4) }),
      fc.record({ type: fc.constant('HostWrite' as const), chain: fc.nat(3), block: fc.bigInt({ min: 0n, max: 1n << 64n }) }),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(stateArb, actionArb), { minLength: 1, maxLength: 6 }), (steps) => {
        const states = steps.map(([s]) => s);
        const actions = ['init', ...steps.slice(1).map(([, a]) => a)];
        const json = toItfTrace({ states, actions, meta: { source: 'test' } });
        const t = parseItfText(stringifyItfTrace(json), 'rt.itf.json');
        expect(t.states).toEqual(states);
        expect(t.actions).toEqual(actions);
        expect(t.vars).toEqual(['seq', 'blades', 'links', 'shuttle']);
        expect(t.meta).toMatchObject({ format: 'ITF', source: 'test' });
      }),
      { numRuns: 200 },
    );
  });

  it('write one state per line, states indexed, mbt::actionTaken listed in vars', () => {
    const json = toItfTrace({ states: [{ x: 1 }, { x: 2 }], actions: ['init', { type: 'Inc' }] });
    expect(json.vars).toEqual(['x', ACTION_TAKEN]);
    expect(stringifyItfTrace(json)).toBe(
      '{"#meta":{"format":"ITF","format-description":"https://apalache-mc.org/docs/adr/015adr-trace.html"},"vars":["x","mbt::actionTaken"],\n' +
        ' "states": [\n' +
        '  {"#meta":{"index":0},"x":1,"mbt::actionTaken":"init"},\n' +
        '  {"#meta":{"index":1},"x":2,"mbt::actionTaken":{"type":"Inc"}}\n' +
        ' ]\n}\n',
    );
  });

  it('project states onto the given vars and refuse bad input to the writer', () => {
    expect(toItfTrace({ vars: ['a'], states: [{ a: 1, b: 2 }] }).states).toEqual([{ '#meta': { index: 0 }, a: 1 }]);
    expect(() => toItfTrace({ states: [] })).toThrow(/at least one state/);
    expect(() => toItfTrace({ vars: ['a'], states: [{ a: 1 }, { b: 1 }] })).toThrow('toItfTrace: $.states[1]: missing variable "a"');
    expect(() => toItfTrace({ states: [{ a: 1 }], actions: [] })).toThrow(/one entry per state \(1\), got 0/);
    expect(() => toItfTrace({ states: [{ a: 1.5 }] })).toThrow('toItfValue: $.states[0].a: expected an integer');
    expect(() => toItfTrace({ states: [{ a: 1 }], meta: { when: 1n } })).toThrow(/\$\["#meta"\]\.when: bigint 1 is not plain JSON/);
    expect(() => toItfTrace({ states: [{ 'mbt::x': 1 }] })).toThrow(/reserved/);
  });

  it('reject bad traces with an InputError naming the JSON path', () => {
    const good = (): Record<string, unknown> => ({
      vars: ['blades', 'seq'],
      states: [0, 1, 2, 3].map((i) => ({ '#meta': { index: i }, blades: [i], seq: { '#bigint': String(i) } })),
    });
    const mutate = (f: (t: any) => void): unknown => {
      const t = good();
      f(t);
      return t;
    };
    const cases: [unknown, string][] = [
      [[], '$: expected an ITF trace object {"vars": [...], "states": [...]}, got an array of 0'],
      [mutate((t) => delete t.vars), '$: missing field "vars"'],
      [mutate((t) => (t.vars = 'blades')), '$.vars: expected an array of strings, got string "blades"'],
      [mutate((t) => (t.vars = ['blades', 7])), '$.vars[1]: expected a string, got number 7'],
      [mutate((t) => t.vars.push('blades')), '$.vars[2]: variable "blades" is listed twice'],
      [mutate((t) => (t.extra = 1)), '$.extra: unknown trace field'],
      [mutate((t) => (t['#meta'] = [])), '$["#meta"]: expected an object, got an array of 0'],
      [mutate((t) => (t.states = [])), '$.states: expected at least one state, got none'],
      [mutate((t) => (t.states[2] = 5)), '$.states[2]: expected a state object, got number 5'],
      [mutate((t) => (t.states[3].blades = null)), '$.states[3].blades: expected an ITF value, got null'],
      [mutate((t) => (t.states[3].blades = [0, 0.5])), '$.states[3].blades[1]: expected an integer'],
      [mutate((t) => delete t.states[1].seq), '$.states[1]: missing variable "seq"'],
      [mutate((t) => (t.states[1].shuttle = 1)), '$.states[1].shuttle: variable "shuttle" is not declared in $.vars'],
      [mutate((t) => (t.states[2]['#meta'].index = 7)), '$.states[2]["#meta"].index: expected 2 (the state\'s position), got number 7'],
      [mutate((t) => (t.states[0].seq = { '#bigint': 'x' })), '$.states[0].seq["#bigint"]: expected a decimal integer string'],
      [mutate((t) => (t.states[1][ACTION_TAKEN] = 'Step')), '$.states[1]: has mbt::actionTaken but state 0 has none'],
      [mutate((t) => (t.states[0][ACTION_TAKEN] = 'init')), '$.states[1]: missing mbt::actionTaken, which state 0 has'],
      [mutate((t) => (t.states[0][ACTION_TAKEN] = null)), '$.states[0]["mbt::actionTaken"]: expected an ITF value, got null'],
      [mutate((t) => (t.loop = 4)), '$.loop: expected a state index in [0, 3], got number 4'],
      [mutate((t) => (t.params = ['N'])), '$.states[0]: missing parameter "N"'],
    ];
    for (const [json, msg] of cases) {
      const m = inputErrorOf(() => parseItfTrace(json, 'trace.itf.json'));
      expect(m.startsWith(`trace.itf.json: ${msg}`), `"${m}" should start with "trace.itf.json: ${msg}"`).toBe(true);
    }
    expect(parseItfTrace(good(), 'trace.itf.json').states[3]).toEqual({ blades: [3], seq: 3n });
  });

  it('report JSON syntax errors with the file name', () => {
    expect(inputErrorOf(() => parseItfText('{"vars": [', 'broken.itf.json'))).toMatch(/^broken\.itf\.json: not valid JSON: /);
  });

  it('read params from the initial state and a loop index', () => {
    const t = parseItfTrace(
      { params: ['N'], vars: ['x'], loop: 1, states: [{ N: 3, x: 0 }, { x: 1 }] },
      'p.itf.json',
    );
    expect(t.params).toEqual({ N: 3 });
    expect(t.states).toEqual([{ x: 0 }, { x: 1 }]);
    expect(t.loop).toBe(1);
  });
});
