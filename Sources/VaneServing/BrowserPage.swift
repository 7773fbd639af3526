/// The page `vane serve` answers at `/`: browse related items in both directions, and, when a
/// conversion model and policy are loaded, each suggestion's decision on the policy's map.
///
/// One self-contained document (inline CSS and script, no external assets, no network beyond the
/// server's own public API: `/v1/models`, `/v1/items`, `/v1/related`, `/v1/recommended-by`,
/// `/v1/decide`). Text from the data is only ever set with `textContent`, never parsed as HTML.
/// Keyboard: type to search, arrow keys to move, Enter to open, Escape to close; every item in the
/// lists is a link (`#item=NAME`), so back and forward work.
enum BrowserPage {
    static let html = #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Vane: related items</title>
<link rel="icon" href="data:,">
<style>
  :root { --ink: #1d232b; --muted: #5d6875; --line: #d9dee4; --accent: #1f5fbf; --accept: #1d7f45; --reject: #a33a2c; --band: #e7f4ec; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #f7f8fa; }
  header { padding: 14px 24px; background: #fff; border-bottom: 1px solid var(--line); display: flex; gap: 24px; align-items: baseline; flex-wrap: wrap; }
  header h1 { font-size: 18px; margin: 0; }
  #models { color: var(--muted); font-size: 13px; }
  main { max-width: 1280px; margin: 0 auto; padding: 18px 24px 40px; }
  .search { position: relative; max-width: 640px; }
  #search { width: 100%; font-size: 16px; padding: 9px 12px; border: 1px solid #aab4bf; border-radius: 6px; }
  #search:focus { outline: 2px solid var(--accent); outline-offset: 1px; }
  #suggestions { position: absolute; z-index: 2; left: 0; right: 0; margin: 2px 0 0; padding: 0; list-style: none; background: #fff;
                 border: 1px solid var(--line); border-radius: 6px; box-shadow: 0 6px 18px rgba(0,0,0,.08); max-height: 420px; overflow-y: auto; }
  #suggestions:empty { display: none; }
  #suggestions li { padding: 7px 12px; cursor: pointer; display: flex; justify-content: space-between; gap: 12px; }
  #suggestions li[aria-selected="true"], #suggestions li:hover { background: #eaf1fb; }
  .name { font-weight: 600; }
  .title { color: var(--muted); }
  .degree { color: var(--muted); font-size: 12px; white-space: nowrap; font-variant-numeric: tabular-nums; }
  .attrs { color: var(--muted); font-size: 12px; }
  #item { margin: 22px 0 6px; }
  #item h2 { margin: 0; font-size: 20px; }
  #status { color: var(--muted); min-height: 1.4em; margin-top: 8px; }
  #status.error { color: var(--reject); }
  .columns { display: grid; grid-template-columns: 3fr 2fr; gap: 22px; margin-top: 14px; }
  @media (max-width: 980px) { .columns { grid-template-columns: 1fr; } }
  section.panel { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; overflow-x: auto; }
  section.panel h3 { margin: 0 0 8px; font-size: 15px; }
  section.panel p.hint { margin: 0 0 8px; color: var(--muted); font-size: 13px; }
  table { border-collapse: collapse; width: 100%; font-size: 14px; }
  th, td { text-align: left; padding: 5px 6px; border-bottom: 1px solid #eef0f3; vertical-align: top; }
  th { font-size: 12px; color: var(--muted); font-weight: 600; }
  td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
  a { color: var(--accent); text-decoration: none; }
  a:hover, a:focus { text-decoration: underline; }
  .accept { color: var(--accept); font-weight: 600; }
  .reject { color: var(--reject); }
  #decisions { margin-top: 22px; }
  #chart { width: 100%; max-width: 640px; height: auto; }
  #chart .band { fill: var(--band); }
  #chart .axis { stroke: #8a949e; stroke-width: 1; }
  #chart text { font-size: 11px; fill: var(--muted); }
  #chart circle.accept { fill: var(--accept); }
  #chart circle.reject { fill: #fff; stroke: var(--reject); stroke-width: 1.5; }
  #chart circle.current { stroke: var(--ink); stroke-width: 2; }
</style>
</head>
<body>
<header>
  <h1>Vane: related items</h1>
  <span id="models">loading…</span>
</header>
<main>
  <div class="search">
    <label for="search" class="title">Find an item by name or title</label>
    <input id="search" type="search" autocomplete="off" spellcheck="false" placeholder="e.g. python3, guitar, phone"
           role="combobox" aria-expanded="false" aria-controls="suggestions" aria-autocomplete="list">
    <ul id="suggestions" role="listbox"></ul>
  </div>
  <div id="status" role="status" aria-live="polite"></div>
  <div id="item" hidden>
    <h2><span id="item-name" class="name"></span> <span id="item-title" class="title"></span></h2>
    <div id="item-degree" class="degree"></div>
  </div>
  <div class="columns" id="lists" hidden>
    <section class="panel" aria-labelledby="related-heading">
      <h3 id="related-heading">Recommends → (what this item suggests)</h3>
      <p class="hint">Best targets first; items it already links to are left out.</p>
      <table id="related"><thead></thead><tbody></tbody></table>
    </section>
    <section class="panel" aria-labelledby="reverse-heading">
      <h3 id="reverse-heading">← Recommended by (items that suggest this one)</h3>
      <p class="hint" id="reverse-hint">Items that show it within their top 10, by the rank they give it.</p>
      <table id="reverse"><thead><tr><th>item</th><th>degree in/out</th><th class="num">its rank</th><th class="num">score</th></tr></thead><tbody></tbody></table>
    </section>
  </div>
  <section class="panel" id="decisions" hidden aria-labelledby="decisions-heading">
    <h3 id="decisions-heading">Decisions on these suggestions</h3>
    <p class="hint" id="decisions-hint"></p>
    <svg id="chart" viewBox="0 0 640 260" role="img" aria-label="decision map"></svg>
  </section>
</main>
<script>
"use strict";
const $ = (id) => document.getElementById(id);
const state = { models: null, suggestions: [], active: -1, timer: null, current: null };

function setStatus(text, isError) {
  $("status").textContent = text;
  $("status").className = isError ? "error" : "";
}

async function getJSON(url, options) {
  const response = await fetch(url, options);
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const message = body && body.error ? body.error.message : response.status + " " + response.statusText;
    throw new Error(message);
  }
  return body;
}

function cell(row, text, className) {
  const td = document.createElement("td");
  if (className) td.className = className;
  td.textContent = text;
  row.appendChild(td);
  return td;
}

// The node file's other attributes (group, ...) as one short line.
function attributeText(entry) {
  return entry && entry.attributes ? Object.entries(entry.attributes).map(([key, value]) => key + ": " + value).join(" · ") : "";
}

function itemCell(row, name, title, entry) {
  const td = document.createElement("td");
  const link = document.createElement("a");
  link.href = "#item=" + encodeURIComponent(name);
  link.className = "name";
  link.textContent = name;
  td.appendChild(link);
  if (title) {
    const span = document.createElement("div");
    span.className = "title";
    span.textContent = title;
    td.appendChild(span);
  }
  const extra = attributeText(entry);
  if (extra) {
    const line = document.createElement("div");
    line.className = "attrs";
    line.textContent = extra;
    td.appendChild(line);
  }
  row.appendChild(td);
}

function describeModels(models) {
  const parts = [];
  if (models.related) {
    parts.push(models.related.items.toLocaleString() + " items, " + models.related.method + " model" +
      (models.related.index_count ? ", top-" + models.related.index_count + " index" : ", no index"));
  }
  if (models.conversion) parts.push("conversions: " + models.conversion.method);
  if (models.policy) parts.push("policy: " + models.policy.kind + " at precision " + models.policy.target_precision);
  $("models").textContent = parts.join(" · ") + " · model set v" + models.model_version;
}

// Search as you type: the server ranks exact names, prefixes, word prefixes, then substrings.
function renderSuggestions() {
  const list = $("suggestions");
  list.replaceChildren();
  state.suggestions.forEach((entry, index) => {
    const li = document.createElement("li");
    li.id = "suggestion-" + index;
    li.setAttribute("role", "option");
    li.setAttribute("aria-selected", index === state.active ? "true" : "false");
    li.dataset.item = entry.item;
    const label = document.createElement("span");
    const name = document.createElement("span");
    name.className = "name";
    name.textContent = entry.item;
    label.appendChild(name);
    if (entry.title) {
      const title = document.createElement("span");
      title.className = "title";
      title.textContent = "  " + entry.title;
      label.appendChild(title);
    }
    const degree = document.createElement("span");
    degree.className = "degree";
    degree.textContent = "in " + entry.in_degree + " · out " + entry.out_degree;
    li.append(label, degree);
    li.addEventListener("mousedown", (event) => { event.preventDefault(); choose(entry.item); });
    list.appendChild(li);
  });
  $("search").setAttribute("aria-expanded", state.suggestions.length ? "true" : "false");
  if (state.active >= 0) $("search").setAttribute("aria-activedescendant", "suggestion-" + state.active);
  else $("search").removeAttribute("aria-activedescendant");
}

async function search(text) {
  if (!text.trim()) { state.suggestions = []; state.active = -1; renderSuggestions(); return; }
  try {
    const body = await getJSON("/v1/items?limit=12&q=" + encodeURIComponent(text.trim()));
    if ($("search").value !== text) return;  // a newer query is on its way
    state.suggestions = body.results;
    state.active = body.results.length ? 0 : -1;
    renderSuggestions();
    setStatus(body.results.length ? "" : "no item matches “" + text.trim() + "”", false);
  } catch (error) {
    setStatus(error.message, true);
  }
}

function choose(name) {
  state.suggestions = [];
  state.active = -1;
  renderSuggestions();
  const target = "#item=" + encodeURIComponent(name);
  if (location.hash === target) show(name); else location.hash = target;
}

$("search").addEventListener("input", (event) => {
  clearTimeout(state.timer);
  const text = event.target.value;
  state.timer = setTimeout(() => search(text), 120);
});
$("search").addEventListener("keydown", (event) => {
  const count = state.suggestions.length;
  if (event.key === "ArrowDown" && count) { state.active = (state.active + 1) % count; renderSuggestions(); event.preventDefault(); }
  else if (event.key === "ArrowUp" && count) { state.active = (state.active - 1 + count) % count; renderSuggestions(); event.preventDefault(); }
  else if (event.key === "Enter") {
    event.preventDefault();
    if (state.active >= 0 && count) choose(state.suggestions[state.active].item);
    else if (event.target.value.trim()) choose(event.target.value.trim());
  } else if (event.key === "Escape") { state.suggestions = []; state.active = -1; renderSuggestions(); }
});
$("search").addEventListener("blur", () => { setTimeout(() => { state.suggestions = []; renderSuggestions(); }, 150); });

// Rows for /v1/decide from the conversion model's own feature names.
function decideRow(source, target, score) {
  const features = {};
  for (const name of state.models.conversion.features) {
    if (name === "source") features[name] = source;
    else if (name === "target" || name === "item") features[name] = target;
    else if (name === "recommender_score" || name === "score") features[name] = score;
  }
  return { features };
}

async function show(name) {
  state.current = name;
  setStatus("loading " + name + "…", false);
  try {
    const models = state.models;
    const k = 10;
    const related = await getJSON("/v1/related/" + encodeURIComponent(name) + "?k=" + k);
    const reverse = models.related && models.related.index_count
      ? await getJSON("/v1/recommended-by/" + encodeURIComponent(name) + "?k=" + k) : null;
    const names = [name, ...related.results.map((r) => r.item), ...(reverse ? reverse.results.map((r) => r.item) : [])];
    const details = await getJSON("/v1/items?names=" + [...new Set(names)].map(encodeURIComponent).join(","));
    const byName = new Map(details.results.map((entry) => [entry.item, entry]));
    let decisions = null;
    if (models.conversion && related.results.length) {
      decisions = await getJSON("/v1/decide", {
        method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ rows: related.results.map((r) => decideRow(name, r.item, r.score)) }),
      });
    }
    if (state.current !== name) return;
    const self = byName.get(name) || { in_degree: "?", out_degree: "?" };
    $("item-name").textContent = name;
    $("item-title").textContent = self.title || "";
    const extra = attributeText(self);
    $("item-degree").textContent = "linked to by " + self.in_degree + " items · links to " + self.out_degree + (extra ? " · " + extra : "");
    $("item").hidden = false;
    $("lists").hidden = false;
    renderRelated(related, byName, decisions);
    renderReverse(reverse, byName);
    renderDecisions(related, decisions);
    document.title = name + " · Vane";
    setStatus("", false);
  } catch (error) {
    if (state.current === name) setStatus(error.message, true);
  }
}

