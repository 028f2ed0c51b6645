/**
 * PROTOCOL.md §9: the claims table's rows, decided by the checker, as `npm run claims`
 * prints them (the timer sweep is in bite.test.ts). The command runs once, as a process: a
 * progress line per row on stderr as it is decided, and the rows as one JSON document alone
 * on stdout. The rows are some seconds of exhaustive checks each.
 */
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CascadeAction, type CascadeFigures, cascadeModel } from '../../model/cascade.ts';
import { type ClaimRow, claimsConfig, formatClaims, formatNotes } from '../../model/claims.ts';
import { type Config, parseConfig } from '../../model/config.ts';
import { runProcess } from '../capture.ts';
import { runInChild, stopChild } from '../inChild.ts';

const root = resolve(__dirname, '../..');
const claims = (...argv: string[]) => runProcess(process.execPath, ['--import', 'tsx', 'model/claims.ts', ...argv], { cwd: root });

let run: { code: number | null; out: string; err: string };
let rows: ClaimRow[];
beforeAll(async () => {
  run = await claims('--json');
  rows = JSON.parse(run.out) as ClaimRow[];
});
const CASCADE = 'cascade: WAN blade for the near secondary';
const row = (mode: string): ClaimRow => {
  const r = rows.find((x) => x.mode === mode);
  expect(r, mode).toBeDefined();
  return r!;
};

describe('npm run claims', () => {
  it('says on stderr when each row is decided; --json is one JSON document on stdout', () => {
    expect(run.code).toBe(0);
    const lines = run.err.trimEnd().split('\n');
    expect(lines).toHaveLength(rows.length);
    lines.forEach((l, i) => expect(l).toMatch(new RegExp(`^claims: ${i + 1}/${rows.length} .+: .+, [\\d,]+ states \\(\\d+\\.\\d s\\)$`)));
    expect(lines[0]).toMatch(/^claims: 1\/8 synchronous: yes, /);
  });

  it('bad input: one line and exit 2', async () => {
    const r = await claims('--bogus');
    expect(r).toMatchObject({ code: 2, out: '' });
    expect(r.err).toMatch(/^claims: Unknown option '--bogus'/);
  });
});

describe('claims of the patent (PROTOCOL.md §9)', () => {
  it('synchronous holds with nothing lost; background copy and semi-synchronous (several devices) give counterexamples; both shuttles hold', () => {
    expect(row('synchronous').consistent).toBe('yes');
    expect(row('synchronous').lost).toMatch(/^0 /);
    expect(row('synchronous').hostWaits).toBe('yes, every write');
    expect(row('background (adaptive) copy').consistent).toMatch(/^no/);
    expect(row('background (adaptive) copy').counterexampleLength).toBeGreaterThan(0);
    expect(row('background (adaptive) copy').lost).toMatch(/^3 of 3/);
    expect(row('semi-synchronous').consistent).toMatch(/^no/);
    expect(row('semi-synchronous').hostWaits).toMatch(/^for the previous transfer/);
    for (const m of ['WAN blade, ring shuttle', 'WAN blade, slot shuttle']) {
      expect(row(m).consistent).toBe('yes');
      expect(row(m).hostWaits).toMatch(/^no/);
    }
  });

  it('Fig 13: a dependent pair can share a number, yet ordering and the atomic apply hold', () => {
    const r = row('Fig 13: "dependent writes get different numbers"');
    expect(r.consistent).toMatch(/^false: .*seq\(w1\) ≤ seq\(w2\): holds; atomic apply \(recoverable consistency\): holds$/);
    expect(r.counterexampleLength).toBeGreaterThan(0);
  });

  it('the table has one line per row, after its head and rule', () => {
    expect(rows).toHaveLength(8);
    const table = formatClaims(rows).split('\n');
    expect(table).toHaveLength(rows.length + 2);
    for (const r of rows) expect(table.filter((l) => l.startsWith(`| ${r.mode} `)), r.mode).toHaveLength(1);
  });

  it('--json holds every row, the cascade row with its note; the plain table prints the notes under it', () => {
    expect(rows.map((r) => r.mode)).toContain(CASCADE);
    expect(row(CASCADE).note).toMatch(/^the related-art cascade .* is not one system of the model/);
    expect(formatNotes(rows)).toMatch(new RegExp(`^- ${CASCADE}: the related-art cascade`));
    expect(formatNotes(rows).split('\n').every((l) => l.length <= 100)).toBe(true);
  });
});

/** The claims workload with a journal kind, as the cascade row builds it. */
const cascadeCfg = (journal: 'nonvolatile' | 'volatile'): Config => parseConfig(claimsConfig({ journal }), `test: cascade, ${journal} journal`);

