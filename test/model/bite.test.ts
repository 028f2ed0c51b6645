/**
 * The patent's claims about the sequencers: the ring shuttle creates empty numbers, the slot
 * shuttle never does; the timer is safe for a short period and not for a long one. (Every
 * property biting under a named mutant: mutants.test.ts.)
 */
import { afterAll, describe, expect, it } from 'vitest';
import { PROPERTY } from '../../model/properties.ts';
import { stopChild } from '../inChild.ts';
import { runInChildProcess as run } from './helpers.ts';

// The checks run in a child process, off vitest's worker.
afterAll(stopChild);

describe('sequencer claims', () => {
  it('variant 1 (ring) creates sequence numbers with no data', async () => {
    const r = await run('ring', { checkNoEmptyNumbers: 'true' });
    expect(r.verdict).toBe('violation');
    expect(r.property).toBe(PROPERTY.noEmpty);
  });

  it('variant 2 (slot) never does (default: asserted in presets.test.ts)', async () => {
    for (const p of ['tiny', 'fanout']) {
      const r = await run(p);
      expect(r.properties.find((x) => x.name === PROPERTY.noEmpty)?.status).toBe('holds');
    }
  });

  it('timer: period 1 < gap 2 holds', async () => {
    expect((await run('timer', { period: '1', gap: '2' })).verdict).toBe('ok');
  });

  it('timer: the real boundary in discrete time is period <= gap + 1', async () => {
    expect((await run('timer', { period: '3', gap: '2', maxTicks: '5' })).verdict).toBe('ok');
    const r = await run('timer', { period: '4', gap: '2', maxTicks: '5' });
    expect(r.verdict).toBe('violation');
    expect(r.property).toBe(PROPERTY.ordered);
  });
});
