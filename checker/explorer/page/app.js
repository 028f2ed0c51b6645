// The explorer's page: plain DOM code, no framework and no build step. Everything it shows
// comes from the server's JSON routes (server.ts); the URL's hash holds the path as action
// indices (#path=INIT.A1.A2...&step=K), so a reload or a shared link shows the same view.

const $ = (id) => document.getElementById(id);

/** Creates an element: el('li', { class: 'x', onclick }, child, 'text', ...). */
const el = (tag, attrs = {}, ...kids) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const k of kids.flat()) if (k !== undefined && k !== null) e.append(k);
  return e;
};

/** An offline export (--html) carries its data in the page: one path, all its steps. */
const offline = (() => {
  const box = document.getElementById('offline-data');
  return box ? JSON.parse(box.textContent) : undefined;
})();

const offlineAnswer = (url) => {
  const u = new URL(url, 'http://offline/');
  const q = (k) => u.searchParams.get(k);
  if (u.pathname === '/api/model') return offline.model;
  if (u.pathname === '/api/run') return offline.run;
  if (u.pathname === '/api/liveness' && offline.liveness) return offline.liveness;
  if (q('p') !== offline.path.path) throw new Error('this offline file holds one path only; open the explorer (npm run explore) to follow others');
  if (u.pathname === '/api/path') return offline.path;
  if (u.pathname === '/api/step') return offline.steps[Number(q('k'))];
  throw new Error('not available offline');
};

const api = async (url, options) => {
  if (offline) return offlineAnswer(url);
  const res = await fetch(url, options);
  if (!res.ok) throw new Error((await res.text()).trim() || `${res.status}`);
  return res.json();
};

const showError = (message) => {
  const box = $('error');
  box.hidden = !message;
  box.textContent = message || '';
};

const view = {
  model: undefined,
  path: '0',
  step: 0,
  pathView: undefined,
  stepView: undefined,
  expanded: new Set(),
  /** Steps the last search found, on the path it searched. */
  found: { path: undefined, steps: [] },
  /** The number of the latest search across the state tree: an older answer is ignored. */
  findSeq: 0,
  /** Which counterexample the liveness panel shows. */
  livenessKey: undefined,
  collapsed: new Set(),
};

/** The hash's path and step, or undefined when it has none. */
const readHash = () => {
  const h = new URLSearchParams(location.hash.slice(1));
  const path = h.get('path');
  if (!path) return undefined;
  const step = h.get('step');
  return { path, step: step === null ? undefined : Number(step) };
};

const go = (path, step) => {
  const hash = `#path=${path}&step=${step}`;
  if (location.hash === hash) void load();
  else location.hash = hash;
};

const pathSteps = (path) => path.split('.').length - 1;

/** Opens `path` at its last step; a prefix of the path shown selects that step of it instead. */
const openPath = (path) => {
  if (view.path === path || view.path.startsWith(`${path}.`)) go(view.path, pathSteps(path));
  else go(path, pathSteps(path));
};

const load = async () => {
  const h = readHash() ?? { path: offline?.path.path ?? view.model.trace?.path ?? '0' };
  try {
    if (!view.pathView || view.pathView.path !== h.path) view.pathView = await api(`/api/path?p=${encodeURIComponent(h.path)}`);
    const last = view.pathView.steps.length - 1;
    const step = h.step === undefined || !Number.isInteger(h.step) ? last : Math.min(Math.max(h.step, 0), last);
    view.stepView = await api(`/api/step?p=${encodeURIComponent(h.path)}&k=${step}`);
    view.path = h.path;
    view.step = step;
    showError('');
  } catch (e) {
    showError(`Cannot show this path: ${e.message}`);
    return;
  }
  renderPath();
  renderChart();
  renderState();
};

// ---- path panel ----

