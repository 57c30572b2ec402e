// The licence checker page: the verdict as you type, from the licence engine compiled to
// WebAssembly (nothing leaves the browser), else from the server's JSON API. The form is a
// plain GET form the server answers too, so the page works without this script; the state is
// the query string (?inbound=...&inbound=...&outbound=...&use=...), so every result is a link.
// Everything shown is set with textContent: no markup is ever built from data.

const form = document.getElementById('checker');
const list = document.getElementById('component-list');
const addButton = document.getElementById('add-component');
const result = document.getElementById('result');
const statusLine = document.getElementById('engine-status');
const shareLink = document.getElementById('share-link');
const datalist = document.getElementById('spdx-ids');

/** How checks are answered: 'wasm' (in the browser), 'api' (the server) or 'none'. */
let mode = 'none';
let checker = null;
let engineUrl = form.dataset.engine ? new URL(form.dataset.engine, document.baseURI) : null;
let instances = 0;
/** The SPDX list for suggestions: {id, name, exception}. */
let entries = [];
let pending = null;

// ---- the engine --------------------------------------------------------------------------

async function loadEngine() {
  instances += 1;
  // A fresh module URL gives a fresh WebAssembly instance (after an internal error).
  const url = instances === 1 ? engineUrl.href : `${engineUrl.href}?instance=${instances}`;
  const bindings = await import(url);
  await bindings.default({ module_or_path: new URL('ospo_wasm_bg.wasm', engineUrl) });
  checker = new bindings.Checker();
  return bindings;
}

/** The report for a request, or throws an Error whose message is shown to the visitor. */
async function check(request) {
  if (mode === 'wasm') {
    try {
      return checker.check(request);
    } catch (e) {
      if (e && (e.name === 'InternalError' || e instanceof WebAssembly.RuntimeError)) {
        // The engine's memory may be inconsistent after an internal error: load a fresh one.
        loadEngine().catch(() => useApi('the engine failed and could not be reloaded'));
      }
      throw e;
    }
  }
  pending?.abort();
  pending = new AbortController();
  const response = await fetch(form.dataset.api, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(request),
    signal: pending.signal,
  });
  const body = await response.json();
  if (!response.ok) throw new Error(body.detail ?? body.title ?? `HTTP ${response.status}`);
  return body;
}

function useApi(why) {
  if (form.dataset.api) {
    mode = 'api';
    setStatus(`Each check is sent to this server's JSON API (${why}).`);
  } else {
    mode = 'none';
    setStatus(`The checker cannot run: ${why}.`);
  }
}

function setStatus(text) {
  statusLine.textContent = text;
  form.dataset.mode = mode;
}

// ---- the form and the URL ----------------------------------------------------------------

function inputs() {
  return [...list.querySelectorAll('input[name="inbound"]')];
}

function currentRequest() {
  return {
    inbound: inputs().map((i) => i.value.trim()).filter((v) => v !== ''),
    outbound: form.elements.outbound.value.trim(),
    use: form.querySelector('input[name="use"]:checked')?.value ?? 'merged',
  };
}

function queryOf(request) {
  const params = new URLSearchParams();
  for (const inbound of request.inbound) params.append('inbound', inbound);
  if (request.outbound) params.set('outbound', request.outbound);
  params.set('use', request.use);
  return params.toString();
}

function renumber() {
  const items = [...list.children];
  items.forEach((li, i) => {
    const n = i + 1;
    const input = li.querySelector('input');
    const label = li.querySelector('label');
    input.id = `inbound-${n}`;
    label.htmlFor = input.id;
    label.textContent = `Component ${n}`;
    const remove = li.querySelector('button.remove');
    remove.setAttribute('aria-label', `Remove component ${n}`);
    remove.hidden = items.length === 1;
  });
}

function addComponent(value = '') {
  const template = list.firstElementChild;
  const li = template.cloneNode(true);
  li.querySelector('input').value = value;
  list.append(li);
  wire(li);
  renumber();
  return li.querySelector('input');
}

function wire(li) {
  const input = li.querySelector('input');
  input.addEventListener('input', () => { suggest(input); update(); });
  input.addEventListener('focus', () => suggest(input));
  li.querySelector('button.remove').addEventListener('click', () => {
    const previous = li.previousElementSibling ?? li.nextElementSibling;
    li.remove();
    renumber();
    (previous?.querySelector('input') ?? addButton).focus();
    update();
  });
}

