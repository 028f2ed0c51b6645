/**
 * The explorer in a real browser: a mutant's counterexample followed from the run panel, the
 * state's diff and the chart's lanes, a deep link, and a trace that does not conform.
 * One browser for the file; each test opens its own page. With SHUTTLECHECK_SCREENSHOTS=DIR,
 * the pictures the README shows are written into DIR.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../../checker/check.ts';
import { counterexampleItf } from '../../../checker/cli.ts';
import { exportFiles, openExplorer, parseExploreArgs } from '../../../checker/explorer/main.ts';
import type { Explorer } from '../../../checker/explorer/server.ts';
import { twoPhase } from '../../examples/twoPhase.ts';
import { browserRequired, CHROMIUM, hasBrowser, launchBrowser } from '../../browser.ts';
import { tempDirs } from '../../tempDirs.ts';

const root = resolve(__dirname, '../../..');
const TWO_PHASE = resolve(root, 'test/examples/twoPhaseModule.ts');
const TRAP = resolve(root, 'test/examples/trap.ts');
const ONE_BIT = resolve(root, 'test/examples/oneBitModule.ts');
const SHOTS = process.env['SHUTTLECHECK_SCREENSHOTS'];

it.runIf(!hasBrowser && browserRequired)('has a browser to test the explorer in (CI)', () => {
  expect.fail(`no browser at ${CHROMIUM}: .ci/run installs Debian's chromium`);
});

describe.runIf(hasBrowser)('the explorer in a browser', () => {
  let browser: Browser;
  const open: Explorer[] = [];
  const dirs = tempDirs('explorer');
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all(open.map((e) => e.close()));
    dirs.removeAll();
  });

  const explorer = async (...argv: string[]): Promise<Explorer> => {
    const e = await openExplorer(parseExploreArgs(argv));
    open.push(e);
    return e;
  };
  const pageErrors = new WeakMap<Page, string[]>();
  const page = async (url: string): Promise<Page> => {
    const p = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    const errors: string[] = [];
    pageErrors.set(p, errors);
    p.on('pageerror', (e) => errors.push(e.message));
    await p.goto(url);
    return p;
  };
  /** Closes the page; the script must not have thrown on it. */
  const done = async (p: Page): Promise<void> => {
    expect(pageErrors.get(p)).toEqual([]);
    await p.close();
  };
  /** Waits until the state panel shows step `k`. */
  const stepShown = (p: Page, k: number) => p.locator('#state-step', { hasText: new RegExp(`^${k}$`) }).waitFor();
  const pathLabels = (p: Page) => p.locator('#path li').allTextContents();

  it('follows a mutant\'s counterexample from the run panel: the diff is highlighted and the chart has its lanes', async () => {
    const ex = await explorer('--preset', 'default', '--mutant', 'ack-before-increment');
    const p = await page(ex.url);
    // The page fills in the model's name once its first answer arrives: wait for it.
    await p.locator('#model-name', { hasText: 'default [mutant ack-before-increment]' }).waitFor();
    await p.click('#run-start');
    const link = p.locator('#properties li.violated a.counterexample');
    await link.waitFor();
    await expect(p.locator('#properties li.violated').getAttribute('data-name')).resolves.toBe('ordered sequence numbers');
    await expect(p.locator('#run-figures').textContent()).resolves.toMatch(/^Violation of ordered sequence numbers\. [\d,]+ distinct states, [\d,]+ generated, [\d,]+ states\/s, depth \d+/);
    await link.click();
    await p.locator('#path li').nth(1).waitFor();
    const labels = await pathLabels(p);
    expect(labels[0]).toBe('initial state 0');
    expect(labels.at(-1)).toMatch(/✗ ordered sequence numbers/);
    // The last step is shown: what changed is highlighted (and opened), the rest collapsed.
    await expect(p.locator('#state-step').textContent()).resolves.toBe(String(labels.length - 1));
    await expect(p.locator('#invariants li.fails').getAttribute('data-name')).resolves.toBe('ordered sequence numbers');
    expect(await p.locator('#tree .changed').count()).toBeGreaterThan(0);
    expect(await p.locator('#tree .was').count()).toBeGreaterThan(0); // the old value beside the new
    await expect(p.locator('#tree [data-path="writes"]').getAttribute('class')).resolves.toContain('changed');
    await expect(p.locator('#tree [data-path="secondaryBlades"] > .line .toggle').textContent()).resolves.toBe('▸ ');
    // The chart: one lane per component, the host's writes as arrows.
    await expect(p.locator('#chart .lane-name').allTextContents()).resolves.toEqual(['host', 'D0', 'D1', 'P0', 'P1', 'S0', 'S1', 'SD0', 'SD1']);
    expect(await p.locator('#chart g.event[data-from="host"]').count()).toBeGreaterThan(0);
    if (SHOTS) writeFileSync(join(SHOTS, 'explorer.png'), await p.screenshot());
    // Clicking an event of the chart selects its step.
    await p.locator('#chart g.row[data-step="2"] g.event').first().click();
    await stepShown(p, 2);
    await expect(p.locator('#path li.current').getAttribute('data-step')).resolves.toBe('2');
    await done(p);
  });

  it('restores a view from a deep link, and extends the path by a click on an enabled action', async () => {
    const ex = await explorer('--model', TWO_PHASE, '--param', 'N=2');
    const p = await page(`${ex.url}#path=0.3.2&step=1`);
    await p.locator('#path li.current').waitFor();
    expect(await pathLabels(p)).toEqual(['initial state 0', 'RMPrepare(r1)', 'TMRcvPrepared(r1)']);
    await expect(p.locator('#path li.current').getAttribute('data-step')).resolves.toBe('1');
    await expect(p.locator('#state-step').textContent()).resolves.toBe('1');
    // Search within the path: the steps where r1's Prepared has reached the TM.
    await p.fill('#search-query', 'tmPrepared[0]');
    await p.click('#search button');
    await p.locator('#search-result', { hasText: 'steps 2 match; showing the first' }).waitFor();
    await stepShown(p, 2);
    await expect(p.locator('#path li.match').getAttribute('data-step')).resolves.toBe('2');
    await p.goto(`${ex.url}#path=0.3.2&step=1`);
    await stepShown(p, 1);
    // From step 1, take TMAbort: the path becomes steps 0, 1 and the new one.
    await p.locator('#next button', { hasText: 'TMAbort' }).click();
    await stepShown(p, 2);
    expect(await pathLabels(p)).toEqual(['initial state 0', 'RMPrepare(r1)', 'TMAbort']);
    expect(new URL(p.url()).hash).toBe('#path=0.3.1&step=2');
    // A click on a step selects it, and a reload shows the same view.
    await p.locator('#path li[data-step="0"]').click();
    await stepShown(p, 0);
    await p.reload();
    await p.locator('#path li.current').waitFor();
    await expect(p.locator('#path li.current').getAttribute('data-step')).resolves.toBe('0');
    expect(await pathLabels(p)).toEqual(['initial state 0', 'RMPrepare(r1)', 'TMAbort']);
    // An action that returns to a state of the path is marked: r1 receiving Abort after aborting itself changes nothing.
    await p.goto(`${ex.url}#path=0.4.1.6`);
    await stepShown(p, 3);
    await expect(p.locator('#next li.revisits').textContent()).resolves.toMatch(/RMRcvAbortMsg\(r1\) back to step 2/);
    // A link to a path the model cannot follow says so, and the page stays usable.
    await p.goto(`${ex.url}#path=0.99`);
    await p.locator('#error', { hasText: /Cannot show this path: .*action index 99 out of range/ }).waitFor();
    await done(p);
  });

  it('opens a trace that does not conform at the step where it departs, with what the model allowed there', async () => {
    const model = twoPhase(2, { plantCommitEarly: true });
    const cx = check(model).counterexample!;
    const json = JSON.parse(counterexampleItf(model, cx, 'TwoPhase')) as { states: Record<string, unknown>[] };
    // Step 3 (TMCommit in the model) shows every RM committed at once: no action does that.
    json.states[3]!['rmState'] = ['committed', 'committed'];
    const file = join(dirs.fresh(), 'run.itf.json');
    writeFileSync(file, JSON.stringify(json));
    const ex = await explorer('--model', TWO_PHASE, '--param', 'N=2', '--param', 'bug=commit-early', '--trace', file);
    const p = await page(ex.url);
    await p.locator('#trace-banner.departs').waitFor();
    await expect(p.locator('#trace-banner').textContent()).resolves.toMatch(/departs from the model at step 3: no step the model allows reaches the observed state/);
    await p.click('#departure-link');
    await stepShown(p, 2);
    expect(await pathLabels(p)).toEqual(['initial state 0', ...cx.steps.slice(1, 3).map((s) => model.formatAction!(s.action!))]);
    const allowed = await p.locator('#next button').allTextContents();
    expect(allowed).toContain('TMCommit');
    await done(p);
  });

  it('shows an offline export (--html) with no server: the path, its steps and the chart, from the file alone', async () => {
    const file = join(dirs.fresh(), 'cx.html');
    const svgFile = join(dirname(file), 'cx.svg');
    await expect(exportFiles(parseExploreArgs(['--preset', 'default', '--mutant', 'ack-before-increment', '--html', file, '--svg', svgFile]))).resolves.toBe(
      'the counterexample of ordered sequence numbers',
    );
    expect(readFileSync(file, 'utf8')).not.toMatch(/src="\/|href="\/style/); // nothing to fetch
    const p = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    const requests: string[] = [];
    p.on('request', (r) => requests.push(r.url()));
    await p.goto(pathToFileURL(file).href);
    await p.locator('#path li.current').waitFor();
    // The last step is the stamp that gives a dependent write a lower number.
    expect((await pathLabels(p)).at(-1)).toMatch(/^BladeStamp P\d \(the write command arrives\) ✗ ordered sequence numbers$/);
    await expect(p.locator('#model-source').textContent()).resolves.toBe('preset default (offline export)');
    await expect(p.locator('#chart .lane-name').count()).resolves.toBe(9);
    await p.locator('#path li[data-step="4"]').click();
    await stepShown(p, 4);
    expect(await p.locator('#tree .changed').count()).toBeGreaterThan(0);
    await expect(p.locator('#next button').first().isDisabled()).resolves.toBe(true);
    expect(requests).toEqual([pathToFileURL(file).href]);
    // The chart alone (--svg) is a document of its own that a browser draws as the page does.
    await p.goto(pathToFileURL(svgFile).href);
    expect(await p.locator('parsererror').count()).toBe(0);
    await expect(p.locator('svg.chart .lane-name').allTextContents()).resolves.toEqual(['host', 'D0', 'D1', 'P0', 'P1', 'S0', 'S1', 'SD0', 'SD1']);
    await expect(p.locator('svg.chart .lane-name').first().evaluate((e) => (globalThis as unknown as { getComputedStyle: (x: unknown) => { fontWeight: string } }).getComputedStyle(e).fontWeight)).resolves.toBe('600'); // its style is inside
    expect(requests.slice(1)).toEqual([pathToFileURL(svgFile).href]);
    await p.close();
  });

  it('searches anywhere reachable: the first matching state opens by a shortest path, as the current path and the deep link', async () => {
    const ex = await explorer('--model', TWO_PHASE, '--param', 'N=2');
    const p = await page(`${ex.url}#path=0.3&step=1`);
    await stepShown(p, 1);
    // In this path, r2 never prepares; anywhere reachable, two steps do it.
    await p.fill('#search-query', 'rmState[1] = prepared');
    await p.click('#search button');
    await p.locator('#search-result', { hasText: 'no step of this path matches' }).waitFor();
    await p.check('#search-scope input[value="anywhere"]');
    await p.click('#search button');
    await p.locator('#search-result', { hasText: /^found 1 step from an initial state, by a shortest path \([\d,]+ states looked at in [\d.]+ s\); showing it$/ }).waitFor();
    await stepShown(p, 1);
    expect(await pathLabels(p)).toEqual(['initial state 0', 'RMPrepare(r2)']);
    expect(new URL(p.url()).hash).toBe('#path=0.8&step=1');
    await expect(p.locator('#path li.match').getAttribute('data-step')).resolves.toBe('1');
    // A state no behaviour reaches: said so, after every state was looked at.
    await p.fill('#search-query', 'rmState[1] = nowhere');
    await p.click('#search button');
    await p.locator('#search-result', { hasText: /^no reachable state matches \(every one of the [\d,]+ states looked at/ }).waitFor();
    await done(p);
  });

  it('shows a reachability violation\'s stuck state and the region it cannot leave; a click on a state opens its path', async () => {
    const ex = await explorer('--model', TRAP);
    const p = await page(ex.url);
    await p.click('#run-start');
    await p.locator('#liveness-panel:not([hidden])').waitFor();
    await expect(p.locator('#liveness-property').textContent()).resolves.toBe('done stays reachable (reachability), stuck at step 3');
    await expect(p.locator('#liveness-why').textContent()).resolves.toMatch(/^No state in this region satisfies the goal of "done stays reachable"/);
    expect(await p.locator('#liveness-graph g.node').count()).toBe(3);
    await expect(p.locator('#liveness-graph g.node.stuck').getAttribute('data-path')).resolves.toBe('0.0.0.1');
    expect(await p.locator('#liveness-graph g.node.goal').count()).toBe(0);
    expect(await p.locator('#liveness-graph path.edge').count()).toBe(3);
    if (SHOTS) writeFileSync(join(SHOTS, 'liveness.png'), await p.locator('#liveness-panel').screenshot());
    await p.locator('#liveness-graph g.node[data-node="2"]').click();
    await stepShown(p, 5);
    expect(new URL(p.url()).hash).toBe('#path=0.0.0.1.2.2&step=5');
    expect((await pathLabels(p)).slice(3)).toEqual(['"Trap"', '"Spin"', '"Spin"']);
    await done(p);
  });

  it('shows a lasso\'s loop in the liveness view, online and in an offline export', async () => {
    const ex = await explorer('--model', ONE_BIT);
    const p = await page(ex.url);
    await p.click('#run-start');
    await p.locator('#liveness-panel:not([hidden])').waitFor();
    await expect(p.locator('#liveness-why').textContent()).resolves.toMatch(/^The behaviour stays in step 5 forever/);
    await expect(p.locator('#liveness-graph g.node.stuck').getAttribute('class')).resolves.toBe('node stuck loop');
    // The stuck state is on the counterexample's path: a click selects that step of it.
    await p.locator('#properties a.counterexample').click();
    await stepShown(p, 5);
    await p.locator('#path li[data-step="0"]').click();
    await stepShown(p, 0);
    await p.locator('#liveness-graph g.node.stuck').click();
    await stepShown(p, 5);
    await done(p);
    const file = join(dirs.fresh(), 'lasso.html');
    await expect(exportFiles(parseExploreArgs(['--model', ONE_BIT, '--html', file]))).resolves.toBe('the counterexample of StarvationFree(0)');
    const off = await page(pathToFileURL(file).href);
    await off.locator('#liveness-panel:not([hidden])').waitFor();
    expect(await off.locator('#liveness-graph g.node').count()).toBeGreaterThan(1);
    await off.locator('#liveness-graph g.node.stuck').click();
    await stepShown(off, 5);
    await done(off);
  });
});
