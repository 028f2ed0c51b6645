/** Shared helpers for the model tests. */
import { check } from '../../checker/check.ts';
import type { CheckResult } from '../../checker/result.ts';
import system from '../../model/system.ts';

export const run = (preset: string, params: Record<string, string> = {}, mutant?: string): CheckResult =>
  check(system.fromPreset(preset, { params, ...(mutant ? { mutant } : {}) }), { strategy: 'bfs' });

export const runConfig = (json: unknown, mutant?: string): CheckResult =>
  check(system.fromConfig(json, 'test.json', { params: {}, ...(mutant ? { mutant } : {}) }), { strategy: 'bfs' });
