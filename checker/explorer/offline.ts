/**
 * The offline export: the page and everything it shows of one path (a counterexample or a
 * trace) in one HTML file — no server, no network. The page answers its requests from the
 * data embedded in the file (see app.js, `offline`); the path's steps are all there, other
 * paths are not.
 */
import type { AnyModel } from '../model.ts';
import type { PathIndices } from '../result.ts';
import type { PageAssets } from './assets.ts';
import { HTML_EXPORT } from './exportFile.ts';
import type { RunStatus } from './runner.ts';
import { livenessAnswer, modelInfo, pathAnswer, type TraceInfo } from './server.ts';
import { stepView } from './session.ts';

export interface OfflineData {
  readonly model: unknown;
  readonly path: ReturnType<typeof pathAnswer>;
  readonly steps: readonly ReturnType<typeof stepView>[];
  readonly run: RunStatus;
  /** The liveness view of the run's counterexample, when it is a reachability or temporal one. */
  readonly liveness?: ReturnType<typeof livenessAnswer>;
}

export const offlineData = (model: AnyModel, source: string, path: PathIndices, run: RunStatus, trace?: TraceInfo): OfflineData => {
  const view = pathAnswer(model, path);
  const cx = run.result?.counterexample;
  const live = cx && !trace && (cx.kind === 'reachability' || cx.kind === 'temporal') ? livenessAnswer(model, path, cx.property, cx.loop) : undefined;
  return {
    model: modelInfo(model, source, trace),
    path: view,
    steps: view.steps.map((_, k) => stepView(model, path, k)),
    run,
    ...(live ? { liveness: live } : {}),
  };
};

/** JSON that may stand inside a script element: no `<` (so no `</script>`), no line separators. */
const scriptJson = (v: unknown): string =>
  JSON.stringify(v).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

/** The page with its style, its script and the data inline. */
export const offlineHtml = (assets: PageAssets, data: OfflineData): string =>
  assets.html
    .replace('<meta charset="utf-8">', `<meta charset="utf-8">\n${HTML_EXPORT.marker}`)
    .replace('<link rel="stylesheet" href="/style.css">', () => `<style>\n${assets.style}</style>`)
    .replace('<link rel="stylesheet" href="/drawing.css">', () => `<style>\n${assets.drawing}</style>`)
    .replace('<script type="module" src="/app.js"></script>', () =>
      `<script type="application/json" id="offline-data">${scriptJson(data)}</script>\n<script type="module">\n${assets.script.replace(/<\/script/gi, '<\\/script')}</script>`,
    );
