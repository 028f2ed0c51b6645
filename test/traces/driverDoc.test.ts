/**
 * traces/DRIVER.md is what an outside implementer builds from, so its lists must be the
 * harness's: the fields of every action the harness sends, every field of the observable
 * state it compares, the required fields, and the worked fault example, which must still be
 * what the harness sends and what the model behind the protocol replies.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import system from '../../model/system.ts';
import { ACTION_NAMES } from '../../model/actions.ts';
import { parseItfText } from '../../checker/itf.ts';
import { ACTION_FIELDS } from '../../traces/driverActions.ts';
import { OBSERVABLE_FIELDS, REQUIRED_FIELDS, observeState } from '../../traces/driverProjection.ts';
import { runConformance, runnableFromItf } from '../../traces/conform.ts';
import { traceText } from '../../traces/suite.ts';
import { tempDirs } from '../tempDirs.ts';

const root = resolve(__dirname, '../..');
const DRIVER = readFileSync(resolve(root, 'traces/DRIVER.md'), 'utf8');
const SUITE = resolve(root, 'traces/vectors');
const temp = tempDirs('driverdoc');
afterAll(temp.removeAll);

/** The lines of DRIVER.md from the line `start` up to the next blank line. */
const block = (start: string): string[] => {
  const lines = DRIVER.split('\n');
  const at = lines.findIndex((l) => l.trim() === start);
  if (at < 0) throw new Error(`DRIVER.md has no line ${JSON.stringify(start)}`);
  const end = lines.findIndex((l, i) => i > at && l.trim() === '');
  return lines.slice(at + 2, end).map((l) => l.trim());
};

/** The action table of section 1: name → its fields, in the order the doc gives them. */
const documentedActions = (): Record<string, string[]> => {
  const out: Record<string, string[]> = {};
  for (const row of block('| NAME | FIELDS |')) {
    const [, name, fields] = row.split('|').map((c) => c.trim());
    const n = /^`(\w+)`$/.exec(name!)?.[1];
    if (!n) throw new Error(`DRIVER.md action row without a name: ${row}`);
    out[n] = fields === 'none' ? [] : [...fields!.matchAll(/`(\w+)`:/g)].map((m) => m[1]!);
  }
  return out;
};

