import { describe, expect, it } from 'vitest';
import { check } from '../../checker/check.ts';
import { replay } from '../../checker/replay.ts';
import { PRESETS } from '../../model/presets.ts';
import system from '../../model/system.ts';

/** The chart events of the last step of a path that ends with the first firing of each action kind. */
const lastEvents = (preset: string | { readonly config: unknown }) => {
  const model = typeof preset === 'string' ? system.fromPreset(preset, { params: {} }) : system.fromConfig(preset.config, 'test.json', { params: {} });
  const r = check(model);
  return {
    lanes: model.view!.lanes(model.initStates()[0]),
    /** Every event along the path to the first firing of `name`. */
    along: (name: string) => {
      const steps = replay(model, r.witnesses![name]!);
      return steps.slice(1).flatMap((st, k) => model.view!.events(steps[k]!.state, st.action, st.state));
    },
    byAction: Object.fromEntries(
      Object.entries(r.witnesses ?? {}).map(([name, path]) => {
        const steps = replay(model, path);
        const [before, after] = steps.slice(-2);
        return [name, model.view!.events(before!.state, after!.action, after!.state)];
      }),
    ),
  };
};

describe('the replication system as a sequence chart', () => {
  it('draws writes, stamps, the shuttle, records, the two-phase apply and syncs between the patent\'s components', () => {
    const { lanes, byAction, along } = lastEvents('tiny');
    expect(lanes).toEqual(['host', 'D0', 'P0', 'S0', 'SD0']);
    expect(byAction['HostIssue']).toEqual([{ from: 'host', to: 'D0', label: 'write w0' }]);
    expect(byAction['BladeStamp']).toEqual([{ from: 'D0', to: 'P0', label: 'w0 gets #1' }]);
    expect(byAction['TransferReady']).toEqual([{ from: 'P0', to: 'D0', label: 'transfer ready w0' }]);
    expect(byAction['DataTransfer']).toEqual([{ from: 'D0', to: 'P0', label: 'data w0' }]);
    expect(byAction['HostAck']).toEqual([expect.objectContaining({ from: 'D0', to: 'host', label: expect.stringMatching(/^ack w\d$/) })]);
    expect(byAction['ShuttleArrive']).toEqual(expect.arrayContaining([expect.objectContaining({ from: 'P0', to: 'P0', label: expect.stringMatching(/^shuttle; P0 stamps #\d$/) })]));
    // A record is put on the link (a mark on the sending blade), then delivered (an arrow).
    expect(along('Deliver')).toEqual(expect.arrayContaining([{ from: 'P0', to: 'P0', label: 'send w0 #1 → S0' }]));
    expect(byAction['Deliver']).toEqual([{ from: 'P0', to: 'S0', label: 'w0 #1' }]);
    expect(byAction['SecTransfer']).toEqual(expect.arrayContaining([expect.objectContaining({ from: 'S0', to: 'SD0', label: expect.stringMatching(/^apply #\d$/) })]));
    expect(byAction['SyncDeliver']).toEqual([expect.objectContaining({ from: 'S0', to: 'P0', label: expect.stringMatching(/^sync #\d$/) })]);
  });

  it('marks faults and recovery', () => {
    // The linkfail preset with one write per blade (a few thousand states: checked on vitest's worker).
    const { byAction } = lastEvents({ config: { ...(PRESETS.linkfail.json as object), workload: [[{ device: 0, block: 0 }, { device: 1, block: 0 }]] } });
    expect(byAction['LinkDown']).toEqual(expect.arrayContaining([expect.objectContaining({ label: 'link down', mark: 'fault' })]));
    expect(byAction['LinkUp']).toEqual(expect.arrayContaining([expect.objectContaining({ label: 'link up', mark: 'recovery' })]));
    expect(byAction['SecRecover']).toEqual([expect.objectContaining({ label: 'recovery: drops unsynchronised entries (step 302)', mark: 'recovery' })]);
    expect(byAction['Resend']).toEqual([expect.objectContaining({ label: 'recovery: resends (steps 304-306)', mark: 'recovery' })]);
  });
});
