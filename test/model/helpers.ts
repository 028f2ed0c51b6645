/** Shared helpers for the model tests. */
import { check } from '../../checker/check.ts';
import type { CheckResult } from '../../checker/result.ts';
import system from '../../model/system.ts';
import { runInChild } from '../inChild.ts';

export const run = (preset: string, params: Record<string, string> = {}, mutant?: string): CheckResult =>
  check(system.fromPreset(preset, { params, ...(mutant ? { mutant } : {}) }), { strategy: 'bfs' });

export const runConfig = (json: unknown, mutant?: string): CheckResult =>
  check(system.fromConfig(json, 'test.json', { params: {}, ...(mutant ? { mutant } : {}) }), { strategy: 'bfs' });

/**
 * `run` in the test file's child process (inChild.ts): an exhaustive check of a preset takes
 * seconds of synchronous work, which must not block vitest's worker.
 */
export const runInChildProcess = (preset: string, params: Record<string, string> = {}, mutant?: string): Promise<CheckResult> =>
  runInChild<CheckResult>('test/model/helpers.ts', 'run', [preset, params, mutant]);

/**
 * `run` of the temporal properties alone: without the reachability property and with every
 * terminal state accepted (a deadlock is then a behaviour that stays there forever), so the
 * temporal verdict shows even where those would be reported first.
 */
export const runTemporal = (preset: string, mutant?: string): CheckResult => {
  const m = system.fromPreset(preset, { params: {}, ...(mutant ? { mutant } : {}) });
  const { isTerminalOk: _ok, ...rest } = m;
  return check({ ...rest, reachability: [], terminalOk: 'always' }, { strategy: 'bfs' });
};

export const runTemporalInChild = (preset: string, mutant?: string): Promise<CheckResult> =>
  runInChild<CheckResult>('test/model/helpers.ts', 'runTemporal', [preset, mutant]);
