// The ScriptMonitor dashboard: reads the native JSON API with the key its user types. Every piece of data is put on
// the page as text (textContent), never as markup: script names and output are written by whoever runs the jobs.
const KEY_STORAGE = "scriptmon.key";
const ZONE_STORAGE = "scriptmon.zone";
const POLL_MS = 3000;
const PAGE_SIZE = 50;
const RUNS_PAGE = 10000;
const MAX_CHART_RUNS = 20000;

const SEVERITY = {
  Failing: "bad", Missing: "bad", Late: "bad", Abandoned: "bad", RunningTooLong: "bad", Skipped: "bad", Unknown: "bad",
  TooOften: "warn", TooRare: "warn", RuntimeTooShort: "warn", RuntimeTooLong: "warn", NeverRan: "warn", FutureRun: "warn",
  Paused: "neutral", Maintenance: "neutral", Learning: "neutral",
  Up: "ok",
};
const SEVERITY_RANK = { bad: 0, warn: 1, neutral: 2, ok: 3 };

const $ = (id) => document.getElementById(id);
const state = {
  key: sessionStorage.getItem(KEY_STORAGE) || "",
  zone: localStorage.getItem(ZONE_STORAGE) || "local",
  who: null,
  rows: [],
  page: 0,
  filter: { search: "", state: "", tag: "", host: "" },
  script: null,
  range: { seconds: 604800, from: null, to: null },
  runs: [],
  timer: 0,
  generation: 0,
};

// --- API ------------------------------------------------------------------------------------------------------------

class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

async function api(path, options = {}) {
  const headers = { Accept: "application/json" };
  if (state.key) headers.Authorization = "Bearer " + state.key;
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch("/api/v1" + path, {
    method: options.method || "GET",
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    credentials: "omit",
    cache: "no-store",
  });
  if (!response.ok) {
    let detail = response.statusText;
    try { const problem = await response.json(); detail = problem.detail || problem.title || detail; } catch { /* not JSON */ }
    throw new ApiError(response.status, detail);
  }
  return response.json();
}

const scriptPath = (name) => "/scripts/" + encodeURIComponent(name);

// --- Formatting -----------------------------------------------------------------------------------------------------

function timeZone(scriptZone) {
  if (state.zone === "utc") return "UTC";
  if (state.zone === "script" && scriptZone) return scriptZone;
  return undefined;
}

function formatTime(iso, scriptZone) {
  if (!iso) return "—";
  const zone = timeZone(scriptZone);
  const text = new Intl.DateTimeFormat(undefined, {
    year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit",
    hour12: false, timeZone: zone, timeZoneName: "short",
  }).format(new Date(iso));
  return text;
}

function formatDuration(seconds) {
  if (seconds === null || seconds === undefined) return "—";
  const s = Math.abs(seconds);
  if (s < 1) return seconds.toFixed(2) + " s";
  if (s < 120) return seconds.toFixed(s < 10 ? 1 : 0) + " s";
  if (s < 7200) return (seconds / 60).toFixed(1) + " min";
  if (s < 172800) return (seconds / 3600).toFixed(1) + " h";
  return (seconds / 86400).toFixed(1) + " days";
}

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function badge(health) {
  const word = health || "Not evaluated";
  const node = el("span", word, "badge sev-" + (SEVERITY[health] || "neutral"));
  return node;
}

function showMessage(text) {
  const message = $("message");
  message.textContent = text || "";
  message.hidden = !text;
}

// --- Access ---------------------------------------------------------------------------------------------------------

async function learnWho() {
  try {
    state.who = await api("/whoami");
    $("who").textContent = state.who.anonymous ? "Reading without a key" : `Key “${state.who.name}” (${state.who.scope})`;
    return true;
  } catch (error) {
    state.who = null;
    $("who").textContent = "";
    if (error.status === 401) showMessage(state.key ? "The key is unknown or revoked. Type another." : "Type a read or admin key to see the scripts.");
    else if (error.status === 403) showMessage("This key may not read; type a read or admin key.");
    else showMessage("The server does not answer: " + error.message);
    return false;
  }
}

