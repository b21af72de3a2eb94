// The Portable local dashboard: plain DOM, no framework. Every value from the host (payloads are user data) is written with
// textContent, never parsed as HTML. It reads the admin API (/_portable/functions, /_portable/queues) and /_portable/api/*.
'use strict';

const base = location.pathname.replace(/[^/]*$/, ''); // /_portable/
const state = { catalog: null, last: 0, invocations: [], tab: 'functions', deadLetterQueue: null, documents: { repository: null, after: '' } };

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function fill(tbody, rows) { tbody.replaceChildren(...rows); }
function $(id) { return document.getElementById(id); }
function status(text) { $('status').textContent = text || ''; }
function ms(value) { return value < 10 ? value.toFixed(2) + ' ms' : value.toFixed(1) + ' ms'; }
function time(text) { return new Date(text).toISOString().replace('T', ' ').replace('Z', ''); }
function pretty(text) { try { return JSON.stringify(JSON.parse(text), null, 2); } catch { return text; } }
function problemText(body) { try { const p = JSON.parse(body); return p.detail || p.title || body; } catch { return body; } }

async function call(path, options) {
  const response = await fetch(base + path, Object.assign({ headers: { 'Accept': 'application/json' } }, options));
  const text = await response.text();
  return { ok: response.ok, status: response.status, text, json: () => JSON.parse(text) };
}

async function getJson(path) {
  const answer = await call(path);
  if (!answer.ok) throw new Error(`GET ${base}${path} answered ${answer.status}: ${problemText(answer.text)}`);
  status('');
  return answer.json();
}

function guard(work) {
  return (...args) => Promise.resolve(work(...args)).catch(e => status(e.message));
}

// ---- tabs
function show(tab) {
  state.tab = tab;
  for (const button of document.querySelectorAll('#tabs button')) button.classList.toggle('active', button.dataset.tab === tab);
  for (const section of document.querySelectorAll('main > section')) section.classList.toggle('active', section.id === tab);
  const load = { functions: loadFunctions, invocations: pollInvocations, queues: loadQueues, schedules: loadSchedules, repositories: loadRepositories, cost: loadCost }[tab];
  guard(load)();
}

// ---- functions
function triggerText(t) {
  switch (t.kind) {
    case 'Http': case 'http': return `HTTP ${t.method} ${t.route}`;
    case 'Queue': case 'queue': return `queue ${t.name}`;
    case 'Topic': case 'topic': return `topic ${t.name}`;
    case 'Schedule': case 'schedule': return `schedule ${t.cron}`;
    case 'Event': case 'event': return `event ${t.eventType}`;
    default: return JSON.stringify(t);
  }
}

function settingsText(s) {
  if (!s) return '';
  return Object.entries(s).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => `${k}: ${v}`).join(', ');
}

async function loadCatalog() {
  if (state.catalog) return state.catalog;
  state.catalog = await getJson('functions');
  $('app-name').textContent = state.catalog.app || '';
  const names = state.catalog.functions.map(f => f.name);
  $('invoke-function').replaceChildren(...names.map(n => el('option', { value: n }, n)));
  $('invocation-filter').replaceChildren(el('option', { value: '' }, 'all'), ...names.map(n => el('option', { value: n }, n)));
  const queues = [...new Set(state.catalog.functions.filter(f => /queue|topic/i.test(f.trigger.kind)).map(f => f.trigger.name))];
  $('send-queue').replaceChildren(...queues.map(q => el('option', { value: q }, q)));
  return state.catalog;
}

async function loadFunctions() {
  const catalog = await loadCatalog();
  fill($('function-table').tBodies[0], catalog.functions.map(f => {
    const uses = f.uses ? [...(f.uses.queues || []).map(q => 'queue ' + q), ...(f.uses.topics || []).map(t => 'topic ' + t)] : [];
    const sends = [...(f.sends || []), ...uses];
    return el('tr', { 'data-function': f.name },
      el('td', {}, el('strong', {}, f.name)),
      el('td', {}, triggerText(f.trigger)),
      el('td', {}, `${f.input || '-'} → ${f.output || '-'}`),
      el('td', {}, [...new Set(sends)].join(', ') || '-'),
      el('td', { class: 'muted' }, settingsText(f.settings)));
  }));
}

