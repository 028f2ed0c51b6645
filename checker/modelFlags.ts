/**
 * The flags that choose a model, read the same way by every command that takes them (`npm run
 * check`, `npm run explore`): `--preset NAME | --config FILE | --model FILE`, `--system FILE`,
 * `--param KEY=VALUE` (repeatable) and `--mutant NAME`. A command spreads MODEL_FLAGS into its
 * own flag table and turns the parsed values into a ModelSpec with modelSpecFromFlags.
 */
import { InputError } from './errors.ts';
import { parseParams } from './flags.ts';
import type { ModelSpec } from './loadModel.ts';

/** The model flags as node:util parseArgs options. */
export const MODEL_FLAGS = {
  preset: { type: 'string' },
  config: { type: 'string' },
  model: { type: 'string' },
  system: { type: 'string' },
  param: { type: 'string', multiple: true },
  mutant: { type: 'string' },
} as const;

/** What parseArgs gives for MODEL_FLAGS. */
export interface ModelFlagValues {
  readonly preset?: string | undefined;
  readonly config?: string | undefined;
  readonly model?: string | undefined;
  readonly system?: string | undefined;
  readonly param?: readonly string[] | undefined;
  readonly mutant?: string | undefined;
}

/** The ModelSpec the flags name; an InputError for `--preset` with `--config`, or a malformed `--param`. */
export const modelSpecFromFlags = (v: ModelFlagValues): ModelSpec => {
  if (v.preset !== undefined && v.config !== undefined) throw new InputError('--preset and --config cannot be used together: choose one');
  return {
    params: parseParams(v.param),
    ...(v.preset !== undefined ? { preset: v.preset } : {}),
    ...(v.config !== undefined ? { config: v.config } : {}),
    ...(v.model !== undefined ? { model: v.model } : {}),
    ...(v.system !== undefined ? { system: v.system } : {}),
    ...(v.mutant !== undefined ? { mutant: v.mutant } : {}),
  };
};