function renderRelated(related, byName, decisions) {
  const head = $("related").tHead;
  head.replaceChildren();
  const header = document.createElement("tr");
  const columns = ["#", "item", "degree in/out", "score"];
  if (decisions) columns.push("p(convert)", "uncertainty", "bin", "calibrated", "decision");
  for (const text of columns) {
    const th = document.createElement("th");
    th.textContent = text;
    if (["#", "score", "p(convert)", "calibrated", "uncertainty", "bin"].includes(text)) th.className = "num";
    header.appendChild(th);
  }
  head.appendChild(header);
  const body = $("related").tBodies[0];
  body.replaceChildren();
  related.results.forEach((result, index) => {
    const row = document.createElement("tr");
    row.dataset.item = result.item;
    const entry = byName.get(result.item) || {};
    cell(row, String(index + 1), "num");
    itemCell(row, result.item, entry.title, entry);
    cell(row, entry.in_degree + " / " + entry.out_degree, "degree");
    cell(row, result.score.toFixed(3), "num");
    if (decisions) {
      const decision = decisions.results[index];
      cell(row, decision.score.toFixed(3), "num");
      cell(row, decision.uncertainty.toFixed(3), "num");
      cell(row, decision.uncertainty_bin == null ? "–" : String(decision.uncertainty_bin + 1), "num");
      cell(row, decision.calibrated_score == null ? "–" : decision.calibrated_score.toFixed(3), "num");
      if (decision.accept == null) cell(row, "no policy");
      else cell(row, decision.accept ? "accept" : "reject", decision.accept ? "accept" : "reject");
    }
    body.appendChild(row);
  });
  if (!related.results.length) {
    const row = document.createElement("tr");
    cell(row, "no targets left to suggest").colSpan = columns.length;
    body.appendChild(row);
  }
}

