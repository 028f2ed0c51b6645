/**
 * Which model the explorer shows: the CLI's choice (checker/loadModel.ts), or a
 * configuration carried inline by a trace's `#meta.config`. Plain data, so the background
 * check's child process loads the same model.
 */
import { defaultSystemPath, loadModel, loadProvider, type Loaded, type ModelSpec } from '../loadModel.ts';

export interface ModelChoice {
  readonly spec: ModelSpec;
  /** A configuration object given inline (a trace's `#meta.config`), built by the spec's system. */
  readonly inlineConfig?: { readonly json: unknown; readonly source: string };
}

export const loadChoice = async (choice: ModelChoice): Promise<Loaded> => {
  if (choice.inlineConfig === undefined) return loadModel(choice.spec);
  const provider = await loadProvider(choice.spec.system ?? defaultSystemPath());
  const { json, source } = choice.inlineConfig;
  return {
    model: provider.fromConfig(json, source, {
      params: choice.spec.params,
      ...(choice.spec.mutant !== undefined ? { mutant: choice.spec.mutant } : {}),
    }),
    source,
    provider,
  };
};