const renderPath = () => {
  const { steps } = view.pathView;
  $('path-length').textContent = `${steps.length - 1} step${steps.length === 2 ? '' : 's'}`;
  const list = $('path');
  list.replaceChildren(
    ...steps.map((s, k) =>
      el(
        'li',
        {
          class: [k === view.step ? 'current' : '', s.failing.length ? 'failing' : '', view.found.path === view.path && view.found.steps.includes(k) ? 'match' : ''].join(' ').trim() || undefined,
          'data-step': k,
          title: s.failing.length ? `fails: ${s.failing.join(', ')}` : undefined,
          onclick: () => go(view.path, k),
        },
        s.label,
        s.failing.length ? ` ✗ ${s.failing.join(', ')}` : '',
        s.repeats !== undefined ? el('span', { class: 'repeat' }, ` (same state as step ${s.repeats})`) : '',
      ),
    ),
  );
  list.querySelector('li.current')?.scrollIntoView({ block: 'nearest' });
  const { next, deadlock } = view.stepView;
  const base = view.path.split('.').slice(0, view.step + 1).join('.');
  $('next').replaceChildren(
    ...(next.length === 0 ? [el('li', {}, deadlock ? 'none: a deadlock' : 'none (the model accepts this end)')] : []),
    ...next.map((a) =>
      el(
        'li',
        { class: a.revisits !== undefined ? 'revisits' : undefined },
        el('button', { type: 'button', 'data-index': a.index, disabled: offline !== undefined, title: offline ? 'offline: this file holds one path' : undefined, onclick: () => go(`${base}.${a.index}`, view.step + 1) }, a.label),
        a.revisits !== undefined ? el('small', {}, ` back to step ${a.revisits}`) : '',
      ),
    ),
  );
};

/** Breadth-first over every reachable state (in a child process on the server): the first match, by a shortest path. */
const searchAnywhere = async (query, out) => {
  const seq = ++view.findSeq;
  out.textContent = 'searching every reachable state, breadth-first…';
  try {
    const r = await api(`/api/find?q=${encodeURIComponent(query)}`);
    if (seq !== view.findSeq || r.type === 'replaced') return;
    const looked = `${fmt(r.explored)} state${r.explored === 1 ? '' : 's'} looked at in ${(r.elapsedMs / 1000).toFixed(1)} s`;
    if (r.path !== undefined) {
      const k = pathSteps(r.path);
      view.found = { path: r.path, steps: [k] };
      out.textContent = `found ${k} step${k === 1 ? '' : 's'} from an initial state, by a shortest path (${looked}); showing it`;
      go(r.path, k);
    } else if (r.cut) {
      const bound = r.cut === 'states' ? `${fmt(r.bounds.maxStates)} states` : `${r.bounds.maxMs / 1000} s`;
      out.textContent = `no match in the ${looked}: the search stopped at its bound (${bound}), so a match may lie further`;
    } else {
      out.textContent = `no reachable state matches (every one of the ${looked})`;
    }
  } catch (e) {
    if (seq === view.findSeq) out.textContent = e.message;
  }
};

const search = async (event) => {
  event.preventDefault();
  const query = $('search-query').value.trim();
  const out = $('search-result');
  out.hidden = false;
  if (!query) {
    view.found = { path: undefined, steps: [] };
    view.findSeq++;
    out.hidden = true;
    renderPath();
    return;
  }
  if (document.querySelector('#search-scope input:checked')?.value === 'anywhere') return searchAnywhere(query, out);
  view.findSeq++;
  try {
    const { matches } = await api(`/api/search?p=${encodeURIComponent(view.path)}&q=${encodeURIComponent(query)}`);
    view.found = { path: view.path, steps: matches };
    out.textContent = matches.length === 0 ? 'no step of this path matches' : `steps ${matches.join(', ')} match; showing the first`;
    if (matches.length > 0) go(view.path, matches[0]);
    else renderPath();
  } catch (e) {
    out.textContent = e.message;
  }
};

// ---- state panel ----

const nodeKey = (parent, label) => (parent ? `${parent}/${label}` : label);

const renderNode = (label, node, key) => {
  const cls = ['node', node.changed ? 'changed' : '', node.added ? 'added' : ''].join(' ').trim();
  if (node.t === 'leaf') {
    return el(
      'div',
      { class: cls, 'data-path': key },
      el('div', { class: 'line' }, label !== undefined ? el('span', { class: 'label' }, `${label}: `) : '', el('span', { class: 'value' }, node.text), node.was !== undefined ? el('span', { class: 'was' }, node.was) : ''),
    );
  }
  const open = view.expanded.has(key) || ((node.changed || node.added) && !view.collapsed.has(key)) || key === '';
  const toggle = () => {
    if (open) {
      view.expanded.delete(key);
      view.collapsed.add(key);
    } else {
      view.collapsed.delete(key);
      view.expanded.add(key);
    }
    renderState();
  };
  const brackets = { record: ['{', '}'], array: ['[', ']'], map: ['Map{', '}'], set: ['Set{', '}'] }[node.t];
  const line = el(
    'div',
    { class: 'line' },
    key !== '' ? el('span', { class: 'toggle', onclick: toggle, role: 'button', 'aria-expanded': String(open) }, open ? '▾ ' : '▸ ') : '',
    label !== undefined ? el('span', { class: 'label' }, `${label}: `) : '',
    open ? el('span', { class: 'value' }, `${brackets[0]}${node.kids.length === 0 ? brackets[1] : ''}`) : el('span', { class: 'value collapsed' }, node.text),
  );
  const kids = open
    ? el(
        'div',
        { class: 'kids' },
        ...node.kids.map(([l, k]) => renderNode(l, k, nodeKey(key, l))),
        ...(node.gone ?? []).map(([l, was]) => el('div', { class: 'gone' }, `${l}: ${was}`)),
      )
    : undefined;
  return el('div', { class: cls, 'data-path': key }, line, kids);
};

