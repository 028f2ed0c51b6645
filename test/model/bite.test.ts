/**
 * The patent's claims about the sequencers: the ring shuttle creates empty numbers, the slot
 * shuttle never does; the timer is safe for a short period and not for a long one. (Every
 * property biting under a named mutant: mutants.test.ts.)
 */
import { afterAll, describe, expect, it } from 'vitest';
import { PROPERTY } from '../../model/properties.ts';
import { stopChild } from '../inChild.ts';
import { reachableKeysInChild, runInChildProcess as run } from './helpers.ts';

// The checks run in a child process, off vitest's worker.
afterAll(stopChild);

describe('sequencer claims', () => {
  it('variant 1 (ring) creates sequence numbers with no data', async () => {
    const r = await run('ring', { checkNoEmptyNumbers: 'true' });
    expect(r.verdict).toBe('violation');
    expect(r.property).toBe(PROPERTY.noEmpty);
  });

  // Variant 2 (slot) never does: presets.test.ts checks "no empty sequence number" on tiny, fanout and default.

  // Period 1 < gap 2 is the timer preset itself, which presets.test.ts checks exhaustively.

  it('timer: a longer gap only removes behaviours (what the claims sweep relies on)', async () => {
    // Every state reachable with gap 3 is reachable with gap 2, at the same period and clock bound.
    const params = { period: '2', maxTicks: '3' };
    const [short, long] = await Promise.all([reachableKeysInChild('timer', { ...params, gap: '2' }), reachableKeysInChild('timer', { ...params, gap: '3' })]);
    const shorter = new Set(short);
    expect(long.length).toBeGreaterThan(100);
    expect(long.length).toBeLessThan(short.length);
    expect(long.filter((k) => !shorter.has(k))).toEqual([]);
  });

  it('timer: the real boundary in discrete time is period <= gap + 1', async () => {
    expect((await run('timer', { period: '3', gap: '2', maxTicks: '4' })).verdict).toBe('ok');
    const r = await run('timer', { period: '4', gap: '2', maxTicks: '5' });
    expect(r.verdict).toBe('violation');
    expect(r.property).toBe(PROPERTY.ordered);
  });
});
