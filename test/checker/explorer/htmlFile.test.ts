import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GENERATOR, prepareHtmlFile, writeHtmlFile } from '../../../checker/explorer/htmlFile.ts';
import { runProcess } from '../../capture.ts';
import { tempDirs } from '../../tempDirs.ts';

const root = resolve(__dirname, '../../..');
const dirs = tempDirs('explorer-html');
afterAll(() => dirs.removeAll());

describe('--html FILE', () => {
  it('may be new, or an earlier export, which it replaces whole', () => {
    const file = join(dirs.fresh(), 'x.html');
    expect(() => prepareHtmlFile(file)).not.toThrow();
    writeHtmlFile(file, `<head>${GENERATOR}</head>one`);
    expect(() => prepareHtmlFile(file)).not.toThrow();
    writeHtmlFile(file, `<head>${GENERATOR}</head>two`);
    expect(readFileSync(file, 'utf8')).toContain('two');
  });

  it('never replaces a file it did not write, and names what is wrong', () => {
    const d = dirs.fresh();
    writeFileSync(join(d, 'notes.html'), '<p>mine</p>');
    mkdirSync(join(d, 'sub'));
    expect(() => prepareHtmlFile(join(d, 'notes.html'))).toThrow(/^--html .*notes\.html: exists and was not written by shuttlecheck explore/);
    expect(() => prepareHtmlFile(join(d, 'sub'))).toThrow(/sub: is not a file/);
    expect(() => prepareHtmlFile(join(d, 'missing', 'x.html'))).toThrow(/its directory cannot be used: no such file or directory \(ENOENT\)/);
    expect(() => prepareHtmlFile(join(d, 'notes.html', 'x.html'))).toThrow(/notes\.html is not a directory|its directory cannot be used/);
    expect(readFileSync(join(d, 'notes.html'), 'utf8')).toBe('<p>mine</p>');
  });

  it('is checked before any work, and says when there is nothing to export (exit 1)', async () => {
    const d = dirs.fresh();
    writeFileSync(join(d, 'notes.html'), 'mine');
    const cmd = (...args: string[]) => runProcess(process.execPath, ['--import', 'tsx', 'checker/explorer/main.ts', ...args], { cwd: root, timeoutMs: 60_000 });
    // A model that would take long to check: the file is refused first.
    const refused = await cmd('--model', 'test/examples/twoPhaseModule.ts', '--param', 'N=9', '--html', join(d, 'notes.html'));
    expect([refused.code, refused.err]).toEqual([2, `explore: --html ${join(d, 'notes.html')}: exists and was not written by shuttlecheck explore; choose another name (it is never replaced)\n`]);
    const none = await cmd('--model', 'test/examples/twoPhaseModule.ts', '--html', join(d, 'ok.html'));
    expect([none.code, none.err]).toEqual([1, 'explore: nothing to export: no trace given, and the check found no counterexample\n']);
    const wrote = await cmd('--model', 'test/examples/twoPhaseModule.ts', '--param', 'bug=commit-early', '--html', join(d, 'cx.html'));
    expect([wrote.code, wrote.out]).toEqual([0, `wrote ${join(d, 'cx.html')} (the counterexample of TCConsistent)\n`]);
    expect(readFileSync(join(d, 'cx.html'), 'utf8')).toContain(GENERATOR);
  });
});