const isAdmin = () => state.who && state.who.scope === "admin";

// --- Overview -------------------------------------------------------------------------------------------------------

async function loadOverview(pending) {
  const overview = await (pending || api("/overview"));
  const rows = [];
  for (const s of overview.scripts) {
    const severity = SEVERITY[s.health] || "neutral";
    rows.push({
      name: s.name, health: s.health || "", reason: s.reason || "", severity, rank: SEVERITY_RANK[severity],
      lastSuccess: s.lastSuccessAt, age: s.lastSuccessAgeSeconds, hosts: s.hosts, tags: s.tags, lower: s.name.toLowerCase(),
    });
  }
  rows.sort((a, b) => a.rank - b.rank || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  state.rows = rows;
  fillFilters();
  renderOverview();
}

function fillSelect(select, values, current) {
  const known = [...select.options].slice(1).map((o) => o.value);
  if (known.length === values.length && known.every((v, i) => v === values[i])) return;
  while (select.options.length > 1) select.remove(1);
  for (const value of values) {
    const option = el("option", value);
    option.value = value;
    select.add(option);
  }
  select.value = values.includes(current) ? current : "";
}

function fillFilters() {
  const states = new Set(), tags = new Set(), hosts = new Set();
  for (const row of state.rows) {
    if (row.health) states.add(row.health);
    for (const t of row.tags) tags.add(t);
    for (const h of row.hosts) hosts.add(h);
  }
  fillSelect($("state-filter"), [...states].sort((a, b) => SEVERITY_RANK[SEVERITY[a] || "neutral"] - SEVERITY_RANK[SEVERITY[b] || "neutral"] || a.localeCompare(b)), state.filter.state);
  fillSelect($("tag-filter"), [...tags].sort(), state.filter.tag);
  fillSelect($("host-filter"), [...hosts].sort(), state.filter.host);
}

function filteredRows() {
  const f = state.filter;
  const search = f.search.toLowerCase();
  return state.rows.filter((row) =>
    (!f.state || row.health === f.state) &&
    (!f.tag || row.tags.includes(f.tag)) &&
    (!f.host || row.hosts.includes(f.host)) &&
    (!search || row.lower.includes(search)));
}

function renderCounts() {
  const counts = new Map();
  for (const row of state.rows) counts.set(row.health, (counts.get(row.health) || 0) + 1);
  const box = $("counts");
  const buttons = [];
  const all = el("button", `All ${state.rows.length}`);
  all.type = "button";
  all.dataset.state = "";
  buttons.push(all);
  const ordered = [...counts.keys()].sort((a, b) => SEVERITY_RANK[SEVERITY[a] || "neutral"] - SEVERITY_RANK[SEVERITY[b] || "neutral"] || a.localeCompare(b));
  for (const health of ordered) {
    const button = el("button", null, "count");
    button.type = "button";
    button.dataset.state = health;
    button.append(badge(health), " " + counts.get(health));
    buttons.push(button);
  }
  for (const button of buttons) button.setAttribute("aria-pressed", String(button.dataset.state === state.filter.state));
  box.replaceChildren(...buttons);
}

function renderOverview() {
  renderCounts();
  const rows = filteredRows();
  const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
  state.page = Math.min(state.page, pages - 1);
  const start = state.page * PAGE_SIZE;
  const shown = rows.slice(start, start + PAGE_SIZE);
  const now = Date.now();
  const body = document.createDocumentFragment();
  for (const row of shown) {
    const tr = document.createElement("tr");
    tr.dataset.script = row.name;
    const health = el("td", null, "health");
    health.append(badge(row.health));
    const name = el("td", null, "name");
    const link = el("a", row.name);
    link.href = "#/script/" + encodeURIComponent(row.name);
    name.append(link);
    const last = el("td", null, "last");
    if (row.lastSuccess) {
      last.append(el("span", formatTime(row.lastSuccess)), el("br"), el("span", formatDuration(row.age) + " ago", "age"));
    } else {
      last.textContent = "never";
    }
    tr.append(health, name, el("td", row.reason, "reason"), last, el("td", row.hosts.join(", "), "hosts"));
    body.append(tr);
  }
  $("scripts").tBodies[0].replaceChildren(body);
  $("page-info").textContent = rows.length === 0
    ? "No scripts match."
    : `Scripts ${start + 1}–${start + shown.length} of ${rows.length}, page ${state.page + 1} of ${pages}`;
  $("prev-page").disabled = state.page === 0;
  $("next-page").disabled = state.page >= pages - 1;
  if (!performance.getEntriesByName("overview-rows").length && shown.length) performance.mark("overview-rows");
}

function bindOverview() {
  const refilter = () => { state.page = 0; renderOverview(); };
  $("search").addEventListener("input", (e) => {
    const started = performance.now();
    state.filter.search = e.target.value.trim();
    refilter();
    performance.measure("filter", { start: started, end: performance.now() });
  });
  $("state-filter").addEventListener("change", (e) => { state.filter.state = e.target.value; refilter(); });
  $("tag-filter").addEventListener("change", (e) => { state.filter.tag = e.target.value; refilter(); });
  $("host-filter").addEventListener("change", (e) => { state.filter.host = e.target.value; refilter(); });
  $("filters").addEventListener("submit", (e) => e.preventDefault());
  $("counts").addEventListener("click", (e) => {
    const button = e.target.closest("button");
    if (!button) return;
    state.filter.state = button.dataset.state;
    $("state-filter").value = state.filter.state;
    refilter();
  });
  $("prev-page").addEventListener("click", () => { state.page--; renderOverview(); });
  $("next-page").addEventListener("click", () => { state.page++; renderOverview(); });
}

// --- A script's page ------------------------------------------------------------------------------------------------

function rangeBounds() {
  if (state.range.from !== null) return { from: state.range.from, to: state.range.to };
  const to = Date.now();
  return { from: to - state.range.seconds * 1000, to };
}

async function loadRuns(name, from) {
  const runs = [];
  let before = null;
  do {
    const query = new URLSearchParams({ since: new Date(from).toISOString(), limit: String(RUNS_PAGE) });
    if (before) query.set("before", before);
    const page = await api(scriptPath(name) + "/runs?" + query);
    runs.push(...page.runs);
    before = page.next;
  } while (before && runs.length < MAX_CHART_RUNS);
  return runs;
}

async function loadScript(name) {
  const { from } = rangeBounds();
  const [script, runs] = await Promise.all([api(scriptPath(name)), loadRuns(name, from)]);
  if (!state.script || state.script.name !== name) return;
  state.script.view = script;
  state.runs = runs;
  state.script.flips = await loadFlips(name);
  renderScript();
}

// The changes of state the server's alert loop recorded; a server without that route has no timeline to show.
async function loadFlips(name) {
  if (state.noFlips) return null;
  try {
    return (await api(scriptPath(name) + "/flips?limit=50")).flips;
  } catch (error) {
    if (error.status === 404) { state.noFlips = /no endpoint/.test(error.message); return null; }
    throw error;
  }
}

function renderFlips(flips, zone) {
  $("flips-section").hidden = !flips;
  if (!flips) return;
  const list = document.createDocumentFragment();
  for (const flip of flips) {
    const item = el("li");
    item.append(el("span", formatTime(flip.at, zone), "when"));
    if (flip.from) item.append(badge(flip.from), " → ");
    item.append(badge(flip.to));
    if (flip.quiet) item.append(" (not told)");
    if (flip.reason) item.append(el("span", flip.reason, "why"));
    list.append(item);
  }
  if (!flips.length) list.append(el("li", "No change of state recorded."));
  $("flips").replaceChildren(list);
}

function renderScript() {
  const view = state.script.view;
  const status = view.status;
  const expectation = view.expectation;
  $("script-title").textContent = status.name;
  $("script-health").replaceWith(Object.assign(badge(status.health), { id: "script-health" }));
  $("script-reason").textContent = status.reason || "";
  renderAdminControls(!!(expectation && expectation.paused));
  renderZoneChoice(expectation);
  renderExpectation(expectation, status);
  drawChart();
  renderFlips(state.script.flips, expectation && expectation.timeZone);
  renderRuns();
}

// The controls exist only for an admin key: a read key gets no button that could only fail.
function renderAdminControls(paused) {
  const box = $("admin-controls");
  const action = !isAdmin() ? null : paused ? "resume" : "pause";
  if ((box.dataset.action || null) === action) return;
  const hadFocus = box.contains(document.activeElement);
  box.replaceChildren();
  delete box.dataset.action;
  if (!action) return;
  box.dataset.action = action;
  const button = el("button", action === "pause" ? "Pause alerting" : "Resume alerting");
  button.type = "button";
  button.dataset.action = action;
  box.append(button);
  if (hadFocus || state.focusAdmin) button.focus();
  state.focusAdmin = false;
}

function renderZoneChoice(expectation) {
  const select = $("zone-select");
  const zone = expectation && expectation.timeZone;
  let option = select.querySelector('option[value="script"]');
  if (zone) {
    if (!option) { option = el("option"); option.value = "script"; select.add(option); }
    option.textContent = "the script's zone (" + zone + ")";
  } else if (option) {
    option.remove();
  }
  select.value = state.zone === "script" && !zone ? "local" : state.zone;
}

function renderExpectation(e, status) {
  const facts = [];
  if (!e) {
    facts.push(["Expectation", "none set: the health is learned from the history"]);
  } else {
    const schedule = e.scheduleKind === "period" ? "every " + formatDuration(e.everySeconds)
      : e.scheduleKind === "cron" ? `cron “${e.cron}” in ${e.timeZone || "UTC"}` : "learned from the history";
    facts.push(["Schedule", schedule]);
    facts.push(["Grace", formatDuration(e.graceSeconds)]);
    facts.push(["Runtime", e.minRuntimeSeconds !== null || e.maxRuntimeSeconds !== null
      ? `${e.minRuntimeSeconds !== null ? "at least " + formatDuration(e.minRuntimeSeconds) : ""}${e.minRuntimeSeconds !== null && e.maxRuntimeSeconds !== null ? ", " : ""}${e.maxRuntimeSeconds !== null ? "at most " + formatDuration(e.maxRuntimeSeconds) : ""}`
      : "no limits set"]);
    facts.push(["Hosts", e.hosts.length ? `${e.hostMode === "atLeast" ? "at least " + e.atLeast + " of " : e.hostMode === "each" ? "each of " : ""}${e.hosts.join(", ")}` : "any"]);
    facts.push(["Failures tolerated", e.failuresTolerated]);
    if (e.abandonAfterSeconds !== null) facts.push(["Abandoned after", formatDuration(e.abandonAfterSeconds)]);
    facts.push(["Paused", e.paused ? (e.pausedUntil ? "until " + formatTime(e.pausedUntil, e.timeZone) : "until resumed") : "no"]);
    facts.push(["Tags", e.tags.length ? e.tags.join(", ") : "none"]);
  }
  facts.push(["Median runtime (30 days)", formatDuration(status.medianSeconds)]);
  facts.push(["Last success", status.lastSuccess ? formatTime(status.lastSuccess.startedAt, e && e.timeZone) : "never"]);
  const list = document.createDocumentFragment();
  for (const [term, value] of facts) list.append(el("dt", term), el("dd", value));
  $("expectation").replaceChildren(list);
}

function renderRuns() {
  const zone = state.script.view.expectation && state.script.view.expectation.timeZone;
  const body = document.createDocumentFragment();
  for (const run of state.runs.slice(0, 200)) {
    const tr = document.createElement("tr");
    tr.dataset.run = run.runId;
    const output = el("td");
    const button = el("button", "Show output");
    button.type = "button";
    button.dataset.run = run.runId;
    button.setAttribute("aria-label", "Show output of the run started " + formatTime(run.startedAt, zone));
    output.append(button);
    tr.append(el("td", formatTime(run.startedAt, zone)), el("td", run.host), el("td", run.outcome, "outcome-" + run.outcome),
      el("td", run.exitCode ?? "—"), el("td", formatDuration(run.durationSeconds)), output);
    body.append(tr);
  }
  $("runs").tBodies[0].replaceChildren(body);
}

async function showOutput(runId) {
  const run = await api("/runs/" + encodeURIComponent(runId));
  $("output").textContent = run.output || "(no output)";
  $("output-title").textContent = "Output of the run started " + formatTime(run.startedAt);
  $("output-panel").hidden = false;
  $("output").focus();
}

// --- The chart: one canvas, every run a point ----------------------------------------------------------------------

function cssColor(name) { return getComputedStyle(document.documentElement).getPropertyValue(name).trim(); }

function chartModel() {
  const { from, to } = rangeBounds();
  const now = Date.now();
  const points = [];
  for (const run of state.runs) {
    const t = Date.parse(run.startedAt);
    if (t < from || t > to) continue;
    const duration = run.durationSeconds ?? (run.outcome === "running" ? (now - t) / 1000 : 0);
    points.push({ t, d: duration, outcome: run.outcome });
  }
  const e = state.script.view.expectation;
  const median = state.script.view.status.medianSeconds;
  let band = null;
  if (e && (e.minRuntimeSeconds !== null || e.maxRuntimeSeconds !== null)) {
    band = { low: e.minRuntimeSeconds ?? 0, high: e.maxRuntimeSeconds ?? null, kind: "set" };
  } else if (median !== null && median !== undefined) {
    // The learned band: half to twice the median, as a person would read "normal" off the chart.
    band = { low: median / 2, high: median * 2, kind: "learned", median };
  }
  const due = [];
  if (e && e.scheduleKind === "period" && e.everySeconds > 0) {
    const step = e.everySeconds * 1000;
    const anchor = state.runs.length ? Date.parse(state.runs[0].startedAt) : to;
    if ((to - from) / step <= 2000) {
      let t = anchor - Math.ceil((anchor - from) / step) * step;
      for (; t <= to; t += step) if (t >= from) due.push(t);
    }
  }
  return { from, to, points, band, due };
}

function drawChart() {
  const started = performance.now();
  const canvas = $("chart");
  const model = chartModel();
  state.chart = model;
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth || 900, height = canvas.clientHeight || 280;
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
  }
  const ctx = canvas.getContext("2d");
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  const pad = { left: 56, right: 10, top: 10, bottom: 24 };
  const plotW = width - pad.left - pad.right, plotH = height - pad.top - pad.bottom;
  let maxD = 1;
  for (const p of model.points) if (p.d > maxD) maxD = p.d;
  if (model.band) maxD = Math.max(maxD, model.band.high ?? model.band.low);
  maxD *= 1.1;
  const x = (t) => pad.left + ((t - model.from) / (model.to - model.from)) * plotW;
  const y = (d) => pad.top + plotH - (d / maxD) * plotH;
  model.x = x; model.pad = pad; model.plotW = plotW;

  const fg = cssColor("--muted"), line = cssColor("--line");
  ctx.font = "11px system-ui, sans-serif";
  ctx.fillStyle = fg; ctx.strokeStyle = line; ctx.lineWidth = 1;
  ctx.beginPath();
  for (let i = 0; i <= 4; i++) {
    const d = (maxD / 4) * i, yy = Math.round(y(d)) + 0.5;
    ctx.moveTo(pad.left, yy); ctx.lineTo(width - pad.right, yy);
    ctx.fillText(formatDuration(d), 2, yy + 4);
  }
  ctx.stroke();
  // As many time labels as fit: one per 180 px, so they never overlap at phone width.
  const labels = Math.max(1, Math.floor(plotW / 180));
  for (let i = 0; i <= labels; i++) {
    const t = model.from + ((model.to - model.from) / labels) * i;
    const label = formatTime(new Date(t).toISOString()).replace(/:\d\d(?=\D*$)/, "");
    const w = ctx.measureText(label).width;
    ctx.fillText(label, Math.min(Math.max(pad.left, x(t) - w / 2), width - pad.right - w), height - 6);
  }

  if (model.band) {
    ctx.fillStyle = cssColor("--band");
    const top = model.band.high === null ? pad.top : y(model.band.high);
    ctx.fillRect(pad.left, top, plotW, y(model.band.low) - top);
    if (model.band.median !== undefined) {
      ctx.strokeStyle = cssColor("--running");
      ctx.setLineDash([4, 4]);
      ctx.beginPath(); ctx.moveTo(pad.left, y(model.band.median)); ctx.lineTo(width - pad.right, y(model.band.median)); ctx.stroke();
      ctx.setLineDash([]);
    }
  }

  if (model.due.length) {
    ctx.strokeStyle = cssColor("--due");
    ctx.beginPath();
    for (const t of model.due) { const xx = Math.round(x(t)) + 0.5; ctx.moveTo(xx, pad.top + plotH); ctx.lineTo(xx, pad.top + plotH - 6); }
    ctx.stroke();
  }

  // One path per outcome: thousands of points stay one fill call each.
  const colours = { succeeded: cssColor("--ok"), failed: cssColor("--bad"), running: cssColor("--running"), abandoned: cssColor("--warn") };
  for (const outcome of Object.keys(colours)) {
    ctx.fillStyle = colours[outcome];
    ctx.beginPath();
    for (const p of model.points) {
      if (p.outcome !== outcome) continue;
      const px = x(p.t), py = y(p.d);
      ctx.moveTo(px + 3, py); ctx.arc(px, py, 3, 0, Math.PI * 2);
    }
    ctx.fill();
  }

  const bandText = model.band
    ? model.band.kind === "set"
      ? `expected runtime ${formatDuration(model.band.low)} to ${model.band.high === null ? "no limit" : formatDuration(model.band.high)}`
      : `learned band ${formatDuration(model.band.low)} to ${formatDuration(model.band.high)} around the median ${formatDuration(model.band.median)}`
    : "no expected runtime";
  const summary = `${model.points.length} runs from ${formatTime(new Date(model.from).toISOString())} to ${formatTime(new Date(model.to).toISOString())}; ${bandText}; ${model.due.length} due times`;
  canvas.setAttribute("aria-label", "Runtime of each run: " + summary);
  canvas.dataset.points = String(model.points.length);
  canvas.dataset.band = model.band ? `${model.band.low}-${model.band.high ?? ""}` : "";
  canvas.dataset.due = String(model.due.length);
  $("chart-summary").textContent = summary.charAt(0).toUpperCase() + summary.slice(1) + ".";
  // For the performance figures: how long drawing took, and when the first chart with runs was on the page.
  performance.measure("chart-draw", { start: started, end: performance.now() });
  if (model.points.length && !performance.getEntriesByName("chart-drawn").length) performance.mark("chart-drawn");
}

