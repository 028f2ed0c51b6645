import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../checker/args.ts';
import { parseExploreArgs } from '../../checker/explorer/main.ts';
import { parseFlags } from '../../checker/flags.ts';
import { MODEL_FLAGS, modelSpecFromFlags } from '../../checker/modelFlags.ts';

const spec = (argv: string[]) => modelSpecFromFlags(parseFlags(argv, MODEL_FLAGS).values);

describe('the model flags, shared by check and explore', () => {
  it('give the ModelSpec they name, and nothing more', () => {
    expect(spec([])).toEqual({ params: {} });
    expect(spec(['--preset', 'ring', '--mutant', 'm', '--param', 'a=1', '--param', 'b=x=y'])).toEqual({ preset: 'ring', mutant: 'm', params: { a: '1', b: 'x=y' } });
    expect(spec(['--model', 'm.ts', '--system', 's.ts', '--config', 'c.json'])).toEqual({ model: 'm.ts', system: 's.ts', config: 'c.json', params: {} });
  });

  it('refuse a preset with a configuration, and a malformed parameter', () => {
    expect(() => spec(['--preset', 'a', '--config', 'b'])).toThrow('--preset and --config cannot be used together: choose one');
    expect(() => spec(['--param', 'nokey'])).toThrow('--param must look like key=value, got "nokey"');
  });

  it('are read alike by npm run check and npm run explore', () => {
    for (const argv of [['--preset', 'ring', '--param', 'k=v'], ['--model', 'x.ts', '--mutant', 'bad'], ['--config', 'c.json', '--system', 's.ts']]) {
      const { spec: explored } = parseExploreArgs(argv);
      const { preset, config, model, system, params, mutant } = parseCliArgs(argv);
      expect(explored).toEqual(spec(argv));
      expect(Object.fromEntries(Object.entries({ preset, config, model, system, params, mutant }).filter(([, v]) => v !== undefined))).toEqual(spec(argv));
    }
    for (const argv of [['--preset', 'a', '--config', 'b'], ['--param', 'x']]) {
      expect(() => parseExploreArgs(argv)).toThrow(/cannot be used together|must look like/);
      expect(() => parseCliArgs(argv)).toThrow(/cannot be used together|must look like/);
    }
  });
});
