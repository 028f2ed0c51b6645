import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../checker/cli.ts';
import { runCaptured, runProcess } from '../capture.ts';

const root = resolve(__dirname, '../..');
const readme = readFileSync(resolve(root, 'README.md'), 'utf8');

const run = (...argv: string[]) => runCaptured((stdout, stderr) => main(argv, { stdout, stderr }));

describe('README', () => {
  it('opens with the two set-up commands, and CI runs the same test command', () => {
    expect(readme).toMatch(/```sh\nnpm ci && npm run check .*\nnpm test .*\n```/);
    expect(readFileSync(resolve(root, '.ci/run'), 'utf8')).toMatch(/^npm test$/m);
  });

  it('shows the counter model exactly as the file that the CLI checks', async () => {
    const file = readFileSync(resolve(root, 'test/examples/counter.ts'), 'utf8');
    expect(readme).toContain(file);
    const r = await run('--model', resolve(root, 'test/examples/counter.ts'));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/VIOLATION of below five/);
  });

  it('shows the --strict warning and error that the CLI really prints', async () => {
    const warned = await run('--model', resolve(root, 'test/examples/commitMsgs.ts'), '--param', 'sets=plain', '--strict', '--quiet');
    const stopped = await run('--model', resolve(root, 'test/examples/setOrder.ts'), '--param', 'sets=plain', '--strict', '--quiet');
    expect(stopped.code).toBe(4);
    for (const line of [...warned.err.trim().split('\n'), ...stopped.err.trim().split('\n')]) expect(readme).toContain(line);
  });

  it('shows DieHard output that the CLI really prints', async () => {
    const r = await run('--model', resolve(root, 'test/examples/dieHardModule.ts'));
    for (const line of ['Counterexample: invariant "NotSolved" violated after 6 step(s)', '  1. FillBigJug\n       big: 0 → 5']) {
      expect(readme).toContain(line);
      expect(r.out).toContain(line);
    }
  });
});

describe('README commands', () => {
  it('the command documented for JSON prints one JSON object on stdout, whole (npm prints no banner)', async () => {
    const documented = /^(npm run [^#\n]*--json)\s+# one JSON object on stdout/m.exec(readme);
    expect(documented, 'README shows a check command with "# one JSON object on stdout"').not.toBeNull();
    const [command, ...args] = documented![1]!.trim().split(/\s+/);
    const r = await runProcess(command!, args, { cwd: root });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ verdict: 'ok', exhaustive: true });
  });
});

describe('README and PROTOCOL.md agree', () => {
  it('show the same claims table (the one npm run claims produces)', () => {
    const protocol = readFileSync(resolve(root, 'model/PROTOCOL.md'), 'utf8');
    const table = (text: string): string => {
      const at = text.indexOf('| mode ');
      expect(at).toBeGreaterThan(0);
      return text.slice(at, text.indexOf('```', at));
    };
    expect(table(readme)).toBe(table(protocol));
  });
});
