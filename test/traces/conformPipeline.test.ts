import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import system from '../../model/system.ts';
import { parseItfText } from '../../checker/itf.ts';
import { PIPELINE_DEPTH, runConformance, runnableFromItf } from '../../traces/conform.ts';
import { runInChild, stopChild } from '../inChild.ts';

const root = resolve(__dirname, '../..');
const BLADE = `${resolve(root, 'node_modules/.bin/tsx')} ${resolve(root, 'test/impl/blade.ts')}`;
const TINY = resolve(root, 'traces/vectors/tiny');
/** The tiny preset's first vector (its name lists the actions it covers). */
const FIRST = resolve(TINY, readdirSync(TINY).find((f) => f.startsWith('01-'))!);

afterAll(stopChild);

describe('the harness sends steps ahead of their replies', () => {
  it('a vector refused midway leaves the replies to the steps sent after it read and ignored: the next vector in the same process is judged on its own replies', async () => {
    const text = readFileSync(FIRST, 'utf8');
    const good = runnableFromItf(system, parseItfText(text, 'good'), 'good');
    // Step 2 of the vector becomes HostAck(chain 0), which the protocol refuses there (DRIVER.md 6.1).
    const json = JSON.parse(text) as { states: Record<string, unknown>[] };
    json.states[2]!['mbt::actionTaken'] = 'HostAck';
    json.states[2]!['mbt::nondetPicks'] = { chain: 0 };
    const refused = runnableFromItf(system, parseItfText(JSON.stringify(json), 'refused'), 'refused');
    expect(refused.trace.states.length - 1).toBeLessThan(PIPELINE_DEPTH); // the whole vector was sent at once
    const [r1, r2, r3] = await runConformance(BLADE, [refused, good, refused]);
    expect(r1).toMatchObject({ verdict: 'FAIL', step: 2 });
    expect(r1!.reason).toMatch(/^refused HostAck\(chain=0\)/);
    expect(r2).toMatchObject({ verdict: 'PASS', reason: `${good.trace.states.length - 1} steps conform` });
    expect(r3).toMatchObject({ verdict: 'FAIL', step: 2 });
  });
});

describe('benchConformance', () => {
  it('prints the steps per second of conform on the suite and of validate on a 10,000-step log', async () => {
    const lines = await runInChild<string[]>('traces/benchConformance.ts', 'benchConformance', [1]);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^conform, canonical suite \([\d,]+ vectors, [\d,]+ steps\) against test\/impl\/blade\.ts: [\d,]+ steps\/s/);
    expect(lines[1]).toMatch(/^validate, a log of 10,000 steps \([\d,]+ logged states.*\): [\d,]+ steps\/s/);
  }, 120_000);
});
