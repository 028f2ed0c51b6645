/**
 * The explorer's web server: bound to 127.0.0.1 only, a fixed set of routes (no path the
 * browser names is ever read from disk), and requests whose Host is not the server's own
 * (DNS rebinding) or whose Origin is another site's refused. A malformed request gets a 4xx
 * answer with one line of text, and the server goes on.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { match, P } from 'ts-pattern';
import type { AnyModel } from '../model.ts';
import { checksDeadlock } from '../properties.ts';
import { DEADLOCK } from '../model.ts';
import type { PathIndices } from '../result.ts';
import type { Runner } from './runner.ts';
import { chartSvg } from './chart.ts';
import type { Finder } from './finder.ts';
import { livenessRegion } from './region.ts';
import { regionSvg } from './regionSvg.ts';
import { parseQuery, searchPath } from './search.ts';
import { parsePath, PathError, pathView, stepView } from './session.ts';
import type { PageAssets } from './assets.ts';

/** A trace opened with --trace: where the model follows it, and where it departs. */
export interface TraceInfo {
  readonly file: string;
  /** Steps in the trace (states). */
  readonly steps: number;
  /** The path through the model that follows the trace (up to the departure, if it departs). */
  readonly path: string;
  readonly departs?: { readonly step: number; readonly reason: string };
}

export interface ExplorerContext {
  readonly model: AnyModel;
  /** What was chosen, e.g. `preset default`. */
  readonly source: string;
  readonly runner: Runner;
  /** The search across the state tree; without it, /api/find answers 404. */
  readonly finder?: Finder;
  readonly assets: PageAssets;
  readonly trace?: TraceInfo;
}

export interface Explorer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

const send = (res: ServerResponse, status: number, type: string, body: string): void => {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
};
const text = (res: ServerResponse, status: number, body: string): void => send(res, status, 'text/plain; charset=utf-8', `${body}\n`);
const json = (res: ServerResponse, value: unknown): void => send(res, 200, 'application/json; charset=utf-8', JSON.stringify(value));

/** The model's properties as the run panel lists them before a check has judged them. */
export const propertyList = (model: AnyModel): { name: string; kind: string }[] => [
  ...(model.invariants ?? []).map((p) => ({ name: p.name, kind: 'invariant' })),
  ...(model.actionProperties ?? []).map((p) => ({ name: p.name, kind: 'action' })),
  ...(checksDeadlock(model) ? [{ name: DEADLOCK, kind: 'deadlock' }] : []),
  ...(model.reachability ?? []).map((p) => ({ name: p.name, kind: 'reachability' })),
];

/** What the page is told of the model (and the trace) first. */
export const modelInfo = (model: AnyModel, source: string, trace?: TraceInfo): unknown => ({
  name: model.name,
  source,
  initialStates: model.initStates().length,
  properties: propertyList(model),
  actionNames: model.actionNames ?? [],
  ...(trace ? { trace } : {}),
});

/** A path as the page draws it: its steps, and its sequence chart as SVG text (none without a view). */
export const pathAnswer = (model: AnyModel, path: PathIndices) => {
  const view = pathView(model, path);
  const chart = chartSvg(view.lanes, view.steps);
  return { ...view, ...(chart !== undefined ? { chart } : {}) };
};

/** The liveness view of a counterexample: the region (region.ts) and its drawing. */
export const livenessAnswer = (model: AnyModel, path: PathIndices, property: string, loop?: number) => {
  const region = livenessRegion(model, path, property, loop);
  return { ...region, svg: regionSvg(region) };
};

const ROUTES = ['/', '/app.js', '/style.css', '/drawing.css', '/api/model', '/api/path', '/api/step', '/api/search', '/api/find', '/api/liveness', '/api/run', '/api/run/start', '/api/run/stop'] as const;

/** The search across the state tree, answered when the child is done; the event loop stays free meanwhile. */
const find = (ctx: ExplorerContext, res: ServerResponse, query: string): void => {
  if (!ctx.finder) return text(res, 404, 'this explorer has no search across the state tree');
  parseQuery(query); // a malformed query is a 400 before any child starts
  ctx.finder.find(query).then(
    (answer) => json(res, answer),
    (e: unknown) => text(res, 500, `the search failed: ${(e as Error).message}`),
  );
};