const renderState = () => {
  const sv = view.stepView;
  $('state-step').textContent = String(sv.step);
  const props = [
    ...sv.invariants.map((p) => ({ ...p, kind: 'invariant' })),
    ...sv.actionProperties.map((p) => ({ ...p, kind: 'action property' })),
  ];
  $('invariants').replaceChildren(
    ...props.map((p) =>
      el('li', { class: p.holds ? 'holds' : 'fails', 'data-name': p.name }, `${p.holds ? '✓' : '✗'} ${p.name}`, p.holds ? '' : ` (${p.kind} violated${p.why ? `: ${p.why}` : ''})`),
    ),
  );
  $('tree').replaceChildren(el('div', { class: 'tree' }, renderNode(undefined, sv.tree, '')));
};

// ---- sequence chart ----

// The server draws the chart (chart.ts, the same SVG that --svg writes); the page inserts it
// once per path and marks the current step's row.
const renderChart = () => {
  const { chart } = view.pathView;
  const box = $('chart');
  if (!chart) {
    box.replaceChildren(el('p', { class: 'none' }, 'This model declares no view (Model.view): no sequence chart.'));
    box.removeAttribute('data-path');
    return;
  }
  if (box.getAttribute('data-path') !== view.path) {
    box.innerHTML = chart;
    box.setAttribute('data-path', view.path);
  }
  box.querySelector('g.row.current')?.classList.remove('current');
  const row = box.querySelector(`g.row[data-step="${view.step}"]`);
  row?.classList.add('current');
  row?.scrollIntoView?.({ block: 'nearest' });
};

const chartClick = (event) => {
  const row = event.target.closest?.('g.row');
  if (row) go(view.path, Number(row.getAttribute('data-step')));
};

// ---- liveness panel ----

/** For a reachability or temporal counterexample: the stuck state and the region it cannot leave (region.ts). */
const renderLiveness = async (result) => {
  const cx = result?.counterexample;
  const panel = $('liveness-panel');
  const live = cx && (cx.kind === 'reachability' || cx.kind === 'temporal') && (!offline || offline.liveness);
  if (!live) {
    panel.hidden = true;
    view.livenessKey = undefined;
    return;
  }
  const key = `${cx.property}|${cx.path}|${cx.loop}`;
  if (view.livenessKey === key) return;
  view.livenessKey = key;
  try {
    const r = await api(`/api/liveness?p=${encodeURIComponent(cx.path)}&name=${encodeURIComponent(cx.property)}${cx.loop === undefined ? '' : `&loop=${cx.loop}`}`);
    if (view.livenessKey !== key) return;
    $('liveness-property').textContent = `${cx.property} (${cx.kind}), stuck at step ${r.stuckStep}`;
    $('liveness-why').textContent = r.why;
    $('liveness-graph').innerHTML = r.svg;
    panel.hidden = false;
  } catch (e) {
    showError(`Cannot show the liveness view: ${e.message}`);
  }
};

const livenessClick = (event) => {
  const node = event.target.closest?.('g.node');
  if (node) openPath(node.getAttribute('data-path'));
};

// ---- run panel ----

const fmt = (n) => (n === undefined ? '–' : Math.round(n).toLocaleString('en'));
let polling;

