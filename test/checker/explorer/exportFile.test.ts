import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HTML_EXPORT, prepareExportFile, SVG_EXPORT, writeExportFile } from '../../../checker/explorer/exportFile.ts';
import { runProcess } from '../../capture.ts';
import { tempDirs } from '../../tempDirs.ts';

const root = resolve(__dirname, '../../..');
const dirs = tempDirs('explorer-export');
afterAll(() => dirs.removeAll());

const explore = (...args: string[]) => runProcess(process.execPath, ['--import', 'tsx', 'checker/explorer/main.ts', ...args], { cwd: root, timeoutMs: 60_000 });

describe('--html FILE and --svg FILE', () => {
  it('may be new, or an earlier export of the same kind, which it replaces whole', () => {
    const file = join(dirs.fresh(), 'x.html');
    expect(() => prepareExportFile(HTML_EXPORT, file)).not.toThrow();
    writeExportFile(HTML_EXPORT, file, `<head>${HTML_EXPORT.marker}</head>one`);
    expect(() => prepareExportFile(HTML_EXPORT, file)).not.toThrow();
    writeExportFile(HTML_EXPORT, file, `<head>${HTML_EXPORT.marker}</head>two`);
    expect(readFileSync(file, 'utf8')).toContain('two');
    // An HTML export is not an SVG export.
    expect(() => prepareExportFile(SVG_EXPORT, file)).toThrow(/^--svg .*x\.html: exists and was not written by shuttlecheck explore/);
  });

  it('never replaces a file it did not write unless --force, never a directory, and names what is wrong', () => {
    const d = dirs.fresh();
    writeFileSync(join(d, 'notes.html'), '<p>mine</p>');
    mkdirSync(join(d, 'sub'));
    expect(() => prepareExportFile(HTML_EXPORT, join(d, 'notes.html'))).toThrow(/^--html .*notes\.html: exists and was not written by shuttlecheck explore; choose another name, or --force to replace it$/);
    expect(() => prepareExportFile(SVG_EXPORT, join(d, 'sub'), true)).toThrow(/^--svg .*sub: is not a file$/);
    expect(() => prepareExportFile(HTML_EXPORT, join(d, 'missing', 'x.html'))).toThrow(/its directory cannot be used: no such file or directory \(ENOENT\)/);
    expect(() => prepareExportFile(HTML_EXPORT, join(d, 'notes.html', 'x.html'))).toThrow(/notes\.html is not a directory|its directory cannot be used/);
    expect(readFileSync(join(d, 'notes.html'), 'utf8')).toBe('<p>mine</p>');
    expect(() => prepareExportFile(HTML_EXPORT, join(d, 'notes.html'), true)).not.toThrow();
  });

  it('is checked before any work, and says when there is nothing to export (exit 1)', async () => {
    const d = dirs.fresh();
    writeFileSync(join(d, 'notes.html'), 'mine');
    // A model that would take long to check: the file is refused first.
    const refused = await explore('--model', 'test/examples/twoPhaseModule.ts', '--param', 'N=9', '--html', join(d, 'notes.html'));
    expect([refused.code, refused.err]).toEqual([2, `explore: --html ${join(d, 'notes.html')}: exists and was not written by shuttlecheck explore; choose another name, or --force to replace it\n`]);
    const none = await explore('--model', 'test/examples/twoPhaseModule.ts', '--html', join(d, 'ok.html'));
    expect([none.code, none.err]).toEqual([1, 'explore: nothing to export: no trace given, and the check found no counterexample\n']);
    const wrote = await explore('--model', 'test/examples/twoPhaseModule.ts', '--param', 'bug=commit-early', '--html', join(d, 'cx.html'));
    expect([wrote.code, wrote.out]).toEqual([0, `wrote ${join(d, 'cx.html')} (the counterexample of TCConsistent)\n`]);
    expect(readFileSync(join(d, 'cx.html'), 'utf8')).toContain(HTML_EXPORT.marker);
  });

  it('--svg writes the chart of the counterexample alone, its style inside, and refuses what it must', async () => {
    const d = dirs.fresh();
    const svg = join(d, 'cx.svg');
    const twoPhaseBug = ['--model', 'test/examples/twoPhaseModule.ts', '--param', 'N=2', '--param', 'bug=commit-early'];
    const wrote = await explore(...twoPhaseBug, '--svg', svg);
    expect([wrote.code, wrote.out, wrote.err]).toEqual([0, `wrote ${svg} (the counterexample of TCConsistent)\n`, '']);
    const text = readFileSync(svg, 'utf8');
    expect(text.split('\n').slice(0, 2)).toEqual(['<?xml version="1.0" encoding="UTF-8"?>', SVG_EXPORT.marker]);
    expect(text).toMatch(/<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" class="chart"/);
    expect(text).toContain('<style>'); // self-contained: the drawing's rules travel with it
    expect(text).toContain('svg.chart .event line');
    expect(text).not.toMatch(/href=|xlink|<script/); // nothing to fetch, nothing to run
    for (const [, comment] of text.matchAll(/<!--(.*?)-->/gs)) expect(comment).not.toContain('--'); // XML forbids it
    expect([...text.matchAll(/class="lane-name"[^>]*>([^<]*)</g)].map((m) => m[1])).toEqual(['TM', 'r1', 'r2']);
    expect([...text.matchAll(/<g class="row" data-step="(\d+)"/g)].map((m) => Number(m[1]))).toEqual([0, 1, 2, 3, 4, 5]);
    // Again over its own earlier export: fine. Over a file of the user's: refused, exit 2, unless --force.
    expect((await explore(...twoPhaseBug, '--svg', svg)).code).toBe(0);
    writeFileSync(join(d, 'mine.svg'), '<svg/>');
    const refused = await explore(...twoPhaseBug, '--svg', join(d, 'mine.svg'));
    expect([refused.code, refused.err]).toEqual([2, `explore: --svg ${join(d, 'mine.svg')}: exists and was not written by shuttlecheck explore; choose another name, or --force to replace it\n`]);
    expect(readFileSync(join(d, 'mine.svg'), 'utf8')).toBe('<svg/>');
    expect((await explore(...twoPhaseBug, '--svg', join(d, 'mine.svg'), '--force')).code).toBe(0);
    expect(readFileSync(join(d, 'mine.svg'), 'utf8')).toContain(SVG_EXPORT.marker);
    // Bad input, each in one line with exit 2, and nothing written.
    for (const args of [
      ['--svg', join(d, 'a.svg'), '--port', '8080'],
      ['--svg', join(d, 'a.svg'), '--html', join(d, 'a.svg')],
      ['--force'],
      ['--svg', join(d, 'no-dir', 'a.svg')],
    ]) {
      const r = await explore(...twoPhaseBug, ...args);
      expect([args, r.code, r.err.trim().split('\n').length]).toEqual([args, 2, 1]);
    }
    // A model without a view has no chart to write.
    const noView = await explore('--model', 'test/examples/dieHardModule.ts', '--svg', join(d, 'die.svg'));
    expect([noView.code, noView.err]).toEqual([2, `explore: --svg ${join(d, 'die.svg')}: the model DieHard declares no view (Model.view), so it has no sequence chart\n`]);
    expect(existsSync(join(d, 'a.svg')) || existsSync(join(d, 'die.svg'))).toBe(false);
    expect(readdirSync(d).filter((f) => f.endsWith('.tmp'))).toEqual([]); // no temporary file left behind
  });
});
