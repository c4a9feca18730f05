/**
 * The dashboard's static files, kept as strings so they ship inside the compiled package with no copy step and no
 * bundler. The script is plain browser JavaScript (ES2020, no dependency, no network beyond this server): a hash
 * router over the /v1 JSON API. It builds the DOM with textContent only (no HTML from data), so ids and titles cannot
 * inject markup. It is kept free of backticks so it can live in a String.raw literal.
 */

/** The page shell. */
export const INDEX_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Reckon dashboard</title><link rel="stylesheet" href="/dashboard/style.css"></head>
<body>
<header><a class="brand" href="#/">Reckon</a>
<nav><a href="#/" data-nav="overview">Overview</a><a href="#/users" data-nav="users">Users</a><a href="#/models" data-nav="models">Models</a><a href="#/pipelines" data-nav="pipelines">Pipelines</a><a href="#/experiments" data-nav="experiments">A/B tests</a><a href="/docs">API docs</a></nav>
<form id="keyform" title="API key with the write scope, for activate/rollback (kept in this browser only)"><input id="apikey" type="password" placeholder="API key (for writes)" autocomplete="off"><button type="submit">Use key</button></form>
</header>
<div id="message" data-testid="message" role="status"></div>
<main id="app" data-testid="app">Loading...</main>
<script type="module" src="/dashboard/app.js"></script>
</body></html>
`;

/** The style sheet. */
export const STYLE_CSS = `
*{box-sizing:border-box}body{margin:0;font-family:system-ui,-apple-system,Segoe UI,sans-serif;background:#f6f7f9;color:#1d2433;font-size:14px}
header{display:flex;align-items:center;gap:20px;background:#1d2433;color:#fff;padding:10px 24px}
.brand{color:#fff;font-weight:700;font-size:18px;text-decoration:none}
nav a{color:#c5cbd6;text-decoration:none;margin-right:16px}nav a.active,nav a:hover{color:#fff}
#keyform{margin-left:auto;display:flex;gap:6px}#keyform input{padding:4px 8px;border-radius:4px;border:1px solid #555;background:#2a3142;color:#fff}
button{cursor:pointer;border:1px solid #3b6fb6;background:#3b6fb6;color:#fff;border-radius:4px;padding:4px 10px;font-size:13px}
button.secondary{background:#fff;color:#3b6fb6}button:disabled{opacity:.5;cursor:default}button.rollback{margin-right:8px}
main{max-width:1200px;margin:0 auto;padding:16px 24px 48px}
#message{max-width:1200px;margin:8px auto 0;padding:0 24px;min-height:1em}#message.error{color:#b3261e}#message.ok{color:#2e7d32}
h1{font-size:20px;margin:8px 0 16px}h2{font-size:15px;margin:0 0 10px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(160px,1fr));gap:12px;margin-bottom:16px}
.card{background:#fff;border:1px solid #e2e5ea;border-radius:8px;padding:12px 14px}.card .label{color:#5b6475;font-size:12px}.card .value{font-size:22px;font-weight:600;margin-top:4px}
.panel{background:#fff;border:1px solid #e2e5ea;border-radius:8px;padding:14px 16px;margin-bottom:16px}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:16px}@media(max-width:800px){.cols{grid-template-columns:1fr}}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #eceef2;vertical-align:top}th{background:#f1f3f6;font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;background:#e3ecf8;color:#24508f;font-size:12px}.badge.active{background:#d9f0dd;color:#1e6b2c}
.muted{color:#6b7384}.reason{color:#6b7384;font-size:12px}.empty{color:#6b7384;padding:24px;text-align:center;border:1px dashed #cfd4dc;border-radius:8px;background:#fff}
.live{font-size:12px;color:#2e7d32}.live::before{content:"";display:inline-block;width:8px;height:8px;border-radius:50%;background:#2e7d32;margin-right:6px}
svg.bars rect{fill:#3b6fb6}svg.bars text{font-size:10px;fill:#5b6475}
a{color:#24508f}
.dag{display:flex;flex-wrap:wrap;align-items:center;gap:8px}.dag .task{border:1px solid #cfd4dc;border-radius:6px;padding:8px 10px;background:#fafbfc;min-width:120px}
.arrow{color:#6b7384;font-size:18px}.badge.status-succeeded{background:#d9f0dd;color:#1e6b2c}.badge.status-failed{background:#fbe0de;color:#b3261e}
.badge.status-running{background:#fff3cd;color:#7a5b00}.badge.status-skipped,.badge.status-cancelled{background:#eceef2;color:#5b6475}
pre.logs{background:#1d2433;color:#e6e9ef;padding:10px;border-radius:6px;max-height:240px;overflow:auto;font-size:12px}.error{color:#b3261e}
`;

/** The client script (served as /dashboard/app.js). */
export const APP_JS = String.raw`'use strict';
const state = { key: localStorage.getItem('reckon.key') || '', timer: 0 };
const app = document.getElementById('app');
const message = document.getElementById('message');

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}
const link = (href, text, attrs) => h('a', Object.assign({ href }, attrs || {}), text);
const enc = encodeURIComponent;
const fmt = (x, d) => (x === null || x === undefined || Number.isNaN(x) ? 'n/a' : typeof x === 'number' ? (Number.isInteger(x) ? x.toLocaleString('en-US') : x.toFixed(d === undefined ? 4 : d)) : String(x));
const titles = new Map();
async function titleOf(id) {
  if (!titles.has(id)) titles.set(id, api('/v1/items/' + enc(id)).then((it) => it.title || '', () => ''));
  return titles.get(id);
}
const when = (iso) => (iso ? new Date(iso).toLocaleString() : '');

function say(text, kind) {
  message.textContent = text || '';
  message.className = kind || '';
}

async function api(path, opts) {
  const headers = { accept: 'application/json' };
  if (state.key) headers['x-api-key'] = state.key;
  const init = Object.assign({ headers }, opts || {});
  if (init.body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(init.body);
  }
  const res = await fetch(path, init);
  const text = await res.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch (e) { body = { message: text }; }
  if (!res.ok) {
    const err = new Error((body && body.message) || ('HTTP ' + res.status));
    err.status = res.status;
    throw err;
  }
  return body;
}

function table(headers, rows, attrs) {
  return h('table', attrs || {}, h('thead', {}, h('tr', {}, headers.map((x) => h('th', {}, x)))), h('tbody', {}, rows));
}
const num = (x, d) => h('td', { class: 'num' }, fmt(x, d));
const card = (label, value, id) => h('div', { class: 'card', 'data-testid': id }, h('div', { class: 'label' }, label), h('div', { class: 'value' }, value));
const panel = (title, ...body) => h('section', { class: 'panel' }, h('h2', {}, title), ...body);
const empty = (text) => h('div', { class: 'empty', 'data-testid': 'empty' }, text);

function barsSvg(values, labels) {
  const NS = 'http://www.w3.org/2000/svg';
  const W = 720, H = 160, pad = 24;
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('class', 'bars');
  svg.setAttribute('viewBox', '0 0 ' + W + ' ' + H);
  svg.setAttribute('width', '100%');
  svg.setAttribute('data-testid', 'events-chart');
  const max = Math.max(1, ...values);
  const bw = (W - 2 * pad) / Math.max(1, values.length);
  values.forEach((v, i) => {
    const r = document.createElementNS(NS, 'rect');
    const bh = ((H - 2 * pad) * v) / max;
    r.setAttribute('x', String(pad + i * bw + 1));
    r.setAttribute('y', String(H - pad - bh));
    r.setAttribute('width', String(Math.max(1, bw - 2)));
    r.setAttribute('height', String(bh));
    const t = document.createElementNS(NS, 'title');
    t.textContent = labels[i] + ': ' + v;
    r.append(t);
    svg.append(r);
    if (i % 4 === 0) {
      const tx = document.createElementNS(NS, 'text');
      tx.setAttribute('x', String(pad + i * bw));
      tx.setAttribute('y', String(H - 6));
      tx.textContent = labels[i].slice(11, 16);
      svg.append(tx);
    }
  });
  const top = document.createElementNS(NS, 'text');
  top.setAttribute('x', '2');
  top.setAttribute('y', '12');
  top.textContent = 'max ' + max + '/h';
  svg.append(top);
  return svg;
}

async function overview() {
  const [s, users, popular] = await Promise.all([api('/v1/stats'), api('/v1/users?limit=15'), api('/v1/popular?k=10')]);
  const p99 = s.latencySeconds.p99 === null ? 'n/a' : (s.latencySeconds.p99 * 1000).toFixed(2) + ' ms';
  const hit = s.cache.hitRatio === null ? 'n/a' : (s.cache.hitRatio * 100).toFixed(1) + '%';
  return [
    h('h1', {}, 'Overview'),
    h('div', { class: 'cards' },
      card('Users', fmt(s.users), 'stat-users'),
      card('Items', fmt(s.items), 'stat-items'),
      card('Events', fmt(s.events), 'stat-events'),
      card('Cache hit ratio (' + s.cache.kind + ')', hit, 'stat-cache'),
      card('p99 latency', p99, 'stat-p99'),
      card('Active model', s.model ? s.model.version + ' ' + s.model.algorithm : 'none', 'stat-model')),
    panel('Events per hour (24 h up to the latest event)', s.eventsPerHour.length ? barsSvg(s.eventsPerHour.map((x) => x.count), s.eventsPerHour.map((x) => x.hour)) : empty('no events yet')),
    h('div', { class: 'cols' },
      panel('Users', h('ul', { 'data-testid': 'user-list' }, users.users.map((u) => h('li', {}, link('#/users/' + enc(u), u, { class: 'user-link' })))), link('#/users', 'all users')),
      panel('Popular items', table(['item', 'events'], popular.items.map((it) => h('tr', {}, h('td', {}, link('#/items/' + enc(it.id), it.id)), num(it.score, 0)))))),
  ];
}

async function usersPage() {
  const after = new URLSearchParams(location.hash.split('?')[1] || '').get('after') || '';
  const r = await api('/v1/users?limit=50' + (after ? '&after=' + enc(after) : ''));
  const go = h('form', { onsubmit: (e) => { e.preventDefault(); const v = e.target.elements.uid.value.trim(); if (v) location.hash = '#/users/' + enc(v); } },
    h('input', { name: 'uid', placeholder: 'user id' }), ' ', h('button', { type: 'submit' }, 'Open'));
  return [h('h1', {}, 'Users'), panel('Find a user', go),
    panel('Users' + (after ? ' after ' + after : ''), h('ul', { 'data-testid': 'user-list' }, r.users.map((u) => h('li', {}, link('#/users/' + enc(u), u, { class: 'user-link' })))),
      r.next ? link('#/users?after=' + enc(r.next), 'next page') : null)];
}

async function userPage(id) {
  const histBox = h('div', { 'data-testid': 'history' }, 'Loading...');
  const recBox = h('div', { 'data-testid': 'recommendations' }, 'Loading...');
  const live = h('div', { class: 'live', 'data-testid': 'live' }, 'live');
  let listId = '';
  const click = async (item) => {
    try {
      await api('/v1/events', { method: 'POST', body: { events: [{ user: id, item, type: 'click', listId }] } });
      say('recorded a click on ' + item + ' for ' + id, 'ok');
      await refresh();
    } catch (e) { say('could not record the event: ' + e.message, 'error'); }
  };
  async function refresh() {
    const [hist, rec] = await Promise.all([api('/v1/users/' + enc(id) + '/history?limit=50').catch((e) => ({ error: e })), api('/v1/users/' + enc(id) + '/recommendations?k=10')]);
    listId = rec.listId;
    const recTitles = await Promise.all(rec.items.map((x) => titleOf(x.id)));
    histBox.replaceChildren(hist.error ? empty(hist.error.status === 404 ? 'no history yet' : hist.error.message)
      : hist.items.length === 0 ? empty('no history yet')
      : table(['item', 'title', 'weight', 'last'], hist.items.map((x) => h('tr', {}, h('td', {}, link('#/items/' + enc(x.item), x.item)), h('td', {}, x.title || ''), num(x.value, 1), h('td', { class: 'muted' }, when(x.lastTimestamp))))));
    recBox.replaceChildren(
      h('div', { class: 'muted' }, 'model ' + rec.model.version + ' (' + rec.model.algorithm + ', ' + rec.model.source + ')' + (rec.experiment ? ', A/B ' + rec.experiment.name + ': ' + rec.experiment.variant : '')),
      rec.items.length === 0 ? empty('no recommendations') :
      table(['#', 'item', 'title', 'score', ''], rec.items.map((x, i) => h('tr', { 'data-item': x.id },
        num(i + 1), h('td', {}, link('#/items/' + enc(x.id), x.id, { class: 'rec-link' })), h('td', {}, recTitles[i], x.reason ? h('div', { class: 'reason' }, x.reason) : null),
        num(x.score), h('td', {}, h('button', { class: 'secondary', onclick: () => click(x.id) }, 'click'))))));
    live.textContent = 'live, updated ' + new Date().toLocaleTimeString();
  }
  await refresh();
  state.timer = setInterval(() => { refresh().catch((e) => say(e.message, 'error')); }, 2000);
  return [h('h1', {}, 'User ' + id), live, h('div', { class: 'cols' }, panel('Recommendations', recBox), panel('History', histBox))];
}

async function itemPage(id) {
  const [item, similar, bought] = await Promise.all([
    api('/v1/items/' + enc(id)),
    api('/v1/items/' + enc(id) + '/similar?k=10').catch((e) => ({ error: e })),
    api('/v1/items/' + enc(id) + '/bought-together?k=10').catch((e) => ({ error: e }))]);
  const list = (r, testid) => h('div', { 'data-testid': testid }, r.error ? empty(r.error.message) : r.items.length === 0 ? empty('none yet') :
    table(['item', 'score'], r.items.map((x) => h('tr', {}, h('td', {}, link('#/items/' + enc(x.id), x.id), x.reason ? h('div', { class: 'reason' }, x.reason) : null), num(x.score)))),
    r.model ? h('div', { class: 'muted' }, 'from ' + r.model.algorithm + ' ' + r.model.version) : null);
  return [h('h1', { 'data-testid': 'item-title' }, item.title ? item.title + ' (' + id + ')' : id),
    panel('Item', h('p', {}, item.description || ''), h('div', {}, (item.categories || []).map((c) => h('span', { class: 'badge' }, c)), ' ', item.hidden ? h('span', { class: 'badge' }, 'hidden') : null)),
    h('div', { class: 'cols' }, panel('Similar items', list(similar, 'similar')), panel('Bought together', list(bought, 'bought-together')))];
}

async function modelsPage() {
  const r = await api('/v1/models');
  const act = async (path, body, what) => {
    try {
      const v = await api(path, { method: 'POST', body });
      say(what + ': ' + v.version + ' is now active in slot ' + v.slot, 'ok');
      render();
    } catch (e) { say(what + ' refused: ' + e.message + (e.status === 401 || e.status === 403 ? ' (enter a key with the write scope above)' : ''), 'error'); }
  };
  const slots = [...new Set(r.models.map((m) => m.slot))];
  if (r.models.length === 0) return [h('h1', {}, 'Models'), empty('no model published yet: the server answers with popularity and live co-occurrence')];
  return [h('h1', {}, 'Models'),
    panel('Versions', table(['version', 'slot', 'algorithm', 'created', 'metrics', 'served', 'state', ''], r.models.map((m) => h('tr', { 'data-version': m.version },
      h('td', {}, m.version), h('td', {}, m.slot), h('td', {}, m.algorithm), h('td', { class: 'muted' }, when(m.createdAt)),
      h('td', {}, Object.entries(m.metrics || {}).map(([k, v]) => k + ' ' + fmt(v)).join(', ') || '-'), num(m.served || 0),
      h('td', {}, m.active ? h('span', { class: 'badge active' }, 'active') : ''),
      h('td', {}, m.active ? '' : h('button', { class: 'activate', onclick: () => act('/v1/models/' + enc(m.version) + '/activate', undefined, 'activate') }, 'Activate')))), { 'data-testid': 'models' })),
    panel('Rollback', slots.map((s) => h('button', { class: 'secondary rollback', onclick: () => act('/v1/models/rollback', { slot: s }, 'rollback') }, 'Roll back slot ' + s)))];
}

function genericTable(rows) {
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return table(keys, rows.map((r) => h('tr', {}, keys.map((k) => h('td', {}, typeof r[k] === 'object' && r[k] !== null ? JSON.stringify(r[k]) : fmt(r[k]))))));
}

const statusBadge = (st) => h('span', { class: 'badge status-' + st }, st);

async function pipelinesPage() {
  let runs = [];
  try {
    runs = (await api('/v1/pipelines/runs?limit=50')).runs;
  } catch (e) {
    if (e.status !== 404) throw e;
  }
  if (runs.length === 0) return [h('h1', {}, 'Pipeline runs'), empty('no pipeline runs yet')];
  return [h('h1', {}, 'Pipeline runs'), panel('Latest runs', table(['run', 'pipeline', 'status', 'started', 'seconds', 'error'], runs.map((r) => h('tr', { 'data-run': r.id },
    h('td', {}, link('#/pipelines/' + enc(r.id), r.id, { class: 'run-link' })), h('td', {}, r.pipeline), h('td', {}, statusBadge(r.status)),
    h('td', { class: 'muted' }, when(r.startedAt)), num(r.seconds, 2), h('td', {}, r.error ? String(r.error) : ''))), { 'data-testid': 'runs' }))];
}

async function pipelineRunPage(id) {
  const r = await api('/v1/pipelines/runs/' + enc(id));
  const chain = h('div', { class: 'dag', 'data-testid': 'dag' }, r.tasks.map((t, i) => [i > 0 ? h('span', { class: 'arrow' }, '\u2192') : null,
    h('div', { class: 'task status-' + t.status }, h('div', {}, h('strong', {}, t.task)), statusBadge(t.status), h('div', { class: 'muted' }, fmt(t.seconds, 2) + ' s, ' + t.attempts + ' attempt(s)'))]));
  return [h('h1', {}, 'Run ' + r.run.id), h('p', {}, r.run.pipeline + ' ', statusBadge(r.run.status), ' started ' + when(r.run.startedAt)),
    panel('Tasks', chain),
    ...r.tasks.map((t) => panel(t.task + ' (' + t.status + ')',
      Object.keys(t.metrics || {}).length ? h('p', {}, Object.entries(t.metrics).map(([k, v]) => k + ' ' + fmt(v)).join(', ')) : null,
      t.error ? h('p', { class: 'error' }, String(t.error)) : null,
      h('pre', { class: 'logs' }, (t.logs || []).join('\n') || 'no log lines')))];
}

async function experimentsPage() {
  const r = await api('/v1/experiments');
  if (r.experiments.length === 0) return [h('h1', {}, 'A/B tests'), empty('no A/B tests running (start one with POST /v1/experiments)')];
  const out = [h('h1', {}, 'A/B tests')];
  for (const e of r.experiments) {
    const res = await api('/v1/experiments/' + enc(e.name) + '/results');
    const row = (label, v) => h('tr', {}, h('td', {}, label), h('td', {}, v.version), num(v.impressions), num(v.clicks), num(v.ctr));
    out.push(panel(e.name + ' (slot ' + e.slot + ', ' + e.treatmentPercent + '% treatment, since ' + when(e.startedAt) + ')',
      table(['variant', 'version', 'impressions', 'clicks', 'CTR'], [row('control', res.control), row('treatment', res.treatment)], { 'data-testid': 'experiment' }),
      h('p', {}, 'z = ' + fmt(res.z, 3) + ', p = ' + fmt(res.pValue, 4) + ': ', h('strong', {}, res.significantAt95 ? 'significant at 95%' : 'not significant at 95%'))));
  }
  return out;
}

const routes = [
  [/^#?\/?$/, overview, 'overview'],
  [/^#\/users(\?.*)?$/, usersPage, 'users'],
  [/^#\/users\/([^?]+)$/, userPage, 'users'],
  [/^#\/items\/([^?]+)$/, itemPage, 'users'],
  [/^#\/models$/, modelsPage, 'models'],
  [/^#\/pipelines$/, pipelinesPage, 'pipelines'],
  [/^#\/pipelines\/([^?]+)$/, pipelineRunPage, 'pipelines'],
  [/^#\/experiments$/, experimentsPage, 'experiments'],
];

async function render() {
  clearInterval(state.timer);
  const hash = location.hash || '#/';
  for (const [re, page, nav] of routes) {
    const m = re.exec(hash);
    if (!m) continue;
    for (const a of document.querySelectorAll('nav a')) a.classList.toggle('active', a.dataset.nav === nav);
    try {
      const arg = m[1] && !m[1].startsWith('?') ? decodeURIComponent(m[1]) : undefined;
      const nodes = await page(arg);
      app.replaceChildren(...nodes);
      app.dataset.page = nav;
    } catch (e) {
      app.replaceChildren(h('h1', {}, 'Error'), empty(e.message));
    }
    return;
  }
  app.replaceChildren(h('h1', {}, 'Not found'), empty('no page ' + hash));
}

document.getElementById('apikey').value = state.key;
document.getElementById('keyform').addEventListener('submit', (e) => {
  e.preventDefault();
  state.key = document.getElementById('apikey').value.trim();
  localStorage.setItem('reckon.key', state.key);
  say(state.key ? 'key saved in this browser' : 'key cleared', 'ok');
  render();
});
window.addEventListener('hashchange', () => { say(''); render(); });
render();
`;