/** Fills the form from the query string (the page may come from the offline cache). */
function fromUrl() {
  const params = new URLSearchParams(location.search);
  if (![...params.keys()].length) return;
  const inbound = params.getAll('inbound');
  while (list.children.length > 1) list.lastElementChild.remove();
  inputs()[0].value = inbound[0] ?? '';
  for (const value of inbound.slice(1)) addComponent(value);
  renumber();
  form.elements.outbound.value = params.get('outbound') ?? '';
  const use = params.get('use');
  for (const radio of form.querySelectorAll('input[name="use"]')) radio.checked = radio.value === use;
  if (!form.querySelector('input[name="use"]:checked')) form.querySelector('input[name="use"]').checked = true;
}

/** The SPDX list the server put in the page for browsers without JavaScript (a <noscript>,
 * so with JavaScript it is text): read when the engine is not there to give it. */
function serverList() {
  const text = datalist.querySelector('noscript')?.textContent ?? '';
  const parsed = new DOMParser().parseFromString(`<datalist>${text}</datalist>`, 'text/html');
  return [...parsed.querySelectorAll('option')].map((o) => ({
    id: o.value, name: o.textContent, exception: o.hasAttribute('data-exception'),
  }));
}

// ---- suggestions while typing ------------------------------------------------------------

/** Completes the word being typed with SPDX ids (exceptions after WITH). */
function suggest(input) {
  const match = input.value.match(/^([\s\S]*?)([A-Za-z0-9.+-]*)$/);
  const [head, word] = [match[1], match[2].toLowerCase()];
  const afterWith = /\bWITH\s+$/i.test(head);
  const pool = entries.filter((e) => e.exception === afterWith);
  let found;
  if (word === '') {
    found = afterWith ? pool.slice(0, 40) : [];
  } else {
    const starts = pool.filter((e) => e.id.toLowerCase().startsWith(word));
    const inside = pool.filter((e) => !e.id.toLowerCase().startsWith(word)
      && (e.id.toLowerCase().includes(word) || e.name.toLowerCase().includes(word)));
    found = starts.concat(inside).slice(0, 40);
  }
  const options = found.map((e) => {
    const option = document.createElement('option');
    option.value = head + e.id;
    option.textContent = e.name;
    return option;
  });
  if (options.length || word !== '') datalist.replaceChildren(...options);
}

// ---- the verdict ---------------------------------------------------------------------------

function el(tag, className, ...children) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  for (const child of children) {
    node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return node;
}

function verdictSpan(verdict) {
  return el('span', `v-${verdict}`, verdict);
}

function section(title, className, items) {
  if (!items?.length) return [];
  return [el('h3', null, title), el('ul', className, ...items.map((i) => el('li', null, ...i)))];
}

function render(report) {
  const sources = new Map(report.sources.map((s) => [s.key, s]));
  const cite = (b) => {
    const s = sources.get(b.source);
    const text = `${s ? `${s.title} (${s.version})` : b.source}${b.clause ? `, ${b.clause}` : ''}`;
    return el('small', null, 'Basis: ', text);
  };
  const heading = el('h2', null, 'Verdict: ', el('span', `verdict v-${report.verdict}`, report.verdict));
  heading.id = 'result-heading';
  const nodes = [heading, el('p', 'explanation', report.explanation)];
  nodes.push(...section('OR branch chosen', 'choices', report.choices?.map((c) => [
    el('code', null, c.expression), ': ', el('strong', null, c.chosen), `. ${c.reason}`,
  ])));
  if (report.verdict !== 'no') {
    nodes.push(...section(report.verdict === 'yes' ? 'Obligations' : 'Conditions', 'conditions',
      report.conditions?.map((c) => [c])));
  }
  nodes.push(...section('What would work', 'fixes', report.fixes?.map((f) => [
    f.kind === 'branch' ? 'Take the branch ' : 'Outbound licence ', el('strong', null, f.take),
    ' (', verdictSpan(f.verdict), `): ${f.reason}`,
  ])));
  nodes.push(...section('How the input was read', 'warnings', report.warnings?.map((w) => [
    `‘${w.found}’ read as `, el('code', null, w.read_as), `: ${w.message}`,
  ])));
  nodes.push(...section('Findings', 'findings', report.findings.map((f) => {
    const parts = [el('code', null, f.inbound), ' → ', el('code', null, f.outbound), ': ',
      verdictSpan(f.verdict), `. ${f.explanation}`];
    for (const c of f.conditions ?? []) parts.push(el('br'), el('small', null, `Condition: ${c}`));
    for (const b of f.basis) parts.push(el('br'), cite(b));
    if (f.disputed) parts.push(el('br'), el('small', null, `Disputed: ${f.disputed.explanation}`));
    return parts;
  })));
  nodes.push(...section('Sources', 'sources', report.sources.map((s) => {
    let title = s.title;
    if (s.url && /^https?:\/\//.test(s.url)) {
      title = el('a', null, s.title);
      title.href = s.url;
    }
    return [title, ` (${s.version})`];
  })));
  result.replaceChildren(...nodes);
}