describe('the cascade (text after Fig 17): the WAN blade in the near secondary\'s place', () => {
  afterAll(stopChild);

  it('the row says what the model gives: with the device alone, nothing lost while the blades hold the data they stamped (unless a volatile journal restarts); with the site, what the journals held', async () => {
    // Each journal kind's cascade explored afresh, in a child process (seconds of work).
    const [nv, v] = await Promise.all((['nonvolatile', 'volatile'] as const).map((j) => runInChild<CascadeFigures>('model/cascade.ts', 'cascadeFigures', [cascadeCfg(j)])));
    expect([nv!.deviceLost, nv!.deviceLostRestart, nv!.siteLost]).toEqual([{ dataIn: 0, dataLeft: 3 }, { dataIn: 0, dataLeft: 3 }, 3]);
    expect([v!.deviceLost, v!.deviceLostRestart, v!.siteLost]).toEqual([{ dataIn: 0, dataLeft: 3 }, { dataIn: 3, dataLeft: 3 }, 3]);
    for (const f of [nv!, v!]) {
      expect(f.inconsistent).toBeNull();
      expect(f.ends).toBeGreaterThan(0);
    }
    const r = row(CASCADE);
    expect(r.lost).toBe(
      'device lost, its blade holding the data of every write it stamped: 0 of 3, either journal; a blade restarting too: 0 of 3 non-volatile, 3 of 3 volatile; ' +
        'device lost before some stamped data reached its blade (Fig 10 step 194): 3 of 3, either journal; a blade restarting too: 3 of 3, either journal; ' +
        'site lost: 3 of 3, either journal',
    );
    expect(r.consistent).toMatch(/^yes: /);
    expect(r.counterexampleLength).toBeNull();
    expect(r.states).toBe(nv!.states + v!.states);
    // Two ways to the site's loss agree: the cascade runs Disaster and Failover; the slot
    // shuttle's row takes the recoverable image of every running state.
    expect(row('WAN blade, slot shuttle').lost).toMatch(new RegExp(`^${nv!.siteLost} of 3 `));
    // The related-art cascade, composed: nothing lost with the device alone (synchronous near
    // hop), what the semi-synchronous far hop had not delivered with the site.
    expect(r.note).toMatch(/loses 0 of 3 with the device alone .* and 2 of 3 with the site .* can be left inconsistent/);
  });

  it('one run, step by step: w0, acknowledged, reaches the far secondary after the devices\' loss once its data is on the blade, unless a volatile journal restarts', () => {
    /** The far secondary's block 0 at the end of a run: w0 issued and acknowledged, the devices lost (after w0's data reached P0 or before), P0 restarted or not. */
    const farBlock0 = (journal: 'nonvolatile' | 'volatile', dataFirst: boolean, restart: boolean): number => {
      const m = cascadeModel(cascadeCfg(journal));
      let s = m.initStates()[0]!;
      const take = (type: string, pick: (a: CascadeAction) => boolean = () => true): boolean => {
        for (const a of m.actions(s)) {
          const n = a.type === type && pick(a) ? m.nextState(s, a) : undefined;
          if (n) return ((s = n), true);
        }
        return false;
      };
      for (const step of ['HostIssue', 'BladeStamp', 'ShuttleArrive', 'TransferReady', 'HostAck']) expect(take(step), step).toBe(true);
      // w0 acknowledged (Fig 10 step 192) once P0 said transfer ready (190) after its number moved on (198)
      expect(s.world.writes[0]!.status).toBe(2);
      if (dataFirst) expect(take('DataTransfer')).toBe(true); // step 194: the data reaches P0
      expect(take('DeviceLoss')).toBe(true);
      expect(s.devices).toBe(dataFirst ? 'lost' : 'lost before data');
      if (restart) expect(take('BladeRestart', (a) => a.type === 'BladeRestart' && a.blade === 0)).toBe(true);
      // The blades, links and secondary site run on: the first enabled step each time, to the end.
      const running = (): boolean => m.actions(s).some((a) => a.type !== 'BladeRestart' && m.nextState(s, a));
      for (let k = 0; k < 100 && running(); k++) {
        expect(['ShuttleArrive', 'Deliver', 'SecShuttleArrive', 'SecTransfer', 'SyncDeliver', 'SecRecover', 'Resend'].some((t) => take(t))).toBe(true);
      }
      expect(running()).toBe(false);
      return s.world.secondaryBlades[0]!.device[0]!;
    };
    for (const journal of ['nonvolatile', 'volatile'] as const) {
      expect(farBlock0(journal, true, false), journal).toBe(0);
      expect(farBlock0(journal, false, false), journal).toBe(-1); // the data was on the device only
    }
    expect(farBlock0('nonvolatile', true, true)).toBe(0);
    expect(farBlock0('volatile', true, true)).toBe(-1);
  });
});
