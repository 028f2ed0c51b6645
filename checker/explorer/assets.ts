/**
 * The page's files (checker/explorer/page/), read once when the server starts. The server
 * serves these four and nothing else; `drawing` is the style of the chart and of the liveness
 * region, which `--svg` also puts inside the file it writes.
 */
import { readFileSync } from 'node:fs';

export interface PageAssets {
  readonly html: string;
  readonly script: string;
  readonly style: string;
  readonly drawing: string;
}

const read = (name: string): string => readFileSync(new URL(`./page/${name}`, import.meta.url), 'utf8');

export const loadAssets = (): PageAssets => ({ html: read('index.html'), script: read('app.js'), style: read('style.css'), drawing: read('drawing.css') });
