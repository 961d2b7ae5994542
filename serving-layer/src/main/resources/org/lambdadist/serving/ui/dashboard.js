// The dashboard: reads the API the page is served by (never another origin), every few seconds.
// Every number shown is the API's own, unrounded, and carries a data-field naming where it came from.
"use strict";

const REFRESH_MS = 5000;
const params = new URLSearchParams(location.search);
const dash = { views: [], status: null, series: null, attribution: null, chart: null, errors: 0 };
window.lambdaDashboard = dash;

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v !== undefined && v !== null) e.setAttribute(k, v);
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(c === null || c === undefined ? "—" : String(c)));
  return e;
}

function showError(message) {
  const box = document.getElementById("error");
  box.textContent = message;
  box.hidden = !message;
}

async function api(path, options) {
  const headers = Object.assign({ "Accept": "application/json" }, (options && options.headers) || {});
  const token = localStorage.getItem("lambda.token");
  if (token) headers["Authorization"] = "Bearer " + token;
  const response = await fetch(path, Object.assign({}, options, { headers }));
  let body = null;
  try { body = await response.json(); } catch (e) { body = { error: "the answer is not JSON (" + response.status + ")" }; }
  if (response.status === 401) {
    document.getElementById("token-form").hidden = false;
  }
  if (!response.ok && !(response.status === 503 && path === "/v1/status")) {
    throw new Error(path + ": " + response.status + " " + ((body && body.error) || ""));
  }
  return body;
}

function fill(tbody, rows) {
  tbody.replaceChildren(...rows.map(([label, field, value, cls]) =>
    el("tr", {}, el("th", {}, label), el("td", { "data-field": field, "class": cls }, value))));
}

// ---------------------------------------------------------------- the stack
async function loadState() {
  const s = await api("/v1/status");
  dash.status = s;
  const b = s.batch || {}, e = s.epochs || {}, sp = s.speed || {};
  const rows = [
    ["Status", "status", s.status, s.status === "ok" ? "ok" : "warn"],
    ["HBase", "hbase", s.hbase],
    ["Batch version", "batch.version", b.version],
    ["Batch epochs", "batch.epochs", b.version ? b.first_epoch + " – " + b.last_epoch : null],
    ["Loaded at", "batch.loaded_at", b.loaded_at],
    ["Last closed epoch", "epochs.last_closed", e.last_closed],
    ["Epochs waiting for the batch", "epochs.waiting", e.waiting >= 0 ? e.waiting : null],
    ["Open epoch since", "epochs.open_since", e.open_since],
    ["Freshness (seconds since the newest data)", "freshness_seconds", s.freshness_seconds],
    ["Speed layer lag behind Kafka (events)", "speed.lag_events", sp.lag_events],
    ["Speed micro-batches", "speed.micro_batches", sp.micro_batches],
    ["Seconds since speed progress", "speed.seconds_since_progress", sp.seconds_since_progress],
    ["Realtime up to epoch", "speed.realtime_max_epoch", sp.realtime_max_epoch],
    ["Events accepted / rejected / duplicates", "speed.events",
      [sp.accepted, sp.rejected, sp.duplicates].join(" / ")],
  ];
  const c = s.cycle;
  if (c) {
    rows.push(["Last cycle", "cycle.result", c.result + (c.failed_step ? " (" + c.failed_step + ")" : ""),
      c.result === "ok" ? "ok" : (c.result === "running" ? "" : "warn")]);
    rows.push(["Cycle finished", "cycle.finished_at", c.finished_at]);
    if (c.steps) {
      rows.push(["Cycle steps", "cycle.steps", c.steps.map(st => st.name + " " + (st.millis / 1000).toFixed(1) + " s").join(", ")]);
    }
  } else {
    rows.push(["Last cycle", "cycle.result", "none recorded"]);
  }
  fill(document.querySelector("#state tbody"), rows);
  renderReconciliation(s.reconciliation);
}

// ---------------------------------------------------------------- the live series
async function loadViews() {
  const answer = await api("/v1/views");
  dash.views = answer.views;
  const viewSelect = document.getElementById("view");
  viewSelect.replaceChildren(...answer.views.map(v => el("option", { value: v.name }, v.name)));
  // Without a choice in the address: the minute view with the fewest dimensions (the fewest values to type).
  const minute = answer.views.filter(v => v.granularities.includes("minute"))
    .sort((a, b) => a.dimensions.length - b.dimensions.length);
  const wanted = params.get("view") || (minute[0] || answer.views[0] || {}).name;
  if (wanted) viewSelect.value = wanted;
  onViewChosen(true);
}

function chosenView() {
  return dash.views.find(v => v.name === document.getElementById("view").value);
}

