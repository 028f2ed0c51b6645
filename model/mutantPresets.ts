/**
 * Where each mutant shows (some show only in some configurations, so each is run where it
 * shows, and PROTOCOL.md §9 says where): the preset
 * and parameters on which `npm run mutants`, the vector suite and the tests run it. The
 * unmutated model passes every property on each of these.
 */
import type { MutantPlace } from '../checker/provider.ts';
import { MUTANTS, type MutantName } from './config.ts';
import { GROUP_MUTANTS, type GroupMutantName } from './groupsConfig.ts';

/** The zoo: the protocol's mutants, then those of several groups running together. */
export const ZOO = [...MUTANTS, ...GROUP_MUTANTS] as const;
export type ZooMutant = MutantName | GroupMutantName;

export const MUTANT_PRESET: Readonly<Record<ZooMutant, MutantPlace>> = {
  'ack-before-increment': { preset: 'default' },
  'apply-incomplete': { preset: 'default' },
  'apply-out-of-order': { preset: 'default' },
  'delete-on-sent': { preset: 'default' },
  'slot-no-data-increment': { preset: 'default' },
  'skip-oldslotcnt-add': { preset: 'default' },
  'one-phase-commit': { preset: 'default' },
  'duplicate-shuttle': { preset: 'default' },
  'sync-before-transfer': { preset: 'restart' },
  'ack-before-journal': { preset: 'default', params: { journalCapacity: '1' } },
  'apply-arrival-order': { preset: 'ring' },
  'seq-wraparound': { preset: 'default' },
  'no-flush-pass': { preset: 'tiny' },
  'recovery-keeps-after-gap': { preset: 'linkfail17' },
  'overflow-no-invalidate': { preset: 'overflow' },
  'timer-period-too-long': { preset: 'timer', params: { gap: '1' } },
  'resend-trims-on-sent': { preset: 'linkfail' },
  'restore-from-devices': { preset: 'rollback' },
  'trigger-no-invalidate': { preset: 'trigger' },
  'repair-skips-resync': { preset: 'trigger' },
  'resend-from-unsent': { preset: 'linkfail' },
  'stamp-at-data': { preset: 'default' },
  'recovery-keeps-shuttle': { preset: 'linkfail17' },
  'recovery-no-dedup': { preset: 'linkfail' },
  // Independence of the groups (Fig 11): a conformance vector is one implementation's trace of
  // one group, which cannot show one group stopping or changing another.
  'shared-box-not-ready': { preset: 'groups', conformance: false },
  'box-failure-triggers-all': { preset: 'groups', conformance: false },
};
