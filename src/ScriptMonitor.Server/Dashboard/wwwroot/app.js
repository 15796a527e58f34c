// The ScriptMonitor dashboard: reads the native JSON API with the key its user types. Every piece of data is put on
// the page as text (textContent), never as markup: script names and output are written by whoever runs the jobs.
const KEY_STORAGE = "scriptmon.key";
const ZONE_STORAGE = "scriptmon.zone";
const POLL_MS = 3000;
const PAGE_SIZE = 50;

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
  overview: null,
  overviewAsked: 0,
  overviewShown: 0,
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
  constructor(status, message, errors) { super(message); this.status = status; this.errors = errors || []; }
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
    let detail = response.statusText, errors = [];
    try {
      const problem = await response.json();
      detail = problem.detail || problem.title || detail;
      errors = problem.errors || [];
    } catch { /* not JSON */ }
    throw new ApiError(response.status, detail, errors);
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

// A time in the script's own zone, whatever the page's choice: the schedule is written in it.
function formatTimeIn(iso, zone) {
  return new Intl.DateTimeFormat(undefined, {
    weekday: "short", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
    hour12: false, timeZone: zone || "UTC", timeZoneName: "short",
  }).format(new Date(iso));
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

// The server filters, orders (problems first) and pages: the browser asks for the 50 rows it shows, never all 10,000.
function overviewQuery() {
  const f = state.filter;
  const query = new URLSearchParams({ limit: String(PAGE_SIZE), offset: String(state.page * PAGE_SIZE) });
  if (f.state) query.set("state", f.state);
  if (f.tag) query.set("tag", f.tag);
  if (f.host) query.set("host", f.host);
  if (f.search) query.set("q", f.search);
  return "/overview?" + query;
}

async function loadOverview(pending) {
  const asked = ++state.overviewAsked;
  const overview = await (pending || api(overviewQuery()));
  // A slower answer to an older filter must not replace a newer one.
  if (asked < state.overviewShown) return false;
  state.overviewShown = asked;
  // Fewer scripts match than before (some recovered, say): show the last page there is rather than an empty one.
  if (!overview.scripts.length && overview.matched > 0 && state.page > 0) {
    state.page = Math.ceil(overview.matched / PAGE_SIZE) - 1;
    return loadOverview();
  }
  state.overview = overview;
  fillFilters();
  renderOverview();
  return true;
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
  const o = state.overview;
  const states = o.counts.map((c) => c.state);
  if (state.filter.state && !states.includes(state.filter.state)) states.push(state.filter.state);
  fillSelect($("state-filter"), states, state.filter.state);
  fillSelect($("tag-filter"), o.tags, state.filter.tag);
  fillSelect($("host-filter"), o.hosts, state.filter.host);
}

function renderCounts() {
  const o = state.overview;
  const buttons = [];
  const all = el("button", `All ${o.total}`);
  all.type = "button";
  all.dataset.state = "";
  buttons.push(all);
  for (const { state: health, count } of o.counts) {
    const button = el("button", null, "count");
    button.type = "button";
    button.dataset.state = health;
    button.append(badge(health), " " + count);
    buttons.push(button);
  }
  for (const button of buttons) button.setAttribute("aria-pressed", String(button.dataset.state === state.filter.state));
  $("counts").replaceChildren(...buttons);
}

const SVG = "http://www.w3.org/2000/svg";

// A row's recent runtimes as one SVG path: drawn only for the 50 rows on the page.
function sparkline(runtimes) {
  const values = (runtimes || []).filter((v) => typeof v === "number" && v >= 0);
  const cell = el("td", null, "spark");
  if (values.length < 2) {
    cell.textContent = values.length ? formatDuration(values[0]) : "—";
    return cell;
  }
  const w = 80, h = 20, max = Math.max(...values), min = Math.min(...values);
  const span = max - min || 1;
  let d = "";
  values.forEach((v, i) => {
    const x = (i / (values.length - 1)) * (w - 2) + 1, y = h - 2 - ((v - min) / span) * (h - 4);
    d += (i ? "L" : "M") + x.toFixed(1) + " " + y.toFixed(1);
  });
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", `0 0 ${w} ${h}`);
  svg.setAttribute("width", String(w));
  svg.setAttribute("height", String(h));
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", `Runtime of the last ${values.length} runs: ${formatDuration(min)} to ${formatDuration(max)}, latest ${formatDuration(values[values.length - 1])}`);
  svg.dataset.points = String(values.length);
  const path = document.createElementNS(SVG, "path");
  path.setAttribute("d", d);
  path.setAttribute("class", "spark-line");
  svg.append(path);
  cell.append(svg);
  return cell;
}

function nextDueCell(iso) {
  const cell = el("td", null, "due");
  if (!iso) { cell.textContent = "—"; return cell; }
  const seconds = (Date.parse(iso) - Date.now()) / 1000;
  cell.append(el("span", formatTime(iso)), el("br"),
    el("span", seconds >= 0 ? "in " + formatDuration(seconds) : formatDuration(-seconds) + " overdue", "age"));
  return cell;
}

function renderOverview() {
  const o = state.overview;
  if (!o) return;
  renderCounts();
  const pages = Math.max(1, Math.ceil(o.matched / PAGE_SIZE));
  const start = o.offset;
  const body = document.createDocumentFragment();
  for (const row of o.scripts) {
    const tr = document.createElement("tr");
    tr.dataset.script = row.name;
    const health = el("td", null, "health");
    health.append(badge(row.health));
    const name = el("td", null, "name");
    const link = el("a", row.name);
    link.href = "#/script/" + encodeURIComponent(row.name);
    name.append(link);
    const last = el("td", null, "last");
    if (row.lastSuccessAt) {
      last.append(el("span", formatTime(row.lastSuccessAt)), el("br"), el("span", formatDuration(row.lastSuccessAgeSeconds) + " ago", "age"));
    } else {
      last.textContent = "never";
    }
    tr.append(health, name, el("td", row.reason, "reason"), last, nextDueCell(row.nextDueAt), sparkline(row.runtimes), el("td", row.hosts.join(", "), "hosts"));
    body.append(tr);
  }
  $("scripts").tBodies[0].replaceChildren(body);
  $("page-info").textContent = o.matched === 0
    ? "No scripts match."
    : `Scripts ${start + 1}–${start + o.scripts.length} of ${o.matched}, page ${state.page + 1} of ${pages}`;
  $("prev-page").disabled = state.page === 0;
  $("next-page").disabled = state.page >= pages - 1;
  if (!performance.getEntriesByName("overview-rows").length && o.scripts.length) performance.mark("overview-rows");
}

function bindOverview() {
  const refilter = async () => {
    state.page = 0;
    try { await loadOverview(); showMessage(""); } catch (error) { showMessage("The server does not answer: " + error.message); }
  };
  $("search").addEventListener("input", async (e) => {
    const started = performance.now();
    state.filter.search = e.target.value.trim();
    await refilter();
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
  const turn = async (by) => {
    state.page += by;
    try { await loadOverview(); } catch (error) { showMessage("The server does not answer: " + error.message); }
  };
  $("prev-page").addEventListener("click", () => turn(-1));
  $("next-page").addEventListener("click", () => turn(1));
}

// --- A script's page ------------------------------------------------------------------------------------------------

function rangeBounds() {
  if (state.range.from !== null) return { from: state.range.from, to: state.range.to };
  const to = Date.now();
  return { from: to - state.range.seconds * 1000, to };
}

// The chart's runs as parallel arrays (start, duration, outcome): a tenth of the bytes of full run objects.
const OUTCOMES = ["succeeded", "failed", "running", "abandoned"];

async function loadScript(name) {
  const { from, to } = rangeBounds();
  const range = new URLSearchParams({ from: new Date(from).toISOString(), to: new Date(to).toISOString() });
  const live = state.range.from === null;
  // The script's row of the overview (its kept state: no evaluation of every script) and its expectation, not
  // GET /scripts/{name}, which reads the whole status overview for one row.
  const [overview, expectation, runtimes, runs, due] = await Promise.all([
    api("/overview?" + new URLSearchParams({ name, limit: "1" })),
    api(scriptPath(name) + "/expectation").catch((error) => { if (error.status === 404) return null; throw error; }),
    api(scriptPath(name) + "/runtimes?" + range),
    api(scriptPath(name) + "/runs?" + new URLSearchParams({ since: new Date(from).toISOString(), limit: "200" })),
    api(scriptPath(name) + "/due?" + range),
  ]);
  if (!state.script || state.script.name !== name) return;
  const row = overview.scripts[0];
  if (!row) throw new ApiError(404, "no script of that name");
  const script = {
    expectation,
    status: {
      name: row.name, health: row.health, reason: row.reason, learned: row.learned,
      lastSuccess: row.lastSuccessAt ? { completedAt: row.lastSuccessAt } : null,
    },
  };
  state.script.view = script;
  state.script.loaded = { from, to, live };
  state.runtimes = runtimes;
  state.runs = runs.runs;
  // Too many to draw apart (a cron every minute over 90 days): no ticks, and the summary says why.
  state.due = due.truncated ? null : due.due.map((t) => Date.parse(t));
  renderScript();
  // The rest is below the chart: asked for after it is drawn.
  const [flips, next, windows, ping] = await Promise.all([
    loadFlips(name),
    script.expectation ? api(scriptPath(name) + "/due?" + new URLSearchParams({ from: new Date().toISOString(), to: new Date(Date.now() + 366 * 86400000).toISOString(), limit: "5" })) : null,
    api("/maintenance").catch(() => null),
    isAdmin() ? (state.script.ping || api(scriptPath(name) + "/ping-identity").catch(() => null)) : null,
  ]);
  if (!state.script || state.script.name !== name) return;
  state.script.flips = flips;
  state.script.next = next;
  state.script.windows = windows && windows.windows.filter((w) => w.script === name || (w.tag && script.expectation && script.expectation.tags.includes(w.tag)));
  state.script.ping = ping;
  renderFlips(flips, script.expectation && script.expectation.timeZone);
  renderSchedule();
  renderPing();
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
  renderEditor(expectation);
  drawChart();
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
  facts.push(["Learned runtime", status.learned
    ? `median ${formatDuration(status.learned.medianSeconds)}, normal ${formatDuration(status.learned.lowSeconds)} to ${formatDuration(status.learned.highSeconds)}`
    : "too little history yet"]);
  facts.push(["Last success", status.lastSuccess ? formatTime(status.lastSuccess.completedAt, e && e.timeZone) : "never"]);
  const list = document.createDocumentFragment();
  for (const [term, value] of facts) list.append(el("dt", term), el("dd", value));
  $("expectation").replaceChildren(list);
}

// The next due times in the script's zone, and the maintenance windows that apply to it.
function renderSchedule() {
  const e = state.script.view.expectation;
  const zone = (e && e.timeZone) || "UTC";
  const next = state.script.next;
  const list = document.createDocumentFragment();
  if (next && next.due.length) for (const t of next.due) list.append(el("li", formatTimeIn(t, zone)));
  else list.append(el("li", next && next.schedule === "period" ? "after its first run" : "no schedule set"));
  $("next-due").replaceChildren(list);
  $("next-due").dataset.count = String(next ? next.due.length : 0);
  $("next-due-title").textContent = `Next due (in ${zone})`;
  const windows = state.script.windows;
  const items = document.createDocumentFragment();
  for (const w of windows || []) {
    const when = w.kind === "cron" ? `at “${w.cron}” in ${w.timeZone}` : w.startsAt ? "from " + formatTime(w.startsAt, e && e.timeZone) : w.kind;
    const item = el("li", `${w.name}: ${when}${w.durationSeconds ? ", for " + formatDuration(w.durationSeconds) : ""}${w.tag ? " (tag " + w.tag + ")" : ""}`);
    if (w.open) item.append(" — open now" + (w.closesAt ? ", until " + formatTime(w.closesAt, e && e.timeZone) : ""));
    items.append(item);
  }
  if (!windows || !windows.length) items.append(el("li", windows ? "none" : "not known"));
  $("windows").replaceChildren(items);
}

// The ping addresses are secrets of a kind (anyone with one can report runs): shown for an admin key only, and
// absent from the page otherwise.
function renderPing() {
  const existing = $("ping-section");
  const ping = isAdmin() ? state.script.ping : null;
  if (!ping) { existing?.remove(); return; }
  if (existing && existing.dataset.script === ping.script) return;
  const section = el("section");
  section.id = "ping-section";
  section.dataset.script = ping.script;
  section.setAttribute("aria-labelledby", "ping-title");
  const title = el("h3", "Ping addresses");
  title.id = "ping-title";
  const facts = el("dl", null, "facts");
  for (const [term, value] of [["Healthchecks ping URL", ping.pingUrl], ["Healthchecks slug URL", ping.slugPingUrl], ["Uptime Kuma push URL", ping.kumaPushUrl], ["Uptime Kuma token", ping.kumaToken]]) {
    const code = el("code", value);
    const dd = el("dd");
    dd.append(code);
    facts.append(el("dt", term), dd);
  }
  section.append(title, facts);
  (existing || $("runs-title")).before(section);
  existing?.remove();
}

const EDITOR_FIELDS = [
  ["everySeconds", "Every (seconds)", "number"],
  ["cron", "Cron expression", "text"],
  ["timeZone", "Time zone", "text"],
  ["graceSeconds", "Grace (seconds)", "number"],
  ["minRuntimeSeconds", "Minimum runtime (seconds)", "number"],
  ["maxRuntimeSeconds", "Maximum runtime (seconds)", "number"],
  ["hosts", "Hosts (comma-separated)", "text"],
  ["failuresTolerated", "Failures tolerated", "number"],
];

// The expectation's editor: built for an admin key only (a read key gets no form that could only fail). It saves
// through PUT /scripts/{name}/expectation, and shows each error the server names next to its field.
function renderEditor(e) {
  let form = $("editor");
  if (!isAdmin()) { $("editor-section")?.remove(); return; }
  if (form && form.dataset.script === state.script.name && !state.script.editorStale) return;
  state.script.editorStale = false;
  const section = $("editor-section") || el("section");
  section.id = "editor-section";
  section.setAttribute("aria-labelledby", "editor-title");
  const title = el("h3", "Edit the expectation");
  title.id = "editor-title";
  form = el("form", null, "editor");
  form.id = "editor";
  form.noValidate = true;
  form.dataset.script = state.script.name;
  const kind = el("select");
  kind.id = "ed-kind";
  kind.name = "kind";
  for (const [value, text] of [["period", "an interval"], ["cron", "a cron schedule"]]) { const o = el("option", text); o.value = value; kind.add(o); }
  kind.value = e && e.scheduleKind === "cron" ? "cron" : "period";
  kind.dataset.original = kind.value;
  const kindLabel = el("label", "Schedule");
  kindLabel.htmlFor = "ed-kind";
  const kindRow = el("div", null, "editor-row");
  kindRow.append(kindLabel, kind);
  form.append(kindRow);
  const values = {
    everySeconds: e && e.everySeconds, cron: e && e.cron, timeZone: e && e.timeZone,
    graceSeconds: e && e.graceSeconds, minRuntimeSeconds: e && e.minRuntimeSeconds, maxRuntimeSeconds: e && e.maxRuntimeSeconds,
    hosts: e && e.hosts.join(", "), failuresTolerated: e && e.failuresTolerated,
  };
  for (const [name, text, type] of EDITOR_FIELDS) {
    const row = el("div", null, "editor-row");
    row.dataset.field = name;
    const input = el("input");
    input.id = "ed-" + name;
    input.name = name;
    input.type = "text";
    if (type === "number") input.inputMode = "decimal";
    input.value = values[name] ?? "";
    input.dataset.original = input.value;
    const label = el("label", text);
    label.htmlFor = input.id;
    const error = el("span", null, "field-error");
    error.id = "err-" + name;
    error.setAttribute("role", "alert");
    input.setAttribute("aria-describedby", error.id);
    row.append(label, input, error);
    form.append(row);
  }
  const save = el("button", "Save expectation");
  save.type = "submit";
  const status = el("span", null, "editor-status");
  status.id = "editor-status";
  status.setAttribute("role", "status");
  const actions = el("div", null, "editor-row");
  actions.append(save, status);
  form.append(actions);
  const showKind = () => {
    for (const name of ["everySeconds"]) form.querySelector(`[data-field="${name}"]`).hidden = kind.value !== "period";
    for (const name of ["cron", "timeZone"]) form.querySelector(`[data-field="${name}"]`).hidden = kind.value !== "cron";
  };
  kind.addEventListener("change", showKind);
  showKind();
  form.addEventListener("submit", (event) => { event.preventDefault(); saveExpectation(form); });
  section.replaceChildren(title, form);
  if (!section.isConnected) $("expectation").after(section);
}

async function saveExpectation(form) {
  // Only what was changed is sent (the route keeps every field left out); an emptied field keeps its value.
  const body = {};
  const read = (name) => form.elements[name].value.trim();
  const changed = (name) => read(name) !== "" && read(name) !== form.elements[name].dataset.original;
  const number = (name) => changed(name) ? Number(read(name)) : undefined;
  const wasCron = form.elements.kind.dataset.original === "cron";
  if (form.elements.kind.value === "period") {
    body.everySeconds = wasCron && read("everySeconds") !== "" ? Number(read("everySeconds")) : number("everySeconds");
  } else if (!wasCron || changed("cron") || changed("timeZone")) {
    body.cron = read("cron") || undefined;
    body.timeZone = read("timeZone") || undefined;
  }
  for (const name of ["graceSeconds", "minRuntimeSeconds", "maxRuntimeSeconds", "failuresTolerated"]) body[name] = number(name);
  if (changed("hosts")) body.hosts = read("hosts").split(",").map((h) => h.trim()).filter(Boolean);
  for (const [key, value] of Object.entries(body)) if (value === undefined) delete body[key];
  for (const error of form.querySelectorAll(".field-error")) error.textContent = "";
  for (const input of form.querySelectorAll("input")) input.removeAttribute("aria-invalid");
  const status = $("editor-status");
  // Only the form of a number is checked here; every rule is the server's, and its errors are shown below.
  const notNumbers = ["everySeconds", "graceSeconds", "minRuntimeSeconds", "maxRuntimeSeconds", "failuresTolerated"].filter((name) => Number.isNaN(body[name]));
  if (notNumbers.length) {
    for (const name of notNumbers) {
      $("err-" + name).textContent = `${name} must be a number`;
      form.elements[name].setAttribute("aria-invalid", "true");
    }
    status.textContent = "Not saved.";
    form.elements[notNumbers[0]].focus();
    return;
  }
  status.textContent = "Saving…";
  try {
    await api(scriptPath(state.script.name) + "/expectation", { method: "PUT", body });
    status.textContent = "Saved.";
    state.script.editorStale = true;
    await loadScript(state.script.name);
    $("editor-status").textContent = "Saved.";
  } catch (error) {
    status.textContent = "Not saved: " + error.message;
    let first = null;
    for (const problem of error.errors || []) {
      const field = form.querySelector(`#err-${CSS.escape(problem.path || "")}`);
      if (!field) continue;
      field.textContent = problem.message;
      const input = form.elements[problem.path];
      input?.setAttribute("aria-invalid", "true");
      first = first || input;
    }
    first?.focus();
  }
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
      el("td", run.exitCode ?? "—"), el("td", run.durationSeconds === null && run.outcome !== "running" ? "unknown" : formatDuration(run.durationSeconds)), output);
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
  const r = state.runtimes;
  for (let i = 0; i < r.startedAt.length; i++) {
    const t = r.startedAt[i] * 1000;
    if (t < from || t > to) continue;
    const outcome = OUTCOMES[r.outcome[i]] || "abandoned";
    // A run in progress is drawn at its runtime so far; a run whose duration is not known, as a tick on the axis.
    const d = r.duration[i] ?? (outcome === "running" ? (now - t) / 1000 : null);
    points.push({ t, d, outcome });
  }
  const e = state.script.view.expectation;
  const learned = state.script.view.status.learned;
  let band = null;
  if (e && (e.minRuntimeSeconds !== null || e.maxRuntimeSeconds !== null)) {
    band = { low: e.minRuntimeSeconds ?? 0, high: e.maxRuntimeSeconds ?? null, kind: "set" };
  } else if (learned) {
    // The band the health evaluation learned from the history: what it judges a runtime by.
    band = { low: learned.lowSeconds, high: learned.highSeconds, kind: "learned", median: learned.medianSeconds };
  }
  // The due times come from the server (cron included): the browser does not reimplement schedules.
  const due = (state.due || []).filter((t) => t >= from && t <= to);
  return { from, to, points, band, due, dueDense: state.due === null };
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
  for (const p of model.points) if (p.d !== null && p.d > maxD) maxD = p.d;
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
      if (p.outcome !== outcome || p.d === null) continue;
      const px = x(p.t), py = y(p.d);
      ctx.moveTo(px + 3, py); ctx.arc(px, py, 3, 0, Math.PI * 2);
    }
    ctx.fill();
  }
  const unknown = model.points.filter((p) => p.d === null);
  if (unknown.length) {
    ctx.strokeStyle = cssColor("--muted");
    ctx.beginPath();
    for (const p of unknown) { const xx = Math.round(x(p.t)) + 0.5; ctx.moveTo(xx, pad.top + plotH); ctx.lineTo(xx, pad.top + plotH - 10); }
    ctx.stroke();
  }

  const bandText = model.band
    ? model.band.kind === "set"
      ? `expected runtime ${formatDuration(model.band.low)} to ${model.band.high === null ? "no limit" : formatDuration(model.band.high)}`
      : `learned band ${formatDuration(model.band.low)} to ${formatDuration(model.band.high)} around the median ${formatDuration(model.band.median)}`
    : "no expected runtime";
  const unknownText = unknown.length ? ` (${unknown.length} of unknown duration, drawn as ticks)` : "";
  const summary = `${model.points.length} runs${unknownText} from ${formatTime(new Date(model.from).toISOString())} to ${formatTime(new Date(model.to).toISOString())}; ${bandText}; ${model.dueDense ? "due times too dense to draw (zoom in)" : model.due.length + " due times"}`;
  canvas.setAttribute("aria-label", "Runtime of each run: " + summary);
  canvas.dataset.points = String(model.points.length);
  canvas.dataset.band = model.band ? `${model.band.low}-${model.band.high ?? ""}` : "";
  canvas.dataset.due = String(model.due.length);
  canvas.dataset.from = new Date(model.from).toISOString();
  canvas.dataset.to = new Date(model.to).toISOString();
  $("chart-summary").textContent = summary.charAt(0).toUpperCase() + summary.slice(1) + ".";
  // For the performance figures: how long drawing took, and when the first chart with runs was on the page.
  performance.measure("chart-draw", { start: started, end: performance.now() });
  if (model.points.length && !performance.getEntriesByName("chart-drawn").length) performance.mark("chart-drawn");
}