function onViewChosen(fromUrl) {
  const v = chosenView();
  if (!v) return;
  const g = document.getElementById("granularity");
  g.replaceChildren(...v.granularities.map(x => el("option", { value: x }, x)));
  const wantG = fromUrl && params.get("granularity");
  g.value = wantG && v.granularities.includes(wantG) ? wantG : (v.granularities.includes("minute") ? "minute" : v.granularities[0]);
  const m = document.getElementById("metric");
  m.replaceChildren(...v.metrics.map(x => el("option", { value: x.name }, x.name + " (" + x.type + ")")));
  if (fromUrl && params.get("metric")) m.value = params.get("metric");
  const dims = document.getElementById("dimensions");
  dims.replaceChildren(...v.dimensions.map(d => el("label", {}, d + " ",
    el("input", { "data-dimension": d, value: fromUrl ? (params.get(d) || "") : "", placeholder: "value", size: "12" }))));
  if (fromUrl && params.get("window")) document.getElementById("window").value = params.get("window");
}

function seriesRange() {
  if (params.get("from") && params.get("to")) return [params.get("from"), params.get("to")];
  const size = Number(document.getElementById("window").value);
  const to = Date.now() + 60000;
  return [String(to - size), String(to)];
}

function lookupPath() {
  const v = chosenView();
  const [from, to] = seriesRange();
  const q = new URLSearchParams({ from, to, parts: "true" });
  for (const input of document.querySelectorAll("#dimensions input")) {
    if (input.value === "") q.append("null", input.dataset.dimension); else q.set(input.dataset.dimension, input.value);
  }
  return "/v1/views/" + encodeURIComponent(v.name) + "/" + encodeURIComponent(document.getElementById("granularity").value) + "?" + q;
}

/** A number for people: at most two decimals (the exact value stays in the cell's data-value and title). */
function formatNumber(n) {
  return typeof n === "number" ? n.toLocaleString("en-US", { maximumFractionDigits: 2 }) : String(n);
}

function additive(type) { return type === "count" || type === "sum"; }

async function loadSeries() {
  const v = chosenView();
  if (!v) return;
  const metric = document.getElementById("metric").value;
  const type = v.metrics.find(m => m.name === metric).type;
  const answer = await api(lookupPath());
  dash.series = answer;
  const xs = [], total = [], realtime = [], batch = [];
  let sum = 0, realtimeSum = 0;
  for (const row of answer.rows) {
    const value = row.metrics[metric];
    const part = row.realtime ? row.realtime[metric] : null;
    xs.push(Date.parse(row.bucket) / 1000);
    total.push(value);
    realtime.push(part === null && additive(type) ? 0 : part);
    batch.push(additive(type) ? value - (part || 0) : null);
    if (additive(type)) { sum += value; realtimeSum += part || 0; }
  }
  drawChart(v, metric, type, [xs, total, batch, realtime]);
  const empty = document.getElementById("chart-empty");
  empty.hidden = answer.rows.length > 0;
  empty.textContent = "No rows for this key in this range. Give each dimension a value (an empty box asks for"
    + " events without that field), or a longer range.";
  const last = answer.rows.length ? answer.rows[answer.rows.length - 1] : null;
  const cov = answer.coverage || {};
  fill(document.querySelector("#series-summary tbody"), [
    ["Rows", "series.rows", answer.rows.length],
    ["Total " + metric + (additive(type) ? "" : " (not additive)"), "series.total", additive(type) ? sum : null],
    ["Of which realtime", "series.realtime_total", additive(type) ? realtimeSum : null],
    ["Last bucket", "series.last_bucket", last ? last.bucket : null],
    ["Last bucket " + metric, "series.last_value", last ? last.metrics[metric] : null],
    ["Batch version", "series.batch_version", cov.batch_version],
    ["Speed epochs added", "series.speed_epochs", (cov.speed_epochs || []).join(", ") || "none"],
  ]);
}

function drawChart(view, metric, type, data) {
  const box = document.getElementById("chart");
  const width = Math.max(320, box.clientWidth || 800);
  const series = [{},
    { label: metric + " (merged)", stroke: "#1d2530", width: 1.5 },
    { label: "batch part", stroke: "#2f6fb0", width: 1, show: additive(type) },
    { label: "realtime part", stroke: "#e07a1f", width: 1.5 }];
  if (!dash.chart || dash.chartKey !== view.name + "/" + metric) {
    if (dash.chart) dash.chart.destroy();
    box.replaceChildren();
    dash.chart = new uPlot({ width, height: 280, series, axes: [{}, { size: 70 }], scales: { x: { time: true } } }, data, box);
    dash.chartKey = view.name + "/" + metric;
  } else {
    dash.chart.setData(data);
  }
}

// ---------------------------------------------------------------- attribution
function defaultDays() {
  const to = new Date();
  const from = new Date(to.getTime() - 6 * 86400000);
  return [from.toISOString().slice(0, 10), to.toISOString().slice(0, 10)];
}

