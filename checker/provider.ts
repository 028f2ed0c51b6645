import type { AnyModel } from './model.ts';

/** What a user passes to a model family besides its configuration. */
export interface BuildOptions {
  /** `--param key=value` pairs, as given. */
  readonly params: Readonly<Record<string, string>>;
  /** `--mutant NAME`: a deliberately broken variant of the protocol, if the family has them. */
  readonly mutant?: string;
}

/** Where a mutant shows (`ModelProvider.mutantPresets`). */
export interface MutantPlace {
  readonly preset: string;
  readonly params?: Readonly<Record<string, string>>;
  readonly conformance?: false;
}

/**
 * A family of models reachable from the CLI by name: a system with presets and a
 * configuration-file format. The engine reaches the replication system only through this
 * interface (its module path is in package.json under `shuttlecheck.system`), exactly as it
 * would reach a user's own system.
 *
 * Every method throws `InputError` (checker/errors.ts) with a message naming the problem
 * for an unknown preset, a bad configuration, an unknown parameter or mutant.
 */
export interface ModelProvider {
  readonly name: string;
  /** Preset names, in the order a listing should show them. */
  readonly presets: readonly string[];
  /** The preset checked when the CLI is given none. */
  readonly defaultPreset: string;
  /** Mutant names, if the family has any. */
  readonly mutants?: readonly string[];
  /**
   * For each mutant, the preset (and parameters) where it shows: where `npm run mutants`,
   * the vector suite and the tests run it. `conformance: false` marks a mutant that no
   * conformance vector can show, because it breaks something an implementation's trace does
   * not contain (how several consistency groups run together, say): the vector suite and
   * `conform --score` leave it out.
   */
  readonly mutantPresets?: Readonly<Record<string, MutantPlace>>;
  /**
   * The configuration (JSON) of a preset, so traces can carry it for other implementations;
   * with `params`, the configuration those parameters make of it (what `fromPreset` builds).
   */
  presetConfig?(name: string, params?: Readonly<Record<string, string>>): unknown;
  /** One line describing a preset, for `--list`. */
  describePreset?(name: string): string;
  fromPreset(name: string, options: BuildOptions): AnyModel;
  /** `json` is the parsed content of a configuration file; `source` names it in messages. */
  fromConfig(json: unknown, source: string, options: BuildOptions): AnyModel;
}
