/**
 * Finds the model a CLI run asks for: a user's module (`--model FILE`), or a preset or
 * configuration file of a system reached through its provider module. The default system
 * is named in this package's package.json (`shuttlecheck.system`), so the engine reaches
 * the replication model exactly as it reaches anyone's: by a module path.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { InputError } from './errors.ts';
import type { AnyModel } from './model.ts';
import type { BuildOptions, ModelProvider } from './provider.ts';

const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** What was chosen, for reports. */
export interface Loaded {
  readonly model: AnyModel;
  /** e.g. `preset default`, `config my.json`, `model ./twoPhase.ts`. */
  readonly source: string;
  readonly provider?: ModelProvider;
}

const isProvider = (x: unknown): x is ModelProvider =>
  typeof x === 'object' && x !== null && typeof (x as ModelProvider).fromPreset === 'function';
const isModel = (x: unknown): x is AnyModel =>
  typeof x === 'object' && x !== null && typeof (x as AnyModel).initStates === 'function';

const importModule = async (file: string, flag: string): Promise<unknown> => {
  const path = resolve(file);
  if (!existsSync(path)) throw new InputError(`${flag} ${file}: no such file`);
  try {
    const mod = (await import(pathToFileURL(path).href)) as { default?: unknown };
    return mod.default;
  } catch (e) {
    throw new InputError(`${flag} ${file}: cannot load module: ${(e as Error).message.split('\n')[0]}`);
  }
};

/** The project's `shuttlecheck` section of package.json (the default system, the benchmark modules). */
export const projectConfig = (): { readonly system?: unknown; readonly bench?: unknown } =>
  (JSON.parse(readFileSync(resolve(packageRoot, 'package.json'), 'utf8')) as { shuttlecheck?: { system?: unknown; bench?: unknown } })
    .shuttlecheck ?? {};

/** The module path of the default system (package.json `shuttlecheck.system`). */
export const defaultSystemPath = (): string => {
  const rel = projectConfig().system;
  if (typeof rel !== 'string' || rel === '') throw new InputError('package.json has no "shuttlecheck.system": give --model FILE');
  return resolve(packageRoot, rel);
};

/** Loads a provider module (default export a ModelProvider). */
export const loadProvider = async (file: string, flag = '--system'): Promise<ModelProvider> => {
  const exported = await importModule(file, flag);
  if (!isProvider(exported)) throw new InputError(`${flag} ${file}: the default export is not a ModelProvider`);
  return exported;
};

const readConfig = (file: string): unknown => {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(`--config ${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError(`--config ${file}: not valid JSON: ${(e as Error).message}`);
  }
};

const fromProvider = (
  provider: ModelProvider,
  choice: { preset?: string; config?: string },
  options: BuildOptions,
): Loaded => {
  if (options.mutant !== undefined && provider.mutants && !provider.mutants.includes(options.mutant)) {
    throw new InputError(`unknown mutant "${options.mutant}"; known: ${provider.mutants.join(', ')}`);
  }
  if (choice.config !== undefined) {
    return {
      model: provider.fromConfig(readConfig(choice.config), choice.config, options),
      source: `config ${choice.config}`,
      provider,
    };
  }
  const preset = choice.preset ?? provider.defaultPreset;
  if (!provider.presets.includes(preset)) {
    throw new InputError(`unknown preset "${preset}"; known: ${provider.presets.join(', ')}`);
  }
  return { model: provider.fromPreset(preset, options), source: `preset ${preset}`, provider };
};

/**
 * Which model to check, as the CLI names it: plain data, so that search workers can load
 * the same model in their own threads.
 */
export interface ModelSpec {
  readonly model?: string;
  readonly system?: string;
  readonly preset?: string;
  readonly config?: string;
  readonly params: Readonly<Record<string, string>>;
  readonly mutant?: string;
}

/** Just the fields of a ModelSpec (the CLI's arguments hold more). */
export const modelSpecOf = (c: ModelSpec): ModelSpec => ({
  ...(c.model !== undefined ? { model: c.model } : {}),
  ...(c.system !== undefined ? { system: c.system } : {}),
  ...(c.preset !== undefined ? { preset: c.preset } : {}),
  ...(c.config !== undefined ? { config: c.config } : {}),
  params: c.params,
  ...(c.mutant !== undefined ? { mutant: c.mutant } : {}),
});

/** Resolves the CLI's choice of model. Throws InputError naming the problem. */
export const loadModel = async (choice: ModelSpec): Promise<Loaded> => {
  const options: BuildOptions = {
    params: choice.params,
    ...(choice.mutant !== undefined ? { mutant: choice.mutant } : {}),
  };
  if (choice.model !== undefined) {
    const exported = await importModule(choice.model, '--model');
    if (isProvider(exported)) return fromProvider(exported, choice, options);
    if (choice.preset !== undefined || choice.config !== undefined) {
      throw new InputError(`--model ${choice.model} is a single model: --preset and --config do not apply`);
    }
    if (choice.mutant !== undefined) throw new InputError(`--model ${choice.model}: --mutant needs a ModelProvider`);
    if (isModel(exported)) {
      if (Object.keys(choice.params).length > 0) {
        throw new InputError(`--model ${choice.model} exports a model, not a function of parameters: --param does not apply`);
      }
      return { model: exported, source: `model ${choice.model}` };
    }
    if (typeof exported === 'function') {
      const built = (exported as (p: Readonly<Record<string, string>>) => unknown)(choice.params);
      if (!isModel(built)) throw new InputError(`--model ${choice.model}: the default export did not return a Model`);
      return { model: built, source: `model ${choice.model}` };
    }
    throw new InputError(
      `--model ${choice.model}: the default export must be a Model, a function (params) => Model, or a ModelProvider`,
    );
  }
  const provider = await loadProvider(choice.system ?? defaultSystemPath());
  return fromProvider(provider, choice, options);
};
