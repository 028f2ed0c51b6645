import { afterAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { check } from '../../../checker/check.ts';
import { counterexampleItf } from '../../../checker/cli.ts';
import { choiceForTrace, readTrace, traceInfo } from '../../../checker/explorer/trace.ts';
import { parseItfText } from '../../../checker/itf.ts';
import { twoPhase } from '../../examples/twoPhase.ts';
import { tempDirs } from '../../tempDirs.ts';

const model = twoPhase(2, { plantCommitEarly: true });
const cx = check(model).counterexample!;
const itf = (): { states: Record<string, unknown>[]; '#meta': Record<string, unknown> } => JSON.parse(counterexampleItf(model, cx, 'TwoPhase'));
const dirs = tempDirs('explorer-trace');
afterAll(() => dirs.removeAll());

describe('a trace in the explorer', () => {
  it('follows a trace that conforms along the model path it describes', () => {
    const info = traceInfo(model, parseItfText(JSON.stringify(itf()), 'cx.itf.json'), 'cx.itf.json');
    expect(info).toEqual({ file: 'cx.itf.json', steps: cx.steps.length, path: [cx.path.init, ...cx.path.actions].join('.') });
  });

  it('names the first step that departs, and gives the path up to the step before', () => {
    const json = itf();
    json.states[3]!['tmState'] = 'aborted'; // with the Commit message out: no action does that
    const info = traceInfo(model, parseItfText(JSON.stringify(json), 'bad.itf.json'), 'bad.itf.json');
    expect(info.departs?.step).toBe(3);
    expect(info.departs?.reason).toMatch(/no step the model allows reaches the observed state; the closest, TMCommit, differs: \$\.tmState is "aborted" in the trace but "committed" in the model/);
    expect(info.path).toBe([cx.path.init, ...cx.path.actions.slice(0, 2)].join('.'));
  });

  it('judges a trace of actions alone, and says which action was not enabled', () => {
    const json = itf();
    for (const s of json.states) for (const k of Object.keys(s)) if (!k.startsWith('mbt::') && k !== '#meta') delete s[k];
    const vars = { ...json, vars: ['mbt::actionTaken', 'mbt::nondetPicks'] };
    vars.states[1]!['mbt::actionTaken'] = 'RMRcvCommitMsg';
    const info = traceInfo(model, parseItfText(JSON.stringify(vars), 'a.itf.json'), 'a.itf.json');
    expect(info.departs).toMatchObject({ step: 1 });
    expect(info.departs!.reason).toMatch(/action RMRcvCommitMsg\(rm=0\) is not enabled/);
    expect(info.path).toBe('0');
  });

  it('takes the model from the flags, else from the trace\'s #meta', () => {
    const json = { ...itf(), '#meta': { preset: 'tiny', params: { maxSeq: 3 } } };
    const file = join(dirs.fresh(), 't.itf.json');
    writeFileSync(file, JSON.stringify(json));
    const trace = readTrace(file);
    expect(choiceForTrace(trace, file, { params: {} })).toEqual({ spec: { params: { maxSeq: '3' }, preset: 'tiny' } });
    expect(choiceForTrace(trace, file, { params: {}, model: 'm.ts' })).toEqual({ spec: { params: {}, model: 'm.ts' } });
    const inline = { ...json, '#meta': { config: { a: 1 } } };
    writeFileSync(file, JSON.stringify(inline));
    expect(choiceForTrace(readTrace(file), file, { params: {} })).toEqual({ spec: { params: {} }, inlineConfig: { json: { a: 1 }, source: `${file} #meta.config` } });
    expect(() => readTrace(join(dirs.fresh(), 'missing.itf.json'))).toThrow(/--trace .*missing\.itf\.json: cannot read: ENOENT/);
  });
});