const renderRun = (st) => {
  const running = st.state === 'running';
  $('run-start').textContent = running ? 'Restart' : st.state === 'idle' ? 'Check every state' : 'Check again';
  $('run-stop').disabled = !running;
  const p = st.result ?? st.progress;
  const seconds = st.result ? st.result.durationMs / 1000 : (st.elapsedMs ?? 0) / 1000;
  const perSecond = st.result ? st.result.statesPerSecond : p && seconds > 0 ? p.distinctStates / seconds : undefined;
  $('run-figures').textContent =
    st.state === 'idle'
      ? 'Not checked yet: the check explores every reachable state in the background.'
      : st.state === 'failed'
        ? `The check failed: ${st.error}`
        : `${running ? 'Checking…' : st.result.verdict === 'ok' ? 'Every property holds.' : st.result.verdict === 'violation' ? `Violation of ${st.result.counterexample?.property}.` : `Incomplete (${st.result.cutBy ?? 'cut short'}).`} ` +
          `${fmt(p?.distinctStates)} distinct states, ${fmt(p?.generatedStates)} generated, ${fmt(perSecond)} states/s, ` +
          `${st.progress && running ? `queue ${fmt(st.progress.queued)}, ` : ''}depth ${fmt(p?.depth)}, ${seconds.toFixed(1)} s`;
  const statusOf = new Map((st.result?.properties ?? []).map((r) => [r.name, r.status]));
  const cx = st.result?.counterexample;
  // The model's properties, and any other the check reports (a kind the page does not list ahead).
  const listed = new Set(view.model.properties.map((pr) => pr.name));
  const properties = [...view.model.properties, ...(st.result?.properties ?? []).filter((r) => !listed.has(r.name))];
  $('properties').replaceChildren(
    ...properties.map((pr) => {
      const status = statusOf.get(pr.name) ?? (running ? 'checking…' : st.state === 'idle' ? 'not checked' : 'not judged');
      const violated = status === 'violated';
      return el(
        'li',
        { class: violated ? 'violated' : status === 'holds' ? 'holds' : undefined, 'data-name': pr.name },
        `${violated ? '✗' : status === 'holds' ? '✓' : '·'} ${pr.name} (${pr.kind}): ${status}`,
        violated && cx?.property === pr.name
          ? el(
              'span',
              {},
              ' — ',
              el('a', { href: `#path=${cx.path}&step=${cx.length}`, class: 'counterexample' }, `shortest counterexample (${cx.length} steps)`),
              cx.loop === undefined ? '' : cx.loop === cx.length ? `, then it stays in step ${cx.loop} forever` : `, then back to step ${cx.loop}, forever (a loop)`,
              cx.explanation ? `: ${cx.explanation}` : '',
            )
          : '',
      );
    }),
  );
  const cov = st.result?.coverage;
  $('coverage').replaceChildren(
    ...(cov
      ? Object.entries(cov).map(([name, n]) => el('li', { class: n === 0 ? 'violated' : undefined }, `${name}: ${fmt(n)}${n === 0 ? ' — never fired' : ''}`))
      : [el('li', {}, 'after a check: how often each kind of action fired')]),
  );
  void renderLiveness(st.result);
  clearTimeout(polling);
  if (running) polling = setTimeout(pollRun, 500);
};

const pollRun = async () => {
  try {
    renderRun(await api('/api/run'));
  } catch (e) {
    showError(`Lost the server: ${e.message}`);
  }
};

const runControl = async (what) => {
  try {
    renderRun(await api(`/api/run/${what}`, { method: 'POST' }));
  } catch (e) {
    showError(e.message);
  }
};

// ---- start ----

const start = async () => {
  try {
    view.model = await api('/api/model');
  } catch (e) {
    showError(`Cannot reach the explorer's server: ${e.message}`);
    return;
  }
  $('model-name').textContent = view.model.name;
  $('model-source').textContent = view.model.source;
  document.title = `${view.model.name} — shuttlecheck explorer`;
  const t = view.model.trace;
  if (t) {
    const banner = $('trace-banner');
    banner.hidden = false;
    if (t.departs) {
      banner.className = 'departs';
      banner.replaceChildren(
        `Trace ${t.file} departs from the model at step ${t.departs.step}: ${t.departs.reason}. `,
        el('a', { href: `#path=${t.path}&step=${pathSteps(t.path)}`, id: 'departure-link' }, `Show step ${t.departs.step - 1}, the last that conforms, and what the model allowed next`),
      );
    } else {
      banner.replaceChildren(`Trace ${t.file} conforms: all ${t.steps - 1} steps are steps of the model. `, el('a', { href: `#path=${t.path}&step=0` }, 'Show it from the start'));
    }
  }
  if (offline) {
    $('search').hidden = true;
    $('run-start').hidden = true;
    $('run-stop').hidden = true;
    $('model-source').textContent += ' (offline export)';
  }
  $('search').addEventListener('submit', search);
  $('chart').addEventListener('click', chartClick);
  $('liveness-graph').addEventListener('click', livenessClick);
  $('run-start').addEventListener('click', () => runControl('start'));
  $('run-stop').addEventListener('click', () => runControl('stop'));
  window.addEventListener('hashchange', () => void load());
  await pollRun();
  await load();
};

void start();
