/**
 * The explorer's speed, for the benchmark (issue 9 asks for it measured, not asserted in a
 * test): `benchExplorer()` resolves to printable lines.
 * - A step: extending a path by one action through the server's HTTP API, as the page does
 *   (GET /api/path, then /api/step of its last step), on preset default: median and worst.
 * - With chromium (test/browser.ts's /usr/bin/chromium, through playwright-core), a trace of
 *   1,000 steps in the page: the time to load and draw it (path list and chart), and to scroll
 *   the chart through it (frames), on a model with a cycle to repeat (preset ring-fail). Without
 *   a browser, one line says why it was skipped.
 */
import { existsSync } from 'node:fs';
import { fingerprint, fingerprintHex } from '../fingerprint.ts';
import { loadModel, type ModelSpec } from '../loadModel.ts';
import type { AnyModel } from '../model.ts';
import type { PathIndices } from '../result.ts';
import { openExplorer, parseExploreArgs } from './main.ts';
import { pathText } from './session.ts';

export interface BenchExplorerOptions {
  /** The model for the step requests (default preset default). */
  readonly stepArgs?: readonly string[];
  /** Step requests to time (default 60). */
  readonly steps?: number;
  /** The model for the long trace, as explore's flags (default preset ring-fail), and its length (default 1,000). */
  readonly traceArgs?: readonly string[];
  readonly traceSteps?: number;
  /** The browser (default Debian's chromium). */
  readonly chromium?: string;
}

/** Where the browser tests find Debian's chromium too (test/browser.ts; checker/ does not import test/). */
const CHROMIUM = '/usr/bin/chromium';

const ms = (x: number): string => (x < 10 ? x.toFixed(1) : Math.round(x).toLocaleString('en'));
const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const getJson = async (base: string, route: string): Promise<unknown> => {
  const res = await fetch(new URL(route, base));
  if (!res.ok) throw new Error(`${route}: ${res.status} ${(await res.text()).trim()}`);
  return res.json();
};

/** Times `steps` steps of a walk through the server: each extends the path by one action the page offers. */
const timeSteps = async (url: string, steps: number): Promise<number[]> => {
  const times: number[] = [];
  let path = '0';
  for (let i = 0; i < steps; i++) {
    const last = path.split('.').length - 1;
    const here = (await getJson(url, `/api/step?p=${path}&k=${last}`)) as { next: { index: number }[] };
    // At the end of a behaviour, start again from the initial state.
    const next = here.next.length > 0 ? `${path}.${here.next[(i * 7 + 3) % here.next.length]!.index}` : '0';
    const t = performance.now();
    await getJson(url, `/api/path?p=${next}`);
    await getJson(url, `/api/step?p=${next}&k=${next.split('.').length - 1}`);
    times.push(performance.now() - t);
    path = next;
  }
  return times;
};

/**
 * A path of `length` steps that goes round a cycle of the model: breadth-first from the first
 * initial state (at most 50,000 states), the first transition back to a state on its own
 * tree path closes a cycle, which is then repeated. Undefined when none is found.
 */
export const cyclicPath = (model: AnyModel, length: number): PathIndices | undefined => {
  const key = (s: unknown): string => fingerprintHex(fingerprint(s));
  const first = model.initStates()[0];
  const ids = new Map<string, number>([[key(first), 0]]);
  const states: unknown[] = [first];
  const parent: number[] = [-1];
  const via: number[] = [-1];
  const treePath = (id: number): number[] => {
    const rev: number[] = [];
    for (let c = id; parent[c]! >= 0; c = parent[c]!) rev.push(via[c]!);
    return rev.reverse();
  };
  const ancestor = (a: number, of: number): boolean => {
    for (let c = of; c >= 0; c = parent[c]!) if (c === a) return true;
    return false;
  };
  for (let i = 0; i < states.length && states.length < 50_000; i++) {
    const actions = model.actions(states[i]);
    for (let j = 0; j < actions.length; j++) {
      const t = model.nextState(states[i], actions[j]);
      if (t === undefined) continue;
      const id = ids.get(key(t));
      if (id === undefined) {
        ids.set(key(t), states.length);
        states.push(t);
        parent.push(i);
        via.push(j);
      } else if (id !== i && ancestor(id, i)) {
        const stem = treePath(id);
        const loop = [...treePath(i).slice(stem.length), j];
        const actionsOut = [...stem];
        while (actionsOut.length < length) actionsOut.push(...loop);
        return { init: 0, actions: actionsOut.slice(0, length) };
      }
    }
  }
  return undefined;
};