async function invoke(event) {
  event.preventDefault();
  const name = $('invoke-function').value;
  const body = $('invoke-body').value;
  try { JSON.parse(body); } catch (e) { status('The body is not JSON: ' + e.message); return; }
  const started = performance.now();
  const answer = await call(`functions/${encodeURIComponent(name)}/invoke`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
  $('invoke-result').hidden = false;
  $('invoke-status').textContent = `${name} answered ${answer.status} in ${(performance.now() - started).toFixed(0)} ms`;
  $('invoke-status').className = answer.ok ? 'outcome-success' : 'outcome-error';
  $('invoke-answer').textContent = answer.text ? pretty(answer.text) : '(no body)';
  status('');
}

// ---- invocations and traces
// One poll at a time: the tab's own load and the live timer would otherwise both ask for the spans after the same number and
// list them twice.
let polling = null;
function pollInvocations() {
  polling = polling || pollOnce().finally(() => { polling = null; });
  return polling;
}

async function pollOnce() {
  await loadCatalog();
  const page = await getJson(`api/invocations?after=${state.last}&limit=500`);
  if (page.spans.length) {
    state.invocations = page.spans.concat(state.invocations).slice(0, page.capacity);
  }
  state.last = page.last; // the host's own number: after a restart of the host it starts again, and so does the page
  renderInvocations();
}

function renderInvocations() {
  const filter = $('invocation-filter').value;
  const shown = state.invocations.filter(s => !filter || s.function === filter);
  $('invocation-count').textContent = `${shown.length} shown (the host keeps the last 500 spans)`;
  fill($('invocation-table').tBodies[0], shown.map(s => el('tr', { 'data-function': s.function, 'data-outcome': s.outcome },
    el('td', { class: 'muted' }, time(s.start)),
    el('td', {}, s.function),
    el('td', {}, s.trigger || ''),
    el('td', { class: 'outcome-' + s.outcome, title: s.error || '' }, s.outcome),
    el('td', { class: 'num' }, ms(s.durationMs)),
    el('td', { class: 'num' }, s.attempt ?? ''),
    el('td', {}, el('button', { type: 'button', class: 'link trace-link', 'data-trace': s.traceId, onclick: () => guard(openTrace)(s.traceId) }, s.traceId.slice(0, 12) + '…')))));
}

async function openTrace(traceId) {
  const page = await getJson(`api/traces/${encodeURIComponent(traceId)}`);
  $('trace').hidden = false;
  $('trace-id').textContent = traceId;
  const spans = page.spans;
  if (!spans.length) { $('waterfall').replaceChildren(el('p', { class: 'muted' }, 'No span of this trace is kept any more.')); return; }
  const start = Math.min(...spans.map(s => Date.parse(s.start)));
  const end = Math.max(...spans.map(s => Date.parse(s.start) + s.durationMs));
  const total = Math.max(end - start, 1);
  const depth = new Map();
  const byId = new Map(spans.map(s => [s.spanId, s]));
  const depthOf = s => {
    if (depth.has(s.spanId)) return depth.get(s.spanId);
    const parent = s.parentSpanId && byId.get(s.parentSpanId);
    const d = parent && parent !== s ? depthOf(parent) + 1 : 0;
    depth.set(s.spanId, d);
    return d;
  };
  $('waterfall').replaceChildren(
    el('p', { class: 'muted' }, `${spans.length} spans over ${ms(total)}`),
    ...spans.map(s => {
      const bar = el('div', { class: `waterfall-bar ${s.kind}${s.outcome === 'error' ? ' error' : ''}`, title: `${s.name}: ${ms(s.durationMs)}` });
      bar.style.left = ((Date.parse(s.start) - start) / total * 100) + '%';
      bar.style.width = (s.durationMs / total * 100) + '%';
      const label = el('div', { class: 'waterfall-name' }, '\u00a0'.repeat(depthOf(s) * 3), s.name, s.function ? '' : el('span', { class: 'muted' }, ` (${s.kind})`));
      return el('div', { class: 'waterfall-row', 'data-span': s.name }, label, el('div', { class: 'waterfall-track' }, bar), el('div', { class: 'num' }, ms(s.durationMs)));
    }));
}

// ---- queues
async function loadQueues() {
  await loadCatalog();
  const stats = await getJson('queues');
  fill($('queue-table').tBodies[0], stats.map(q => el('tr', { 'data-queue': q.queue },
    el('td', {}, q.queue),
    el('td', { class: 'num' }, q.ready),
    el('td', { class: 'num' }, q.inFlight),
    el('td', { class: 'num' }, q.delayed),
    el('td', { class: 'num' }, q.deadLettered),
    el('td', {}, el('button', { type: 'button', class: 'show-dead-letters', onclick: () => guard(loadDeadLetters)(q.queue) }, 'Dead letters')))));
  if (state.deadLetterQueue) await loadDeadLetters(state.deadLetterQueue);
}

async function loadDeadLetters(queue) {
  if (state.deadLetterQueue !== queue) $('redrive-result').textContent = '';
  state.deadLetterQueue = queue;
  const letters = await getJson(`queues/${encodeURIComponent(queue)}/dead-letters`);
  $('dead-letters').hidden = false;
  $('dead-letter-queue').textContent = queue;
  fill($('dead-letter-table').tBodies[0], letters.length
    ? letters.map(d => el('tr', { 'data-id': d.id },
      el('td', {}, el('code', {}, d.id)),
      el('td', { class: 'num' }, d.attempts),
      el('td', {}, d.lastError || ''),
      el('td', {}, el('pre', {}, pretty(d.body))),
      el('td', { class: 'muted' }, time(d.enqueuedAt)),
      el('td', {}, el('button', { type: 'button', class: 'redrive', onclick: () => guard(redrive)(queue, d.id) }, 'Redrive'))))
    : [el('tr', {}, el('td', { colspan: 6, class: 'muted' }, 'No dead letters.'))]);
}

async function redrive(queue, id) {
  const query = id ? `?id=${encodeURIComponent(id)}` : '';
  const answer = await call(`queues/${encodeURIComponent(queue)}/dead-letters/redrive${query}`, { method: 'POST' });
  if (!answer.ok) throw new Error(`Redrive answered ${answer.status}: ${problemText(answer.text)}`);
  $('redrive-result').textContent = `Redriven: ${answer.json().redriven} message(s) of ${queue}.`;
  $('redrive-result').className = 'outcome-success';
  await loadQueues();
}

async function send(event) {
  event.preventDefault();
  const queue = $('send-queue').value;
  const answer = await call(`queues/${encodeURIComponent(queue)}/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: $('send-body').value });
  $('send-result').textContent = answer.ok ? `Sent to ${queue} (${answer.status}).` : `Refused (${answer.status}): ${problemText(answer.text)}`;
  $('send-result').className = answer.ok ? 'outcome-success' : 'outcome-error';
  await loadQueues();
}

// ---- schedules
async function loadSchedules() {
  const schedules = await getJson('api/schedules');
  fill($('schedule-table').tBodies[0], schedules.length
    ? schedules.map(s => el('tr', { 'data-function': s.function },
      el('td', {}, s.function),
      el('td', {}, el('code', {}, s.cron), s.running ? '' : el('span', { class: 'muted' }, ' (not running: fire by hand)')),
      el('td', {}, s.next.map(time).join(', ')),
      el('td', {}, el('button', { type: 'button', onclick: () => guard(fire)(s.function) }, 'Fire now'))))
    : [el('tr', {}, el('td', { colspan: 4, class: 'muted' }, 'No schedule functions.'))]);
}

async function fire(name) {
  const answer = await call(`api/schedules/${encodeURIComponent(name)}/fire`, { method: 'POST' });
  if (!answer.ok) throw new Error(`Fire answered ${answer.status}: ${problemText(answer.text)}`);
  const result = answer.json();
  $('fire-result').textContent = `${result.function}: ${result.outcome} (invocation ${result.invocationId})`;
  $('fire-result').className = 'outcome-' + result.outcome;
}

// ---- repositories
async function loadRepositories() {
  const repositories = await getJson('api/repositories');
  fill($('repository-table').tBodies[0], repositories.map(r => el('tr', { 'data-repository': r.name },
    el('td', {}, el('button', { type: 'button', class: 'link', onclick: () => guard(loadDocuments)(r.name, '') }, r.name)),
    el('td', { class: 'muted' }, r.type || ''),
    el('td', { class: 'num' }, r.count))));
}

async function loadDocuments(repository, after) {
  state.documents = { repository, after };
  const page = await getJson(`api/repositories/${encodeURIComponent(repository)}/documents?limit=20&after=${encodeURIComponent(after)}`);
  $('documents').hidden = false;
  $('document-body').hidden = true;
  $('document-repository').textContent = repository;
  fill($('document-table').tBodies[0], page.documents.length
    ? page.documents.map(d => el('tr', {},
      el('td', {}, el('button', { type: 'button', class: 'link', onclick: () => guard(readDocument)(repository, d.id) }, d.id)),
      el('td', {}, el('code', {}, d.version)),
      el('td', { class: 'muted' }, time(d.updatedAt))))
    : [el('tr', {}, el('td', { colspan: 3, class: 'muted' }, 'No documents.'))]);
  $('document-next').disabled = !page.next;
  $('document-next').onclick = () => guard(loadDocuments)(repository, page.next);
  $('document-first').onclick = () => guard(loadDocuments)(repository, '');
}

async function readDocument(repository, id) {
  const document = await getJson(`api/repositories/${encodeURIComponent(repository)}/documents/${encodeURIComponent(id)}`);
  $('document-body').hidden = false;
  $('document-body').textContent = `${id}  (version ${document.version})\n\n${pretty(document.body)}`;
}

// ---- cost (the model and its numbers are the host's: GET /_portable/api/cost?requests=N)
function money(value, currency) {
  return typeof value === 'number' ? value.toLocaleString('en-US', { style: 'currency', currency: currency || 'USD', maximumFractionDigits: value < 10 ? 4 : 2 }) : '';
}

function number(value) { return typeof value === 'number' ? value.toLocaleString('en-US', { maximumFractionDigits: 2 }) : (value ?? ''); }

async function loadCost(event) {
  if (event) event.preventDefault();
  const requests = $('cost-requests').value;
  const answer = await call('api/cost' + (requests ? `?requests=${encodeURIComponent(requests)}` : ''));
  const target = $('cost-result');
  if (!answer.ok) {
    target.replaceChildren(el('p', { class: 'outcome-error' }, `The cost projection answered ${answer.status}: ${problemText(answer.text)}`));
    return;
  }
  const cost = answer.json();
  const currency = cost.currency || 'USD';
  const parts = [el('p', { class: 'muted' }, `Prices of ${cost.pricesDate || 'unknown date'}, in ${currency}.`)];
  for (const f of cost.functions || []) {
    // A function not measured yet has null figures (the endpoint writes them): show only what is known.
    const facts = [['invocations', f.invocations], ['p50', f.p50Ms != null ? ms(f.p50Ms) : ''], ['p95', f.p95Ms != null ? ms(f.p95Ms) : ''],
      ['peak memory', f.peakMemoryMb != null ? f.peakMemoryMb + ' MB' : ''], ['memory', f.memoryMb != null ? f.memoryMb + ' MB' : ''],
      ['monthly requests', number(f.monthlyRequests)]].filter(([, v]) => v !== '' && v != null);
    parts.push(el('div', { class: 'cost-function', 'data-function': f.name },
      el('h3', {}, f.name),
      el('p', { class: 'muted' }, facts.map(([k, v]) => `${k}: ${typeof v === 'number' ? number(v) : v}`).join(' · ')),
      el('table', { class: 'cost-table' },
        el('thead', {}, el('tr', {}, el('th', {}, 'Platform'), el('th', { class: 'num' }, 'Per month'), el('th', { class: 'num' }, 'Per million requests'))),
        el('tbody', {}, (f.estimates || []).map(e => el('tr', {},
          el('td', {}, e.platform), el('td', { class: 'num' }, money(e.monthlyUsd, currency)), el('td', { class: 'num' }, money(e.perMillionUsd, currency))))))));
  }
  if (cost.container) parts.push(el('p', {}, `Always-on container ${cost.container.name}: ${money(cost.container.monthlyUsd, currency)} a month.`));
  if ((cost.breakEven || []).length) {
    parts.push(el('h3', {}, 'Break-even against the container'),
      el('ul', { id: 'break-even' }, cost.breakEven.map(b => el('li', {},
        `${b.function} on ${b.platform}: `, b.requestsPerMonth === null || b.requestsPerMonth === undefined ? 'never' : `${number(b.requestsPerMonth)} requests a month`))));
  }
  target.replaceChildren(...parts);
}

// ---- start
document.addEventListener('DOMContentLoaded', () => {
  for (const button of document.querySelectorAll('#tabs button')) button.addEventListener('click', () => show(button.dataset.tab));
  $('invoke-form').addEventListener('submit', guard(invoke));
  $('send-form').addEventListener('submit', guard(send));
  $('cost-form').addEventListener('submit', guard(loadCost));
  $('redrive-all').addEventListener('click', () => guard(redrive)(state.deadLetterQueue, null));
  $('invocation-filter').addEventListener('change', renderInvocations);
  // Live updates: poll the ring for spans newer than the last one seen (cheap: the answer is empty when nothing ran).
  setInterval(() => {
    if (document.hidden) return;
    if (state.tab === 'invocations' && $('live').checked) guard(pollInvocations)();
    if (state.tab === 'queues') guard(loadQueues)();
  }, 1000);
  const first = location.hash.slice(1);
  show(document.getElementById(first)?.classList.contains('tab') ? first : 'functions');
});