/** A message in place of the verdict; `error` for input the engine cannot read. No role=alert:
 * an expression is unreadable at most keystrokes while it is typed, and the result region is
 * already announced politely. */
function renderMessage(title, text, error) {
  const heading = el('h2', null, title);
  heading.id = 'result-heading';
  result.replaceChildren(heading, error ? el('pre', 'error', text) : el('p', 'explanation', text));
}

let generation = 0;

async function update() {
  const request = currentRequest();
  const query = queryOf(request);
  history.replaceState(null, '', `${location.pathname}?${query}`);
  shareLink.href = location.href;
  if (!request.inbound.length || !request.outbound) {
    renderMessage('Verdict', 'Give at least one component’s licence and the outbound licence.', false);
    return;
  }
  if (mode === 'none') return;
  const mine = ++generation;
  const started = performance.now();
  try {
    const report = await check(request);
    if (mine !== generation) return;
    render(report);
    result.dataset.ms = String(performance.now() - started);
  } catch (e) {
    if (e?.name === 'AbortError' || mine !== generation) return;
    renderMessage('The question could not be read', e?.message ?? String(e), true);
  }
}

// ---- offline -------------------------------------------------------------------------------

/** Keeps the page and the engine in the browser's cache; the service worker answers from it
 * when the network is gone, so the page reloads and checks offline. */
async function keepOffline() {
  if (!('serviceWorker' in navigator) || !('caches' in window) || !form.dataset.worker) return;
  const options = form.dataset.scope ? { scope: form.dataset.scope } : undefined;
  await navigator.serviceWorker.register(new URL(form.dataset.worker, document.baseURI), options);
  const cache = await caches.open('ospo-checker-v1');
  const here = new URL(import.meta.url);
  await cache.addAll([
    location.pathname,
    here.href,
    new URL('checker.css', here).href,
    engineUrl.href,
    new URL('ospo_wasm_bg.wasm', engineUrl).href,
  ]);
  form.dataset.offline = 'ready';
}

// ---- start ---------------------------------------------------------------------------------

async function start() {
  fromUrl();
  for (const li of list.children) wire(li);
  addButton.hidden = false;
  addButton.addEventListener('click', () => { addComponent().focus(); update(); });
  renumber();
  form.elements.outbound.addEventListener('input', (e) => { suggest(e.target); update(); });
  form.elements.outbound.addEventListener('focus', (e) => suggest(e.target));
  for (const radio of form.querySelectorAll('input[name="use"]')) radio.addEventListener('change', update);
  form.addEventListener('submit', (e) => { e.preventDefault(); update(); });

  if (!engineUrl) {
    useApi('this server has no WebAssembly build of the engine');
    entries = serverList();
  } else if (form.dataset.api) {
    // Until the engine has loaded into the browser, the server answers.
    mode = 'api';
    setStatus('Checked on this server until the engine has loaded into your browser.');
  }
  // From here on, typing gets verdicts (from the server until the engine has loaded).
  performance.mark('checker-interactive');
  if (engineUrl) {
    try {
      await loadEngine();
      performance.mark('checker-engine');
      mode = 'wasm';
      entries = checker.licences().filter((e) => !e.deprecated);
      setStatus(`Checked in your browser by the licence engine compiled to WebAssembly (SPDX list ${checker.spdxVersion()}): nothing you type is sent anywhere, and the page keeps working offline once loaded.`);
    } catch (e) {
      useApi(`the WebAssembly engine could not be loaded: ${e?.message ?? e}`);
      entries = serverList();
    }
  }
  await update();
  // Start-up is over: the mode (wasm, api or none) is final.
  form.dataset.ready = 'true';
  performance.mark('checker-engine-verdict');
  if (mode === 'wasm') keepOffline().catch(() => { form.dataset.offline = 'unavailable'; });
}

start();