// A range inside what was read is drawn at once; one reaching outside it is read first.
function zoomTo(from, to) {
  state.range.from = from;
  state.range.to = to;
  const loaded = state.script && state.script.loaded;
  if (loaded && from >= loaded.from && to <= loaded.to) drawChart();
  else refresh();
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
    zoomTo(Math.min(a, b), Math.max(a, b));
  });
  // Keyboard zoom on the focused chart: + and - zoom in and out around the middle, the arrows move along.
  canvas.addEventListener("keydown", (e) => {
    if (!state.chart) return;
    const { from, to } = state.chart;
    const span = to - from, middle = from + span / 2;
    let next = null;
    if (e.key === "+" || e.key === "=") next = [middle - span / 4, middle + span / 4];
    else if (e.key === "-" || e.key === "_") next = [middle - span, middle + span];
    else if (e.key === "ArrowLeft") next = [from - span / 4, to - span / 4];
    else if (e.key === "ArrowRight") next = [from + span / 4, to + span / 4];
    else if (e.key === "0" || e.key === "Home") { e.preventDefault(); state.range.from = state.range.to = null; refresh(); return; }
    if (!next) return;
    e.preventDefault();
    // Never later than now, and never narrower than a minute.
    const now = Date.now();
    if (next[1] > now) next = [next[0] - (next[1] - now), now];
    if (next[1] - next[0] < 60000) return;
    zoomTo(next[0], next[1]);
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
    const pending = state.script ? null : api(overviewQuery());
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