function bindChart() {
  const canvas = $("chart");
  let dragFrom = null;
  const timeAt = (event) => {
    const m = state.chart;
    const rect = canvas.getBoundingClientRect();
    const fraction = Math.min(1, Math.max(0, (event.clientX - rect.left - m.pad.left) / m.plotW));
    return m.from + fraction * (m.to - m.from);
  };
  canvas.addEventListener("pointerdown", (e) => { if (state.chart) dragFrom = timeAt(e); });
  canvas.addEventListener("pointerup", (e) => {
    if (dragFrom === null) return;
    const a = dragFrom, b = timeAt(e);
    dragFrom = null;
    if (Math.abs(b - a) < (state.chart.to - state.chart.from) / 200) return;
    state.range.from = Math.min(a, b);
    state.range.to = Math.max(a, b);
    drawChart();
  });
  document.querySelector(".chart-tools").addEventListener("click", (e) => {
    const button = e.target.closest("button");
    if (!button || !state.script) return;
    if (button.dataset.range) state.range.seconds = Number(button.dataset.range);
    state.range.from = state.range.to = null;
    refresh();
  });
  window.addEventListener("resize", () => { if (state.script && state.script.view) drawChart(); });
}

function bindScript() {
  $("runs").addEventListener("click", (e) => {
    const button = e.target.closest("button[data-run]");
    if (button) showOutput(button.dataset.run).catch((error) => showMessage("The output could not be read: " + error.message));
  });
  $("output-close").addEventListener("click", () => { $("output-panel").hidden = true; });
  $("admin-controls").addEventListener("click", async (e) => {
    const button = e.target.closest("button[data-action]");
    if (!button || !state.script) return;
    const action = button.dataset.action;
    button.disabled = true;
    try {
      await api(scriptPath(state.script.name) + "/" + action, { method: "POST", body: action === "pause" ? {} : undefined });
      state.focusAdmin = true;
      await loadScript(state.script.name);
    } catch (error) {
      button.disabled = false;
      showMessage(`The script could not be ${action}d: ${error.message}`);
    }
  });
}

