/**
 * The explorer's server as a browser (or an attacker) meets it: HTTP requests to a server
 * started in this process on TwoPhase, and the command as a process (its URL line, bad
 * input, Ctrl-C).
 */
import { request } from 'node:http';
import { connect } from 'node:net';
import { resolve } from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFinder } from '../../../checker/explorer/finder.ts';
import { openExplorer, parseExploreArgs } from '../../../checker/explorer/main.ts';
import type { Explorer } from '../../../checker/explorer/server.ts';
import { runProcess } from '../../capture.ts';

const root = resolve(__dirname, '../../..');
const TWO_PHASE = resolve(root, 'test/examples/twoPhaseModule.ts');

/** A raw request, so the Host and Origin headers are what the test says. */
const get = (port: number, path: string, headers: Record<string, string> = {}, method = 'GET') =>
  new Promise<{ status: number; body: string; headers: Record<string, unknown> }>((res, rej) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers: { host: `127.0.0.1:${port}`, ...headers } }, (r) => {
      let body = '';
      r.setEncoding('utf8').on('data', (d: string) => (body += d));
      r.on('end', () => res({ status: r.statusCode!, body, headers: r.headers }));
    });
    req.on('error', rej);
    req.end();
  });

/** Bytes sent as they are; the whole answer. */
const raw = (port: number, bytes: string) =>
  new Promise<string>((res) => {
    const s = connect(port, '127.0.0.1', () => s.end(bytes));
    let got = '';
    s.setEncoding('utf8').on('data', (d: string) => (got += d));
    s.on('close', () => res(got));
  });

