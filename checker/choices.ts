/**
 * What `--list` shows of a system: its presets (with their descriptions) and its mutants
 * (with the preset and parameters where each shows), as data for `--list --json` or as text.
 */
import type { ModelProvider } from './provider.ts';

export interface Choices {
  readonly system: string;
  readonly defaultPreset: string;
  readonly presets: readonly { readonly name: string; readonly description?: string }[];
  readonly mutants: readonly {
    readonly name: string;
    /** Where the mutant shows, when the system says (`ModelProvider.mutantPresets`). */
    readonly preset?: string;
    readonly params?: Readonly<Record<string, string>>;
  }[];
}

/** A provider's presets and mutants, in its order. */
export const choicesOf = (provider: ModelProvider): Choices => ({
  system: provider.name,
  defaultPreset: provider.defaultPreset,
  presets: provider.presets.map((name) => ({ name, ...(provider.describePreset ? { description: provider.describePreset(name) } : {}) })),
  mutants: (provider.mutants ?? []).map((name) => {
    const where = provider.mutantPresets?.[name];
    return { name, ...(where ? { preset: where.preset, params: where.params ?? {} } : {}) };
  }),
});

/** The choices as `--list` prints them: one line per preset, then one per mutant. */
export const formatChoices = (c: Choices): string => {
  const lines = [`${c.system}: presets (default ${c.defaultPreset})`];
  const width = Math.max(...c.presets.map((p) => p.name.length));
  for (const p of c.presets) lines.push(`  ${p.name.padEnd(width)}${p.description !== undefined ? `  ${p.description}` : ''}`);
  if (c.mutants.length > 0) {
    const mw = Math.max(...c.mutants.map((m) => m.name.length));
    lines.push('mutants (and the preset where each shows):');
    for (const m of c.mutants) {
      const params = Object.entries(m.params ?? {}).map(([k, v]) => ` --param ${k}=${v}`).join('');
      lines.push(`  ${m.name.padEnd(mw)}${m.preset !== undefined ? `  --preset ${m.preset}${params}` : ''}`.trimEnd());
    }
  }
  return lines.join('\n');
};