// Code run in the page (as text: this module is type-checked without the DOM's types).
/** Resolves after two frames: what was drawn is on screen. */
const TWO_FRAMES = 'new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))';
/** Scrolls the chart's panel from top to bottom in 60 frames; each frame's time, in ms. */
const SCROLL_CHART = `(async () => {
  const box = document.getElementById('chart-panel');
  box.scrollTop = 0;
  const out = [];
  const stepBy = (box.scrollHeight - box.clientHeight) / 60;
  let last = performance.now();
  for (let i = 0; i < 60; i++) {
    box.scrollTop += stepBy;
    await new Promise((r) => requestAnimationFrame(r));
    const now = performance.now();
    out.push(now - last);
    last = now;
  }
  return out;
})()`;

/** Loads and draws the long path in the page, then scrolls the chart through it. */
const timeBrowser = async (chromium: string, url: string, path: string, steps: number): Promise<string[]> => {
  const { chromium: pw } = await import('playwright-core');
  const browser = await pw.launch({ executablePath: chromium, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    const t = performance.now();
    await page.goto(`${url}#path=${path}&step=0`);
    await page.locator(`#path li[data-step="${steps}"]`).waitFor({ state: 'attached' });
    await page.locator(`#chart g.row[data-step="${steps}"], #chart p.none`).waitFor({ state: 'attached' });
    await page.evaluate(TWO_FRAMES);
    const load = performance.now() - t;
    // Selecting another step re-marks the chart and the list, without drawing the chart again.
    const s = performance.now();
    await page.click(`#path li[data-step="${Math.floor(steps / 2)}"]`);
    await page.locator('#state-step', { hasText: new RegExp(`^${Math.floor(steps / 2)}$`) }).waitFor();
    const select = performance.now() - s;
    // Scroll the chart from top to bottom in 60 frames; each frame's time is what a reader sees.
    const frames = (await page.evaluate(SCROLL_CHART)) as number[];
    return [
      `explorer page, a ${steps.toLocaleString('en')}-step trace: loaded and drawn in ${ms(load)} ms (path list, chart, state), another step selected in ${ms(select)} ms`,
      `explorer page, scrolling its chart: frames median ${ms(median(frames))} ms, worst ${ms(Math.max(...frames))} ms (60 frames, top to bottom)`,
    ];
  } finally {
    await browser.close();
  }
};

export const benchExplorer = async (options: BenchExplorerOptions = {}): Promise<string[]> => {
  const stepArgs = options.stepArgs ?? ['--preset', 'default'];
  const steps = options.steps ?? 60;
  const traceArgs = options.traceArgs ?? ['--preset', 'ring-fail'];
  const traceSteps = options.traceSteps ?? 1000;
  const chromium = options.chromium ?? CHROMIUM;
  const lines: string[] = [];

  const ex = await openExplorer(parseExploreArgs(stepArgs));
  try {
    await timeSteps(ex.url, 3); // warm up: the first requests compile the model's code
    const times = await timeSteps(ex.url, steps);
    lines.push(`explorer step (${stepArgs.join(' ')}): median ${ms(median(times))} ms, worst ${ms(Math.max(...times))} ms over ${steps} steps (GET /api/path and /api/step, as the page extends a path)`);
  } finally {
    await ex.close();
  }

  if (!existsSync(chromium)) {
    lines.push(`explorer page: skipped, no browser at ${chromium} (apt-get install -y chromium)`);
    return lines;
  }
  const traceEx = await openExplorer(parseExploreArgs(traceArgs));
  try {
    const { model } = await loadModel(parseExploreArgs(traceArgs).spec as ModelSpec);
    const path = cyclicPath(model, traceSteps);
    if (!path) {
      lines.push(`explorer page: skipped, ${model.name} has no cycle to make a ${traceSteps}-step trace of`);
      return lines;
    }
    lines.push(...(await timeBrowser(chromium, traceEx.url, pathText(path), traceSteps)));
  } finally {
    await traceEx.close();
  }
  return lines;
};