describe('the explorer server', () => {
  let ex: Explorer;
  beforeAll(async () => {
    ex = await openExplorer(parseExploreArgs(['--model', TWO_PHASE, '--param', 'N=2', '--param', 'bug=commit-early']));
  });
  afterAll(async () => {
    await ex.close();
  });

  it('listens on 127.0.0.1 at the URL it gives, and serves the page, its script and its style', async () => {
    expect(ex.url).toBe(`http://127.0.0.1:${ex.port}/`);
    const page = await get(ex.port, '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<script type="module" src="/app.js">');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect((await get(ex.port, '/app.js')).headers['content-type']).toMatch(/javascript/);
    expect((await get(ex.port, '/style.css')).status).toBe(200);
    expect((await get(ex.port, '/', { host: `localhost:${ex.port}` })).status).toBe(200);
  });

  it('answers the model, a path and a step as JSON', async () => {
    expect(JSON.parse((await get(ex.port, '/api/model')).body)).toMatchObject({ name: 'TwoPhase(2)', properties: [{ name: 'TPTypeOK' }, { name: 'TCConsistent' }, { name: 'deadlock' }] });
    const path = JSON.parse((await get(ex.port, '/api/path?p=0.3')).body);
    expect(path).toMatchObject({ path: '0.3', lanes: ['TM', 'r1', 'r2'], steps: [{ label: 'initial state 0' }, { label: 'RMPrepare(r1)', index: 3 }] });
    const step = JSON.parse((await get(ex.port, '/api/step?p=0.3&k=1')).body);
    expect(step.next.map((a: { label: string }) => a.label)).toContain('TMRcvPrepared(r1)');
    // The path comes with its sequence chart, drawn on the server, and the page's style for it.
    expect(path.chart).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" class="chart"/);
    expect(path.chart).toContain('<g class="row" data-step="1">');
    const drawing = await get(ex.port, '/drawing.css');
    expect([drawing.status, drawing.headers['content-type']]).toEqual([200, 'text/css; charset=utf-8']);
    expect(drawing.body).toContain('svg.chart .row.current rect.bg');
  });

  it('searches across the state tree in a child process: the first matching state by a shortest path', async () => {
    const found = JSON.parse((await get(ex.port, '/api/find?q=tmPrepared%5B1%5D')).body);
    expect(found).toMatchObject({ type: 'done', path: '0.8.7', bounds: { maxStates: 300_000, maxMs: 20_000 } });
    expect(found.cut).toBeUndefined();
    const none = JSON.parse((await get(ex.port, '/api/find?q=rmState%5B0%5D%20%3D%20nowhere')).body);
    expect(none).toMatchObject({ type: 'done' });
    expect(none.path).toBeUndefined();
    expect(none.explored).toBeGreaterThan(10);
    expect((await get(ex.port, '/api/find?q=a%3B%20b')).status).toBe(400);
    // A newer search replaces the one under way, which is answered as replaced; the server goes on meanwhile.
    const first = get(ex.port, '/api/find?q=rmState%5B1%5D%20%3D%20aborted');
    await new Promise((r) => setTimeout(r, 50));
    const second = get(ex.port, '/api/find?q=rmState%5B1%5D%20%3D%20committed');
    expect((await get(ex.port, '/api/model')).status).toBe(200);
    expect(JSON.parse((await first).body)).toEqual({ type: 'replaced' });
    expect(JSON.parse((await second).body).path).toBe('0.3.2.0.10'); // with the commit-early bug, r2 commits without preparing
  });

  it('refuses another Host (DNS rebinding) and another site\'s Origin', async () => {
    for (const host of ['evil.example', `evil.example:${ex.port}`, '127.0.0.1', `127.0.0.1:${ex.port + 1}`]) {
      const r = await get(ex.port, '/api/model', { host });
      expect([host, r.status]).toEqual([host, 403]);
    }
    expect(await raw(ex.port, 'GET /api/model HTTP/1.0\r\n\r\n')).toMatch(/^HTTP\/1\.1 403/); // no Host at all
    expect((await get(ex.port, '/api/run/start', { origin: 'http://evil.example' }, 'POST')).status).toBe(403);
    expect((await get(ex.port, '/api/model', { origin: `http://127.0.0.1:${ex.port}` })).status).toBe(200);
  });

  it('serves fixed routes only: a path the browser names is never read', async () => {
    for (const p of ['/../package.json', '/%2e%2e/package.json', '/checker/explorer/page/app.js', '/page/app.js', '/app.js/../../package.json', '/api/../package.json']) {
      const r = await get(ex.port, p);
      expect(r.body).not.toContain('"name": "shuttlecheck"');
      expect(r.body).not.toContain('The explorer');
      expect([p, r.status === 404 || r.status === 400 || r.status === 200]).toEqual([p, true]);
    }
    expect((await get(ex.port, '/nothing-here')).status).toBe(404);
  });

  it('answers a malformed request with a 4xx and keeps running', async () => {
    expect((await get(ex.port, '/api/path?p=0.99')).status).toBe(400);
    expect((await get(ex.port, '/api/path?p=../../etc/passwd')).body).toMatch(/a path is the initial state's index/);
    expect((await get(ex.port, '/api/step?p=0&k=7')).status).toBe(400);
    expect((await get(ex.port, '/api/step?p=0&k=x')).status).toBe(400);
    expect((await get(ex.port, '/api/search?p=0&q=rmState%5B0%5D%3B')).status).toBe(400);
    expect(JSON.parse((await get(ex.port, '/api/search?p=0.3&q=rmState%5B0%5D%20%3D%20prepared')).body)).toEqual({ matches: [1] });
    expect((await get(ex.port, '/api/model', {}, 'PUT')).status).toBe(405);
    expect((await get(ex.port, '/api/run/start', {}, 'GET')).status).toBe(405);
    // Not HTTP at all.
    expect(await raw(ex.port, 'GARBAGE \x00\x01 nonsense\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
    expect((await get(ex.port, '/api/model')).status).toBe(200);
  });

  it('runs the check in the background and links the shortest counterexample', async () => {
    const started = JSON.parse((await get(ex.port, '/api/run/start', {}, 'POST')).body);
    expect(started.state).toBe('running');
    let status = started;
    for (let i = 0; i < 300 && status.state === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = JSON.parse((await get(ex.port, '/api/run')).body);
    }
    expect(status.state).toBe('done');
    expect(status.result).toMatchObject({ verdict: 'violation', counterexample: { property: 'TCConsistent', length: 5 } });
    // The link's path is one the server can show.
    const path = JSON.parse((await get(ex.port, `/api/path?p=${status.result.counterexample.path}`)).body);
    expect(path.steps.at(-1).failing).toEqual(['TCConsistent']);
  });
});

describe('the explorer on a temporal property', () => {
  let ex: Explorer;
  beforeAll(async () => {
    ex = await openExplorer(parseExploreArgs(['--model', resolve(root, 'test/examples/oneBitModule.ts')]));
  });
  afterAll(async () => {
    await ex.close();
  });

  it("links the lasso, with its loop's start", async () => {
    let status = JSON.parse((await get(ex.port, '/api/run/start', {}, 'POST')).body);
    for (let i = 0; i < 300 && status.state === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = JSON.parse((await get(ex.port, '/api/run')).body);
    }
    expect(status.result).toMatchObject({ verdict: 'violation', counterexample: { property: 'StarvationFree(0)', kind: 'temporal', length: 5, loop: 5 } });
    // Its liveness view: the state it stays in forever, the region reachable from there, drawn.
    const cx = status.result.counterexample;
    const live = JSON.parse((await get(ex.port, `/api/liveness?p=${cx.path}&name=${encodeURIComponent(cx.property)}&loop=${cx.loop}`)).body);
    expect(live).toMatchObject({ property: 'StarvationFree(0)', kind: 'temporal', stuckStep: 5 });
    expect(live.nodes[0]).toEqual({ path: cx.path, depth: 0, loop: true });
    expect(live.why).toMatch(/^The behaviour stays in step 5 forever/);
    expect(live.svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" class="region"/);
    for (const bad of [`p=${cx.path}&name=StarvationFree(0)`, `p=${cx.path}&name=nope&loop=1`, `p=${cx.path}&name=StarvationFree(0)&loop=x`, 'p=0.9&name=StarvationFree(0)&loop=0']) {
      expect([bad, (await get(ex.port, `/api/liveness?${bad}`)).status]).toEqual([bad, 400]);
    }
  });
});

describe('the search across the state tree, bounded', () => {
  it('stops at its bound of states and says so', async () => {
    const finder = createFinder({ spec: { model: resolve(root, 'test/examples/grid.ts'), params: { K: '3', M: '50' } } }, { maxStates: 100, maxMs: 60_000 });
    try {
      await expect(finder.find('missing')).resolves.toMatchObject({ type: 'done', cut: 'states', explored: 100, bounds: { maxStates: 100 } });
    } finally {
      await finder.close();
    }
  });
});

describe('npm run explore', () => {
  it('refuses bad input in one line, exit 2', async () => {
    for (const args of [['--port', 'x'], ['--port', '70000'], ['--preset', 'nope'], ['--frobnicate'], ['--trace', 'no-such.itf.json'], ['--model', TWO_PHASE, '--param', 'N=0']]) {
      const r = await runProcess(process.execPath, ['--import', 'tsx', 'checker/explorer/main.ts', ...args], { cwd: root, timeoutMs: 60_000 });
      expect([args, r.code, r.err.trim().split('\n').length]).toEqual([args, 2, 1]);
      expect(r.err).toMatch(/^explore: /);
    }
  });

  it('prints its URL on one line and stops cleanly on Ctrl-C', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'checker/explorer/main.ts', '--model', TWO_PHASE], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    const url = await new Promise<string>((res, rej) => {
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        const m = /^Explorer: (http:\/\/127\.0\.0\.1:\d+\/)\n/.exec(out);
        if (m) res(m[1]!);
      });
      child.on('exit', () => rej(new Error(`exited: ${err}`)));
    });
    const port = Number(new URL(url).port);
    expect((await get(port, '/api/model')).status).toBe(200);
    // A background check under way is ended with it.
    expect((await get(port, '/api/run/start', {}, 'POST')).status).toBe(200);
    const code = await new Promise<number | null>((res) => {
      child.on('exit', (c) => res(c));
      child.kill('SIGINT');
    });
    expect(code).toBe(0);
    expect(err).toBe('explore: stopped\n');
  });
});