function renderReverse(reverse, byName) {
  const body = $("reverse").tBodies[0];
  body.replaceChildren();
  if (!reverse) {
    $("reverse-hint").textContent = "Needs the model's top-targets index (vane graph index --model DIR).";
    return;
  }
  $("reverse-hint").textContent = reverse.total + " items show it within their top " + reverse.depth + "; best rank first.";
  for (const result of reverse.results) {
    const row = document.createElement("tr");
    row.dataset.item = result.item;
    const entry = byName.get(result.item) || {};
    itemCell(row, result.item, entry.title, entry);
    cell(row, entry.in_degree + " / " + entry.out_degree, "degree");
    cell(row, String(result.rank), "num");
    cell(row, result.score.toFixed(3), "num");
    body.appendChild(row);
  }
  if (!reverse.results.length) {
    const row = document.createElement("tr");
    cell(row, "no item suggests it within its top " + reverse.depth).colSpan = 4;
    body.appendChild(row);
  }
}

// The policy's map: x uncertainty, y score; the shaded band of each uncertainty bin is accepted.
function renderDecisions(related, decisions) {
  const policy = state.models.policy;
  if (!decisions || !policy) { $("decisions").hidden = true; return; }
  $("decisions").hidden = false;
  $("decisions-hint").textContent = "Policy " + policy.kind + " (target precision " + policy.target_precision +
    "): accept when p(convert) clears the threshold of its uncertainty bin (shaded: accepted region; dashed: bin edges). " +
    "Filled: accepted suggestion; open: rejected. Hover a point for its item.";
  const svg = $("chart");
  const ns = "http://www.w3.org/2000/svg";
  svg.replaceChildren();
  const left = 46, right = 620, top = 12, bottom = 226;
  const cuts = policy.uncertainty_cuts;
  const points = decisions.results;
  const largest = Math.max(...points.map((p) => p.uncertainty), cuts.length ? cuts[cuts.length - 1] * 1.25 : 0, 1e-6);
  const xmax = largest * 1.08;
  const x = (u) => left + (right - left) * Math.min(u, xmax) / xmax;
  const y = (s) => bottom - (bottom - top) * Math.max(0, Math.min(1, s));
  const add = (tag, attributes, text) => {
    const node = document.createElementNS(ns, tag);
    for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
    if (text !== undefined) node.textContent = text;
    svg.appendChild(node);
    return node;
  };
  const edges = [0, ...cuts, xmax];
  policy.score_thresholds.forEach((threshold, bin) => {
    if (threshold == null) return;
    const x0 = x(edges[bin]), x1 = x(Math.min(edges[bin + 1], xmax));
    if (x1 > x0) add("rect", { class: "band", x: x0, y: y(1), width: x1 - x0, height: y(threshold) - y(1) });
  });
  cuts.forEach((cut, index) => {
    if (cut < xmax) {
      add("line", { class: "axis", x1: x(cut), y1: top, x2: x(cut), y2: bottom, "stroke-dasharray": "3 3" });
      add("text", { x: (x(edges[index]) + x(cut)) / 2, y: top + 10, "text-anchor": "middle" }, "bin " + (index + 1));
    }
  });
  const lastEdge = cuts.length ? cuts[cuts.length - 1] : 0;
  if (lastEdge < xmax) add("text", { x: (x(lastEdge) + x(xmax)) / 2, y: top + 10, "text-anchor": "middle" }, "bin " + (cuts.length + 1));
  add("line", { class: "axis", x1: left, y1: bottom, x2: right, y2: bottom });
  add("line", { class: "axis", x1: left, y1: top, x2: left, y2: bottom });
  for (const s of [0, 0.25, 0.5, 0.75, 1]) add("text", { x: left - 6, y: y(s) + 4, "text-anchor": "end" }, s.toFixed(2));
  for (const u of [0, xmax / 2, xmax]) add("text", { x: x(u), y: bottom + 16, "text-anchor": "middle" }, u.toPrecision(2));
  add("text", { x: (left + right) / 2, y: bottom + 32, "text-anchor": "middle" }, "uncertainty");
  add("text", { x: 12, y: (top + bottom) / 2, transform: "rotate(-90 12 " + (top + bottom) / 2 + ")", "text-anchor": "middle" }, "p(convert)");
  points.forEach((point, index) => {
    const circle = add("circle", { cx: x(point.uncertainty), cy: y(point.score), r: 5, class: point.accept ? "accept" : "reject" });
    const title = document.createElementNS(ns, "title");
    title.textContent = related.results[index].item + ": score " + point.score.toFixed(3) + ", uncertainty " +
      point.uncertainty.toFixed(3) + (point.accept ? ", accepted" : ", rejected");
    circle.appendChild(title);
  });
}

function fromHash() {
  const match = location.hash.match(/^#item=(.*)$/);
  if (match) {
    const name = decodeURIComponent(match[1]);
    $("search").value = name;
    show(name);
  }
}

window.addEventListener("hashchange", fromHash);
(async () => {
  try {
    state.models = await getJSON("/v1/models");
    describeModels(state.models);
    if (!state.models.related) { setStatus("this server has no related-items model (start it with --related DIR)", true); return; }
    fromHash();
    $("search").focus();
  } catch (error) {
    setStatus(error.message, true);
  }
})();
</script>
</body>
</html>
"""#
}