/** The field paths of section 2.1 (`[]` for every element of an array). */
const documentedPaths = (): string[] =>
  block('| field | meaning and life cycle |').map((row) => {
    const p = /^\| `([^`]+)` \|/.exec(row)?.[1];
    if (!p) throw new Error(`DRIVER.md field row without a path: ${row}`);
    return p;
  });

/** Every leaf path of a value with a non-null value somewhere (array elements as `[]`). */
const leafPaths = (v: unknown, path: string, out: Set<string>): void => {
  if (v === null || v === undefined) return;
  if (Array.isArray(v)) for (const x of v) leafPaths(x, `${path}[]`, out);
  else if (typeof v === 'object') for (const [k, x] of Object.entries(v)) leafPaths(x, path ? `${path}.${k}` : k, out);
  else out.add(path);
};

const vectorFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? vectorFiles(p) : name.endsWith('.itf.json') ? [p] : [];
  });
const canonical = vectorFiles(SUITE).map((f) => parseItfText(readFileSync(f, 'utf8'), f));

describe('DRIVER.md against the harness', () => {
  it('lists every action with exactly the fields the harness sends', () => {
    const doc = documentedActions();
    expect(Object.keys(doc).sort()).toEqual([...ACTION_NAMES].sort());
    expect(doc).toEqual(Object.fromEntries(Object.entries(ACTION_FIELDS).map(([k, v]) => [k, [...v]])));
    // The vectors' picks are what `step` sends as its fields.
    let steps = 0;
    for (const t of canonical) {
      t.states.forEach((_, i) => {
        if (i === 0) return;
        const name = t.actions?.[i] as string;
        const picks = t.nondetPicks?.[i] as Record<string, unknown>;
        expect(Object.keys(picks), `${name} in ${t.meta.preset}`).toEqual([...ACTION_FIELDS[name as keyof typeof ACTION_FIELDS]]);
        steps++;
      });
    }
    expect(steps).toBeGreaterThan(1000);
  });

  it('lists every field of the observable state the harness compares, and no other', () => {
    const doc = documentedPaths();
    expect(new Set(doc).size).toBe(doc.length);
    const seen = new Set<string>();
    for (const t of canonical) for (const s of t.states) leafPaths(observeState(s), '', seen);
    expect([...seen].sort()).toEqual([...doc].sort());
    // Top level: the projection's own list, in the doc's order.
    const top = [...new Set(doc.map((p) => /^\w+/.exec(p)![0]))];
    expect(top).toEqual([...OBSERVABLE_FIELDS]);
  });

  it('names the required fields the harness demands', () => {
    const flat = DRIVER.replace(/\s+/g, ' ');
    const sentence = /((?:`\w+`(?:, | and ))+`\w+`) are required in every state/.exec(flat)!;
    expect([...sentence[1]!.matchAll(/`(\w+)`/g)].map((m) => m[1])).toEqual([...REQUIRED_FIELDS]);
  });

  it('the worked fault example is what the harness sends and what the model behind the protocol and the independent implementation reply', async () => {
    const section = DRIVER.slice(DRIVER.indexOf('### 6.2 '));
    const [requests, replies] = [...section.matchAll(/```jsonl\n([\s\S]*?)```/g)].slice(0, 2).map((m) => m[1]!.trimEnd().split('\n'));
    const sent = requests!.map((l) => JSON.parse(l) as { type: string; config?: unknown; action?: { name: string; fields: Record<string, unknown> } });
    expect(sent.map((m) => m.type)).toEqual(['init', ...Array(sent.length - 2).fill('step'), 'end']);
    expect(sent.map((m) => m.action?.name).filter(Boolean)).toContain('LinkDown');
    // The vector these steps make, as the suite writes vectors.
    const config = sent[0]!.config;
    const model = system.fromConfig(config, 'DRIVER.md 6.2', { params: {} });
    let s = model.initStates()[0];
    const steps = [{ state: s, action: undefined as unknown }];
    for (const m of sent.slice(1, -1)) {
      const a = model.actions(s).find((x) => {
        const { type, ...fields } = x as Record<string, unknown>;
        return type === m.action!.name && JSON.stringify(fields) === JSON.stringify(m.action!.fields);
      });
      expect(a, JSON.stringify(m.action)).toBeDefined();
      s = model.nextState(s, a);
      expect(s, JSON.stringify(m.action)).toBeDefined();
      steps.push({ state: s, action: a });
    }
    const text = traceText(model, steps, { preset: 'linkfail', config, expect: 'conform' });
    const vector = runnableFromItf(system, parseItfText(text, 'fault-example.itf.json'), 'fault-example.itf.json');
    // Run through the harness, recording both directions.
    const dir = temp.fresh();
    const [input, output] = [join(dir, 'in.jsonl'), join(dir, 'out.jsonl')];
    const impl = `tee ${input} | ${process.execPath} --import tsx ${resolve(root, 'traces/modelImpl.ts')} | tee ${output}`;
    const [r] = await runConformance(impl, [vector], { startupMs: 20000 });
    expect(r).toMatchObject({ verdict: 'PASS' });
    expect(readFileSync(input, 'utf8').trimEnd().split('\n')).toEqual(requests);
    expect(readFileSync(output, 'utf8').trimEnd().split('\n')).toEqual(replies);
    // The independent implementation, written from this document, replies the same, line for line.
    const blade = `tee ${input} | ${resolve(root, 'node_modules/.bin/tsx')} ${resolve(root, 'test/impl/blade.ts')} | tee ${output}`;
    const [b] = await runConformance(blade, [vector], { startupMs: 20000 });
    expect(b).toMatchObject({ verdict: 'PASS' });
    expect(readFileSync(output, 'utf8').trimEnd().split('\n')).toEqual(replies);
  });
});