// --- Routing and polling --------------------------------------------------------------------------------------------

function route() {
  const hash = location.hash;
  const match = /^#\/script\/(.+)$/.exec(hash);
  if (match) {
    const name = decodeURIComponent(match[1]);
    if (!state.script || state.script.name !== name) {
      state.script = { name };
      state.runs = [];
      state.range.from = state.range.to = null;
      $("output-panel").hidden = true;
      $("script-title").textContent = name;
    }
  } else {
    state.script = null;
  }
  $("overview").hidden = !!state.script || !state.who;
  $("script").hidden = !state.script || !state.who;
  refresh();
}

async function refresh() {
  clearTimeout(state.timer);
  const generation = ++state.generation;
  try {
    // The first overview is asked for beside whoami, not after it: it is most of the time to the first rows.
    const pending = state.script ? null : api("/overview");
    pending?.catch(() => { /* answered below, or refused like whoami */ });
    if (!state.who && !(await learnWho())) return;
    $("overview").hidden = !!state.script;
    $("script").hidden = !state.script;
    if (state.script) await loadScript(state.script.name);
    else await loadOverview(pending);
    showMessage("");
  } catch (error) {
    if (error.status === 401 || error.status === 403) { state.who = null; await learnWho(); }
    else showMessage(error.status === 404 && state.script ? "No script of that name." : "The server does not answer: " + error.message);
  } finally {
    if (generation === state.generation) state.timer = setTimeout(refresh, POLL_MS);
  }
}

function bindHeader() {
  $("key-input").value = "";
  $("key-form").addEventListener("submit", (e) => {
    e.preventDefault();
    state.key = $("key-input").value.trim();
    $("key-input").value = "";
    if (state.key) sessionStorage.setItem(KEY_STORAGE, state.key); else sessionStorage.removeItem(KEY_STORAGE);
    state.who = null;
    route();
  });
  $("key-forget").addEventListener("click", () => {
    state.key = "";
    sessionStorage.removeItem(KEY_STORAGE);
    state.who = null;
    $("overview").hidden = $("script").hidden = true;
    route();
  });
  $("zone-select").value = state.zone;
  $("zone-select").addEventListener("change", (e) => {
    state.zone = e.target.value;
    localStorage.setItem(ZONE_STORAGE, state.zone);
    if (state.script && state.script.view) renderScript(); else renderOverview();
  });
}

bindHeader();
bindOverview();
bindChart();
bindScript();
window.addEventListener("hashchange", route);
route();