async function loadAttribution() {
  const from = document.getElementById("attr-from").value, to = document.getElementById("attr-to").value;
  const measure = document.getElementById("attr-measure").value;
  const answer = await api("/v1/attribution/compare?" + new URLSearchParams({ from, to, by: "channel" }));
  dash.attribution = answer;
  const models = Object.keys(answer.models);
  const channels = [...new Set(models.flatMap(m => answer.models[m].map(r => r.channel)))].sort();
  let max = 0;
  for (const m of models) for (const r of answer.models[m]) max = Math.max(max, r[measure]);
  const table = document.getElementById("attribution");
  table.tHead.replaceChildren(el("tr", {}, el("th", {}, "channel"), ...models.map(m => el("th", { "class": "num" }, m))));
  const rows = channels.map(ch => el("tr", {}, el("th", {}, ch), ...models.map(m => {
    const r = answer.models[m].find(x => x.channel === ch);
    const value = r ? r[measure] : 0;
    const bar = el("span", { "class": "bar", style: null });
    bar.style.width = (max > 0 ? Math.round(60 * value / max) : 0) + "px";
    return el("td", { "class": "num", "data-field": "attribution." + m + "." + ch + "." + measure,
      "data-value": String(value), title: String(value) }, bar, formatNumber(value));
  })));
  if (!rows.length) rows.push(el("tr", {}, el("td", { colspan: String(models.length + 1) }, "no attribution rows in these days")));
  table.tBodies[0].replaceChildren(...rows);
}

// ---------------------------------------------------------------- reconciliation
function renderReconciliation(r) {
  const table = document.getElementById("reconciliation");
  const note = document.getElementById("reconciliation-note");
  if (!r) {
    table.tHead.replaceChildren();
    table.tBodies[0].replaceChildren(el("tr", {}, el("td", { "data-field": "reconciliation.state" }, "no reconciliation recorded yet")));
    return;
  }
  const epochs = r.epochs.length ? r.epochs[0] + " – " + r.epochs[r.epochs.length - 1] : "none";
  note.textContent = "Version " + r.version + ", epochs " + epochs + (r.at ? ", at " + r.at : "")
    + (r.error ? " — could not be done: " + r.error : "")
    + ". distinct may differ within " + r.distinct_sigmas + " standard errors of its sketch.";
  table.tHead.replaceChildren(el("tr", {}, ...["view", "rows compared", "rows differing", "speed only", "batch only",
    "events one side", "largest difference"].map((h, i) => el("th", { "class": i ? "num" : null }, h))));
  const rows = r.views.map(v => el("tr", {},
    el("th", {}, v.view),
    el("td", { "class": "num", "data-field": "reconciliation." + v.view + ".rows_compared" }, v.rows_compared),
    el("td", { "class": "num " + (v.rows_differing ? "warn" : "ok"), "data-field": "reconciliation." + v.view + ".rows_differing" }, v.rows_differing),
    el("td", { "class": "num" }, v.speed_only_rows),
    el("td", { "class": "num" }, v.batch_only_rows),
    el("td", { "class": "num" }, v.speed_only_events === null ? "—" : v.speed_only_events + " / " + v.batch_only_events),
    el("td", { "class": "num" }, v.metrics.filter(m => m.largest_difference !== 0)
      .map(m => m.metric + " " + formatNumber(m.largest_difference)).join(", ") || "none")));
  if (!rows.length) rows.push(el("tr", {}, el("td", { colspan: "7" }, r.error ? "could not be done" : "no view compared")));
  table.tBodies[0].replaceChildren(...rows);
}

// ---------------------------------------------------------------- wiring
async function guarded(work) {
  try {
    await work();
    if (dash.errors === 0) showError("");
  } catch (e) {
    dash.errors++;
    showError(e.message);
    setTimeout(() => { dash.errors = 0; }, REFRESH_MS);
  }
}

function start() {
  const [from, to] = defaultDays();
  document.getElementById("attr-from").value = params.get("attr_from") || from;
  document.getElementById("attr-to").value = params.get("attr_to") || to;
  document.getElementById("token-form").addEventListener("submit", ev => {
    ev.preventDefault();
    localStorage.setItem("lambda.token", document.getElementById("token").value);
    location.reload();
  });
  document.getElementById("view").addEventListener("change", () => { onViewChosen(false); guarded(loadSeries); });
  document.getElementById("series-form").addEventListener("submit", ev => { ev.preventDefault(); guarded(loadSeries); });
  document.getElementById("attribution-form").addEventListener("submit", ev => { ev.preventDefault(); guarded(loadAttribution); });
  document.getElementById("attr-measure").addEventListener("change", () => guarded(loadAttribution));
  guarded(loadState);
  guarded(async () => { await loadViews(); await loadSeries(); });
  guarded(loadAttribution);
  setInterval(() => { guarded(loadState); guarded(loadSeries); }, REFRESH_MS);
}

document.addEventListener("DOMContentLoaded", start);