/** Hosts this server answers to: its own address and port, by number or as localhost. */
const allowedHosts = (port: number): ReadonlySet<string> => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

const handle = (ctx: ExplorerContext, port: number, req: IncomingMessage, res: ServerResponse): void => {
  const hosts = allowedHosts(port);
  if (!hosts.has(req.headers.host ?? '')) return text(res, 403, 'this server answers only to its own address (Host header refused)');
  const origin = req.headers.origin;
  if (origin !== undefined && !(origin.startsWith('http://') && hosts.has(origin.slice('http://'.length)))) {
    return text(res, 403, 'requests from another site are refused (Origin header)');
  }
  let url: URL;
  try {
    url = new URL(req.url ?? '', `http://127.0.0.1:${port}`);
  } catch {
    return text(res, 400, 'malformed request path');
  }
  const q = (name: string): string => url.searchParams.get(name) ?? '';
  const method = req.method === 'HEAD' ? 'GET' : req.method;
  try {
    match([method, url.pathname])
      .with(['GET', '/'], () => send(res, 200, 'text/html; charset=utf-8', ctx.assets.html))
      .with(['GET', '/app.js'], () => send(res, 200, 'text/javascript; charset=utf-8', ctx.assets.script))
      .with(['GET', '/style.css'], () => send(res, 200, 'text/css; charset=utf-8', ctx.assets.style))
      .with(['GET', '/drawing.css'], () => send(res, 200, 'text/css; charset=utf-8', ctx.assets.drawing))
      .with(['GET', '/favicon.ico'], () => {
        res.writeHead(204, SECURITY_HEADERS);
        res.end();
      })
      .with(['GET', '/api/model'], () => json(res, modelInfo(ctx.model, ctx.source, ctx.trace)))
      .with(['GET', '/api/path'], () => json(res, pathAnswer(ctx.model, parsePath(q('p')))))
      .with(['GET', '/api/step'], () => {
        if (!/^\d{1,6}$/.test(q('k'))) throw new PathError('k must be a step number');
        json(res, stepView(ctx.model, parsePath(q('p')), Number(q('k'))));
      })
      .with(['GET', '/api/search'], () => json(res, { matches: searchPath(ctx.model, parsePath(q('p')), q('q')) }))
      .with(['GET', '/api/find'], () => find(ctx, res, q('q')))
      .with(['GET', '/api/liveness'], () => {
        const loop = url.searchParams.get('loop');
        if (loop !== null && !/^\d{1,6}$/.test(loop)) throw new PathError('loop must be a step number');
        json(res, livenessAnswer(ctx.model, parsePath(q('p')), q('name'), loop === null ? undefined : Number(loop)));
      })
      .with(['GET', '/api/run'], () => json(res, ctx.runner.status()))
      .with(['POST', '/api/run/start'], () => {
        ctx.runner.start();
        json(res, ctx.runner.status());
      })
      .with(['POST', '/api/run/stop'], () => {
        ctx.runner.stop();
        json(res, ctx.runner.status());
      })
      .with([P.string, P.union(...ROUTES)], () =>
        text(res, 405, `${method} is not allowed here`),
      )
      .otherwise(() => text(res, 404, 'no such page'));
  } catch (e) {
    if (e instanceof PathError) return text(res, 400, e.message);
    text(res, 500, `internal error: ${(e as Error).message.split('\n')[0]}`);
  }
};

/** Starts the server on 127.0.0.1 (`port` 0: a free one). */
export const startExplorer = (ctx: ExplorerContext, port = 0): Promise<Explorer> =>
  new Promise((resolve, reject) => {
    const server: Server = createServer({ maxHeaderSize: 16 * 1024 }, (req, res) => {
      // Bodies are never read: drain them so the connection stays usable.
      req.resume();
      handle(ctx, (server.address() as AddressInfo).port, req, res);
    });
    server.on('clientError', (_e, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      else socket.destroy();
    });
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      const actual = (server.address() as AddressInfo).port;
      resolve({
        url: `http://127.0.0.1:${actual}/`,
        port: actual,
        close: async () => {
          await Promise.all([ctx.runner.close(), ctx.finder?.close()]);
          await new Promise<void>((r) => {
            server.close(() => r());
            server.closeAllConnections();
          });
        },
      });
    });
  });
