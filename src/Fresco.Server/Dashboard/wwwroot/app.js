// Fresco's operator dashboard: one page that routes itself under /dashboard and reads the server's /api with the
// API key kept in this tab's session storage (never in a URL). Plain DOM, no build step; charts by uPlot.
"use strict";
(() => {
  const ROOT = "/dashboard";
  const KEY = "fresco.apiKey";
  const POLL_MS = 3000;
  const CHART_POINTS = 60;
  const main = document.getElementById("main");
  const message = document.getElementById("message");
  let timers = [];
  let settings = null;

  class ApiError extends Error {
    constructor(status, detail, field) {
      super(detail);
      this.status = status;
      this.field = field || null;
    }
  }

  // ---- HTTP ----

  function headers(extra) {
    const h = Object.assign({}, extra);
    const key = sessionStorage.getItem(KEY);
    if (key) h["X-API-Key"] = key;
    return h;
  }

  // An RFC 7807 problem body as an ApiError: its detail, and its field (where the request is wrong) when it names one.
  async function problem(response) {
    try {
      const body = await response.json();
      return new ApiError(response.status, body.detail || body.title || response.statusText, body.field);
    } catch {
      return new ApiError(response.status, response.statusText || `HTTP ${response.status}`);
    }
  }

  // A string body is sent as it is (JSON the operator typed); anything else as JSON.
  async function call(method, path, body) {
    const init = { method, headers: headers(body === undefined ? {} : { "Content-Type": "application/json" }) };
    if (body !== undefined) init.body = typeof body === "string" ? body : JSON.stringify(body);
    const response = await fetch(path, init);
    if (!response.ok) throw await problem(response);
    const text = await response.text();
    return text ? JSON.parse(text) : null;
  }

  const get = (path) => call("GET", path);

  // ---- DOM ----

  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (name.startsWith("on")) el.addEventListener(name.slice(2), value);
      else if (value === true) el.setAttribute(name, "");
      else el.setAttribute(name, String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      el.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return el;
  }

  const link = (path, text, attrs) => h("a", Object.assign({ href: ROOT + path }, attrs), text);
  const userLink = (id) => link(`/users/${encodeURIComponent(id)}`, id);
  const itemLink = (id) => link(`/items/${encodeURIComponent(id)}`, id);
  const when = (text) => (text ? new Date(text).toLocaleString() : "");
  const fixed = (x, digits = 4) => (typeof x === "number" ? x.toFixed(digits) : "");
  const metricsText = (m) => (m ? Object.entries(m).map(([k, v]) => `${k} ${fixed(v)}`).join(", ") : "");

  function table(caption, columns, rows, attrs) {
    return h("div", Object.assign({ class: "table-wrap" }, attrs),
      h("table", {},
        h("caption", { class: "muted", hidden: true }, caption),
        h("thead", {}, h("tr", {}, columns.map((c) => h("th", { scope: "col" }, c)))),
        h("tbody", {}, rows.length ? rows.map((r) => h("tr", {}, r.map((cell) =>
          h("td", typeof cell === "number" ? { class: "num" } : {}, cell))))
          : h("tr", {}, h("td", { colspan: columns.length, class: "muted" }, "none")))));
  }

  function card(label, value, id, small) {
    return h("div", { class: "card" }, h("div", { class: "label" }, label), h("div", { class: small ? "value small" : "value", "data-testid": id }, value));
  }

  function say(text, isError) {
    message.textContent = text;
    message.className = isError ? "error" : "";
    if (!isError && text) setTimeout(() => { if (message.textContent === text) message.textContent = ""; }, 5000);
  }

  function confirmDialog(text) {
    const dialog = document.getElementById("confirm");
    document.getElementById("confirm-text").textContent = text;
    return new Promise((resolve) => {
      dialog.addEventListener("close", () => resolve(dialog.returnValue === "ok"), { once: true });
      dialog.returnValue = "cancel";
      dialog.showModal();
      document.getElementById("confirm-ok").focus();
    });
  }

  function render(title, ...content) {
    document.title = `${title} · Fresco`;
    main.replaceChildren(h("h1", {}, title), ...content.filter((c) => c !== null && c !== undefined));
  }

  function every(ms, action) {
    timers.push(setInterval(action, ms));
  }

  // ---- charts ----

  function css(name) {
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  }

  function chart(title, seriesNames, unit) {
    const box = h("div", { class: "chart", role: "img", "aria-label": title });
    const data = [[], ...seriesNames.map(() => [])];
    const axis = { stroke: css("--muted"), grid: { stroke: css("--line") }, ticks: { stroke: css("--line") } };
    let plot = null;
    const draw = () => {
      const width = Math.max(200, box.clientWidth - 16);
      if (!plot) {
        plot = new uPlot({
          title, width, height: 180,
          series: [{}, ...seriesNames.map((name, i) => ({ label: name, stroke: css(`--chart-${i + 1}`), width: 2, value: (u, v) => v == null ? "" : `${v.toFixed(2)} ${unit}` }))],
          axes: [axis, Object.assign({ size: 60, values: (u, ticks) => ticks.map((t) => `${+t.toFixed(2)}`) }, axis)],
        }, data, box);
      } else {
        plot.setSize({ width, height: 180 });
        plot.setData(data);
      }
    };
    return {
      element: box,
      add(time, values) {
        data[0].push(time);
        values.forEach((v, i) => data[i + 1].push(v));
        if (data[0].length > CHART_POINTS) data.forEach((series) => series.shift());
        if (box.isConnected && box.clientWidth > 0) draw();
      },
      draw,
    };
  }

  // Percentile (0..1) of the calls between two cumulative latency snapshots, in ms (upper bound of its bucket).
  function percentile(before, after, q) {
    const counts = after.Buckets.map((c, i) => c - (before ? before.Buckets[i] : 0));
    const total = counts.reduce((a, b) => a + b, 0);
    if (total === 0) return null;
    let seen = 0;
    for (let i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= q * total) return Math.pow(2, i) / 1000;
    }
    return null;
  }

  // ---- pages ----

  async function overview() {
    const first = await get("/api/dashboard/overview");
    const cards = h("div", { class: "cards" });
    const events = chart("Events per second", ["events/s"], "/s");
    const latency = chart("Recommend latency", ["p50", "p99"], "ms");
    const runs = h("div");
    const cluster = h("div");
    render("Overview", cards, h("h2", {}, "Live"), h("div", { class: "charts" }, events.element, latency.element),
      h("h2", {}, "Last training runs"), runs, h("h2", {}, "Cluster"), cluster);
    let previous = null;
    let previousAt = 0;
    const show = (o) => {
      const now = Date.now() / 1000;
      const lookups = o.CacheHits + o.CacheMisses;
      cards.replaceChildren(
        card("Users", o.Users, "count-users"),
        card("Items", o.Items, "count-items"),
        card("Feedback", o.Feedback, "count-feedback"),
        card("Serving model", o.ServingVersion ? `${o.ServingKind} v${o.ServingVersion}` : "none", "serving"),
        card("Serving metrics", metricsText(o.ServingMetrics) || "—", "serving-metrics", true),
        card("Training", o.TrainingSince ? `running since ${when(o.TrainingSince)}` : `${o.EventsSinceTraining} events since the last run`, "training", true),
        card("Cache hit ratio", lookups ? `${(100 * o.CacheHits / lookups).toFixed(1)} %` : "—", "cache"),
        card("Ingestion queue", o.QueueDepth, "queue"));
      if (previous) {
        const seconds = Math.max(0.001, now - previousAt);
        events.add(now, [(o.Feedback - previous.Feedback) / seconds]);
        latency.add(now, [percentile(previous.RecommendLatency, o.RecommendLatency, 0.5), percentile(previous.RecommendLatency, o.RecommendLatency, 0.99)]);
      }
      previous = o;
      previousAt = now;
      runs.replaceChildren(table("Last training runs", ["Finished", "Model", "Version", "Decision", "Reason", "Candidate", "Serving", "Seconds"],
        o.TrainingRuns.map((r) => [when(r.FinishedAt), r.Run.Kind, r.Run.Version,
          h("span", { class: r.Run.Promoted ? "good" : "bad" }, r.Run.Promoted ? "promoted" : "rejected"), r.Run.Reason,
          metricsText(r.Run.CandidateMetrics), metricsText(r.Run.ServingMetrics), fixed(r.Run.DurationSeconds, 2)])));
      cluster.replaceChildren(o.ClusterNodes
        ? table("Cluster nodes", ["Node"], o.ClusterNodes.map((n) => [n]))
        : h("p", { class: "muted" }, "Single node (not clustered)."));
    };
    show(first);
    every(POLL_MS, async () => {
      try {
        show(await get("/api/dashboard/overview"));
      } catch (e) {
        fail(e);
      }
    });
  }

  function searchForm(kind, placeholder) {
    const input = h("input", { id: "search", name: "id", required: true, placeholder, autocomplete: "off" });
    return h("form", {
      class: "row", role: "search",
      onsubmit: (e) => { e.preventDefault(); go(`/${kind}s/${encodeURIComponent(input.value.trim())}`); },
    }, h("label", { for: "search" }, `${kind === "user" ? "User" : "Item"} id`, input), h("button", { type: "submit" }, "Open"));
  }

  async function listing(kind) {
    const page = await get(`/api/${kind}s?n=50`);
    const ids = page[kind === "user" ? "Users" : "Items"].map((x) => x[kind === "user" ? "UserId" : "ItemId"]);
    render(kind === "user" ? "Users" : "Items", searchForm(kind, kind === "user" ? "a user id" : "an item id"),
      h("h2", {}, `First ${ids.length}`), h("ul", { "data-testid": `${kind}-list` }, ids.map((id) => h("li", {}, kind === "user" ? userLink(id) : itemLink(id)))));
  }

  function scoredTable(caption, list, linkTo, testId, marks) {
    const sourced = list.some((x) => x.Source);
    return table(caption, sourced ? ["#", "Id", "Score", "Source"] : ["#", "Id", "Score"],
      list.map((x, i) => [i + 1, h("span", { class: marks && marks.has(x.Id) ? "new" : "" }, linkTo(x.Id), marks && marks.has(x.Id) ? " (new)" : ""),
        fixed(x.Score), sourced ? x.Source : null].filter((c) => c !== null)), { "data-testid": testId });
  }

  async function userPage(id) {
    const path = encodeURIComponent(id);
    const [user, history, recommended, neighbours] = await Promise.all([
      get(`/api/user/${path}`), get(`/api/user/${path}/feedback`),
      get(`/api/recommend/${path}?n=10&explain=true`), get(`/api/user/${path}/neighbors?n=10`)]);
    const newestFirst = history.map((f, i) => [f, i]).sort((a, b) => (Date.parse(b[0].Timestamp) - Date.parse(a[0].Timestamp)) || (b[1] - a[1])).map((x) => x[0]);
    const tried = h("div", { "data-testid": "tried" });
    const type = h("input", { id: "try-type", value: history.length ? history[history.length - 1].FeedbackType : "view", required: true });
    const item = h("input", { id: "try-item", required: true, autocomplete: "off" });
    const tryForm = h("form", {
      class: "row",
      onsubmit: async (e) => {
        e.preventDefault();
        const session = history.concat([{ FeedbackType: type.value.trim(), UserId: id, ItemId: item.value.trim(), Value: 1 }]);
        try {
          const after = await call("POST", "/api/session/recommend?n=10&explain=true", session);
          const before = new Set(recommended.map((x) => x.Id));
          tried.replaceChildren(h("p", { class: "muted" }, `With ${type.value} on ${item.value} (nothing written):`),
            scoredTable("With the event", after, itemLink, "tried-list", new Set(after.map((x) => x.Id).filter((x) => !before.has(x)))));
        } catch (err) {
          fail(err);
        }
      },
    }, h("label", { for: "try-type" }, "Feedback type", type), h("label", { for: "try-item" }, "Item id", item),
    h("button", { type: "submit" }, "Try"));
    render(`User ${id}`, searchForm("user", "another user id"),
      h("p", { class: "muted" }, `Labels: ${(user.Labels || []).join(", ") || "none"}${user.Comment ? ` · ${user.Comment}` : ""}`),
      h("div", { class: "cols" },
        h("section", {}, h("h2", {}, "Recommendations"), scoredTable("Recommendations", recommended, itemLink, "recommendations")),
        h("section", {}, h("h2", {}, "History (newest first)"),
          table("History", ["Type", "Item", "Time"], newestFirst.map((f) => [f.FeedbackType, itemLink(f.ItemId), when(f.Timestamp)]), { "data-testid": "history" }))),
      h("h2", {}, "Try an event"), tryForm, tried,
      h("h2", {}, "Neighbours"), scoredTable("Neighbours", neighbours, userLink, "neighbours"));
  }

  async function standing(name, id) {
    try {
      const list = await get(`/api/${name}?n=100`);
      const at = list.findIndex((x) => x.Id === id);
      return at < 0 ? "not in the top 100" : `#${at + 1}`;
    } catch (e) {
      return e instanceof ApiError ? e.message : String(e);
    }
  }

  async function itemPage(id) {
    const path = encodeURIComponent(id);
    const [item, similar, popular, trending, latest] = await Promise.all([
      get(`/api/item/${path}`), get(`/api/item/${path}/neighbors?n=10`),
      standing("popular", id), standing("non-personalized/trending", id), standing("latest", id)]);
    const toggle = h("button", {
      type: "button", id: "hide-toggle", "aria-pressed": item.IsHidden ? "true" : "false",
      onclick: async () => {
        toggle.disabled = true;
        try {
          await call("PATCH", `/api/item/${path}`, { IsHidden: !item.IsHidden });
          say(item.IsHidden ? `${id} is shown again.` : `${id} is hidden from recommendations.`);
          await itemPage(id);
        } catch (e) {
          fail(e);
          toggle.disabled = false;
        }
      },
    }, item.IsHidden ? "Show in recommendations" : "Hide from recommendations");
    render(`Item ${id}`, searchForm("item", "another item id"),
      h("div", { class: "cards" },
        card("Hidden", item.IsHidden ? "yes" : "no", "hidden"),
        card("Categories", (item.Categories || []).join(", ") || "none", "categories"),
        card("Labels", (item.Labels || []).join(", ") || "none", "labels"),
        card("Timestamp", when(item.Timestamp), "timestamp", true),
        card("Popular", popular, "rank-popular", true), card("Trending", trending, "rank-trending", true),
        card("Latest", latest, "rank-latest", true)),
      item.Comment ? h("p", {}, item.Comment) : null,
      h("p", {}, toggle),
      h("h2", {}, "Similar items"), scoredTable("Similar items", similar, itemLink, "similar"));
  }

  async function modelsPage() {
    const models = await get("/api/models");
    const progress = h("p", { "data-testid": "train-progress", class: "muted" });
    const train = h("button", {
      type: "button", class: "primary", id: "train",
      onclick: async () => {
        train.disabled = true;
        const started = Date.now();
        const tick = setInterval(() => { progress.textContent = `Training… ${Math.round((Date.now() - started) / 1000)} s`; }, 500);
        progress.textContent = "Training…";
        try {
          const r = await call("POST", "/api/models/train");
          say(`${r.Kind} v${r.Version} ${r.Promoted ? "promoted" : "rejected"}: ${r.Reason}`, !r.Promoted);
          await modelsPage();
        } catch (e) {
          fail(e);
          progress.textContent = "";
          train.disabled = false;
        } finally {
          clearInterval(tick);
        }
      },
    }, "Train now");
    const rollback = h("button", {
      type: "button", id: "rollback",
      onclick: async () => {
        if (!(await confirmDialog("Serve the previous model version again?"))) return;
        try {
          const r = await call("POST", "/api/models/rollback");
          say(`Serving v${r.Version} again.`);
          await modelsPage();
        } catch (e) {
          fail(e);
        }
      },
    }, "Roll back…");
    const versions = models.Versions;
    const known = [...new Set(versions.flatMap((v) => Object.keys(v.Metrics)))];
    const preferred = ["ndcg@10", "recall@10", "map@10"].filter((m) => known.includes(m));
    const metricNames = preferred.length ? preferred : known.slice(0, 3);
    const history = chart("Hold-out metrics by version", metricNames, "");
    render("Models", h("div", { class: "row" }, train, rollback), progress,
      h("p", { "data-testid": "serving" }, models.Serving ? `Serving ${models.ServingKind} v${models.Serving}.` : "No model is served yet."),
      table("Versions", ["Version", "Model", "Trained", "Metrics", "Size", "Serving"],
        versions.map((v) => [v.Version, v.Kind, when(v.CreatedAt), metricsText(v.Metrics), `${(v.SizeBytes / 1024).toFixed(1)} KiB`,
          v.IsServing ? h("span", { class: "badge good" }, "serving") : ""]), { "data-testid": "versions" }),
      metricNames.length ? h("h2", {}, "Metrics over time") : null, metricNames.length ? history.element : null);
    for (const v of [...versions].reverse()) history.add(Date.parse(v.CreatedAt) / 1000, metricNames.map((m) => v.Metrics[m] ?? null));
    if (metricNames.length) history.draw();
    const status = await get("/api/dashboard/overview");
    if (status.TrainingSince) {
      progress.textContent = `A training run is in progress (since ${when(status.TrainingSince)}).`;
      every(1000, async () => {
        try {
          if (!(await get("/api/dashboard/overview")).TrainingSince) await modelsPage();
        } catch (e) {
          fail(e);
        }
      });
    }
  }

  async function exportKind(kind, status) {
    const response = await fetch(`/api/dashboard/export/${kind}`, { headers: headers() });
    if (!response.ok) throw await problem(response);
    const reader = response.body.getReader();
    const parts = [];
    let rows = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
      for (const byte of value) if (byte === 10) rows++;
      status.textContent = `${rows} ${kind} rows…`;
    }
    const url = URL.createObjectURL(new Blob(parts, { type: "application/x-ndjson" }));
    const a = h("a", { href: url, download: `${kind}.jsonl`, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    status.textContent = `Exported ${rows} ${kind} rows.`;
  }

  function importFile(kind, file, bar, status) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open("POST", `/api/dashboard/import/${kind}`);
      for (const [name, value] of Object.entries(headers({ "Content-Type": "application/x-ndjson" }))) xhr.setRequestHeader(name, value);
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable) {
          bar.max = e.total;
          bar.value = e.loaded;
        }
      };
      xhr.onload = () => {
        let body = {};
        try { body = JSON.parse(xhr.responseText); } catch { /* not JSON */ }
        if (xhr.status === 200) {
          status.textContent = `Imported ${body.RowAffected} ${kind} rows.`;
          resolve();
        } else {
          reject(new ApiError(xhr.status, body.detail || `HTTP ${xhr.status}`));
        }
      };
      xhr.onerror = () => reject(new ApiError(0, "the upload failed"));
      xhr.send(file);
    });
  }

  function dataPage() {
    const status = h("p", { "data-testid": "data-status", role: "status" });
    const bar = h("progress", { value: 0, max: 1, "aria-label": "Import progress" });
    const exports = ["users", "items", "feedback"].map((kind) => h("button", {
      type: "button", id: `export-${kind}`,
      onclick: async () => {
        try {
          await exportKind(kind, status);
        } catch (e) {
          fail(e);
        }
      },
    }, `Export ${kind}`));
    const kind = h("select", { id: "import-kind" }, ["users", "items", "feedback"].map((k) => h("option", { value: k }, k)));
    const file = h("input", { id: "import-file", type: "file", accept: ".jsonl,.ndjson,application/x-ndjson", required: true });
    const form = h("form", {
      class: "row",
      onsubmit: async (e) => {
        e.preventDefault();
        if (!file.files.length) return;
        status.textContent = `Importing ${file.files[0].name}…`;
        try {
          await importFile(kind.value, file.files[0], bar, status);
        } catch (err) {
          status.textContent = "";
          fail(err);
        }
      },
    }, h("label", { for: "import-kind" }, "Kind", kind), h("label", { for: "import-file" }, "JSON Lines file", file),
    h("button", { type: "submit", id: "import" }, "Import"));
    render("Data",
      h("p", { class: "muted" }, "JSON Lines, one Gorse object a line. Import users and items before their feedback."),
      h("h2", {}, "Export"), h("div", { class: "row" }, exports),
      h("h2", {}, "Import"), form, bar, status);
  }

  // ---- scenarios and experiments ----

  const SRM_ALARM = 0.001; // below this sample-ratio p-value, assignment or recording is broken (docs/experiments.md)
  const percent = (x) => (typeof x === "number" ? `${(100 * x).toFixed(2)} %` : "—");
  const pValue = (p) => (typeof p === "number" ? (p < 0.0001 ? p.toExponential(1) : p.toFixed(4)) : "—");
  const signed = (x, digits) => (x >= 0 ? "+" : "−") + Math.abs(x).toFixed(digits);

  function nameForm(kind, placeholder) {
    const input = h("input", { id: "open-name", name: "name", required: true, placeholder, autocomplete: "off" });
    return h("form", {
      class: "row",
      onsubmit: (e) => { e.preventDefault(); go(`/${kind}/${encodeURIComponent(input.value.trim())}`); },
    }, h("label", { for: "open-name" }, "Name", input), h("button", { type: "submit" }, "Open"));
  }

  async function scenariosPage() {
    const scenarios = await get("/api/scenarios");
    render("Scenarios", nameForm("scenarios", "a scenario name (new or stored)"),
      table("Scenarios", ["Name", "Version", "Updated"],
        scenarios.map((s) => [link(`/scenarios/${encodeURIComponent(s.Name)}`, s.Name), s.Version, when(s.UpdatedAt)]), { "data-testid": "scenarios" }));
  }

  async function scenarioPage(name) {
    const path = `/api/scenarios/${encodeURIComponent(name)}`;
    let stored = null;
    try {
      stored = await get(path);
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 404)) throw e;
    }
    const editor = h("textarea", { id: "scenario-json", class: "code", rows: 18, spellcheck: "false", autocomplete: "off" },
      JSON.stringify(stored ? stored.Definition : {}, null, 2));
    const error = h("p", { class: "bad", role: "alert", "data-testid": "scenario-error" });
    const form = h("form", {
      onsubmit: async (e) => {
        e.preventDefault();
        error.textContent = "";
        try {
          const saved = await call("PUT", path, editor.value);
          say(`${name} is now version ${saved.Version}.`);
          await scenarioPage(name);
        } catch (err) {
          if (err instanceof ApiError && err.status === 400) {
            error.textContent = err.field ? `${err.message} (at ${err.field})` : err.message;
            editor.focus();
          } else {
            fail(err);
          }
        }
      },
    }, h("label", { for: "scenario-json" }, "Definition (JSON)", editor), error,
    h("div", { class: "row" }, h("button", { type: "submit", class: "primary" }, stored ? "Save as a new version" : "Create")));
    render(`Scenario ${name}`,
      h("p", { class: "muted", "data-testid": "scenario-version" },
        stored ? `Version ${stored.Version}, stored ${when(stored.UpdatedAt)}.` : "Not stored yet."),
      form,
      h("p", { class: "muted" }, "A request applies it with ", h("code", {}, `scenario=${name}`), "; saving checks every rule first (docs/scenarios.md)."));
  }

  const variantsText = (variants) => variants.map((v) =>
    `${v.Name} ${v.Weight}${v.Scenario ? ` (${v.Scenario})` : ""}${v.Model ? ` [${v.Model}]` : ""}`).join(", ");

  const statusBadge = (status) => h("span", { class: status === "running" ? "badge good" : "badge" }, status);

  async function experimentsPage() {
    const experiments = await get("/api/experiments");
    render("Experiments", nameForm("experiments", "an experiment name (new or stored)"),
      table("Experiments", ["Name", "Scenario", "Variants (weight)", "Start", "End", "Status"],
        experiments.map((x) => [link(`/experiments/${encodeURIComponent(x.Name)}`, x.Name), x.Definition.Scenario,
          variantsText(x.Definition.Variants), when(x.Definition.Start), when(x.Definition.End), statusBadge(x.Status)]),
        { "data-testid": "experiments" }));
  }

  // The difference from control with its 95% interval, in the metric's unit (percentage points for rates).
  function difference(v, metric, scale, digits, unit) {
    if (!v.Difference || typeof v.Difference[metric] !== "number") return "—";
    const [low, high] = v.ConfidenceInterval[metric];
    return `${signed(scale * v.Difference[metric], digits)}${unit} [${signed(scale * low, digits)}, ${signed(scale * high, digits)}]`;
  }

  // A time as the value of a datetime-local input (the browser's time zone), and back to ISO 8601.
  const pad = (n) => String(n).padStart(2, "0");
  function localInput(text) {
    if (!text) return "";
    const t = new Date(text);
    return `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())}T${pad(t.getHours())}:${pad(t.getMinutes())}`;
  }
  const isoTime = (value) => (value ? new Date(value).toISOString() : null);

  // The experiment's definition as a form: scenario, variants (name, weight, optional scenario and model), start, end.
  // Saving PUTs it; the server's problem body, when it refuses, is shown under the form with the field it names.
  function experimentEditor(name, stored, onSaved) {
    const d = stored ? stored.Definition : { Scenario: "", Variants: [{ Name: "control", Weight: 50 }, { Name: "", Weight: 50 }] };
    const input = (id, label, value, attrs) => {
      const el = h("input", Object.assign({ id, name: id, value: value ?? "", autocomplete: "off" }, attrs));
      return [el, h("label", { for: id }, label, el)];
    };
    const [scenario, scenarioLabel] = input("experiment-scenario", "Scenario", d.Scenario, { required: true });
    const [start, startLabel] = input("experiment-start", "Start", localInput(d.Start), { type: "datetime-local", required: true });
    const [end, endLabel] = input("experiment-end", "End", localInput(d.End), { type: "datetime-local", required: true });
    const rows = h("tbody", { "data-testid": "variant-rows" });
    const addVariant = (v) => {
      const i = rows.children.length;
      const cell = (field, label, value, attrs) => h("td", {}, h("input", Object.assign({
        "aria-label": `Variant ${i + 1} ${label}`, "data-field": field, value: value ?? "", autocomplete: "off" }, attrs)));
      const row = h("tr", {},
        cell("Name", "name", v.Name, { required: true }),
        cell("Weight", "weight", v.Weight, { type: "number", min: 1, step: 1, required: true, class: "num" }),
        cell("Scenario", "scenario", v.Scenario, { placeholder: "the experiment's" }),
        cell("Model", "model", v.Model, { placeholder: "the scenario's" }),
        h("td", {}, h("button", { type: "button", "aria-label": `Remove variant ${i + 1}`, onclick: () => row.remove() }, "Remove")));
      rows.append(row);
    };
    d.Variants.forEach(addVariant);
    const error = h("p", { class: "bad", role: "alert", "data-testid": "experiment-error" });
    const definition = () => ({
      Scenario: scenario.value.trim(),
      Variants: [...rows.children].map((row) => {
        const value = (field) => row.querySelector(`[data-field="${field}"]`).value.trim();
        return { Name: value("Name"), Weight: Number(value("Weight")), Scenario: value("Scenario") || null, Model: value("Model") || null };
      }),
      Start: isoTime(start.value),
      End: isoTime(end.value),
    });
    const remove = stored ? h("button", {
      type: "button", id: "experiment-delete", class: "danger",
      onclick: async () => {
        if (!await confirmDialog(`Delete experiment ${name}? Its scenario then answers as the scenario says; its stored impressions stay.`)) return;
        try {
          await call("DELETE", `/api/experiments/${encodeURIComponent(name)}`);
          say(`Experiment ${name} deleted.`);
          go("/experiments");
        } catch (err) {
          fail(err);
        }
      },
    }, "Delete") : null;
    return h("form", {
      "data-testid": "experiment-form",
      onsubmit: async (e) => {
        e.preventDefault();
        error.textContent = "";
        try {
          await call("PUT", `/api/experiments/${encodeURIComponent(name)}`, definition());
          say(`Experiment ${name} saved.`);
          await onSaved();
        } catch (err) {
          if (err instanceof ApiError && err.status === 400) {
            error.textContent = err.field ? `${err.message} (at ${err.field})` : err.message;
          } else {
            fail(err);
          }
        }
      },
    }, h("div", { class: "row" }, scenarioLabel, startLabel, endLabel),
    h("div", { class: "table-wrap" }, h("table", {},
      h("caption", { class: "muted", hidden: true }, "Variants"),
      h("thead", {}, h("tr", {}, ["Variant", "Weight", "Scenario", "Model", ""].map((c) => h("th", { scope: "col" }, c)))), rows)),
    error,
    h("div", { class: "row" },
      h("button", { type: "button", id: "experiment-add-variant", onclick: () => addVariant({ Name: "", Weight: 50 }) }, "Add a variant"),
      h("button", { type: "submit", class: "primary", id: "experiment-save" }, stored ? "Save" : "Create"), remove));
  }

  async function experimentPage(name) {
    const path = `/api/experiments/${encodeURIComponent(name)}`;
    let experiment = null;
    try {
      experiment = await get(path);
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 404)) throw e;
    }
    const reload = () => experimentPage(name);
    if (!experiment) {
      render(`Experiment ${name}`, h("p", { class: "muted", "data-testid": "experiment-status" }, "Not stored yet."),
        experimentEditor(name, null, reload),
        h("p", { class: "muted" }, "The first variant is the control; weights split the users (docs/experiments.md)."));
      return;
    }
    const results = await get(`${path}/results`);
    const d = experiment.Definition;
    const srm = results.SampleRatioPValue;
    const broken = typeof srm === "number" && srm < SRM_ALARM;
    const significant = (p) => typeof p === "number" && p < 0.05;
    const pCell = (v, metric) => (v.PValue ? h("span", { class: significant(v.PValue[metric]) ? "good" : "" }, pValue(v.PValue[metric])) : "—");
    render(`Experiment ${name}`,
      h("div", { class: "cards" },
        card("Status", experiment.Status, "status"),
        card("Scenario", d.Scenario, "scenario"),
        card("Window", `${when(d.Start)} to ${when(d.End)}`, "window", true),
        card("Variants (weight)", variantsText(d.Variants), "variants", true),
        card("Sample-ratio p-value", pValue(srm), "srm")),
      broken ? h("p", { class: "warning", role: "alert", "data-testid": "srm-warning" },
        `The users per variant do not match the weights (sample-ratio p-value ${pValue(srm)} < ${SRM_ALARM}): assignment or recording is broken; do not trust the comparisons.`) : null,
      h("h2", {}, "Results"),
      table("Results", ["Variant", "Users", "Impressions", "Clicks", "Carts", "Purchases", "CTR", "Conversion", "Revenue / user",
        "Δ CTR [95% CI]", "p", "Δ conversion [95% CI]", "p", "Δ revenue / user [95% CI]", "p"],
      results.Variants.map((v, i) => [i === 0 ? h("span", {}, v.Name, " ", h("span", { class: "badge" }, "control")) : v.Name,
        v.Users, v.Impressions, v.Clicks, v.Carts, v.Purchases, percent(v.Ctr), percent(v.ConversionRate), fixed(v.RevenuePerUser, 2),
        difference(v, "Ctr", 100, 2, " pp"), pCell(v, "Ctr"), difference(v, "ConversionRate", 100, 2, " pp"), pCell(v, "ConversionRate"),
        difference(v, "RevenuePerUser", 1, 2, ""), pCell(v, "RevenuePerUser")]), { "data-testid": "results" }),
      h("p", { class: "muted" }, "Counts are the attributed ones. Differences are from the control, per user, with a 95% interval; "
        + "p-values under 0.05 are green, with no correction for several metrics or repeated looks (docs/experiments.md)."),
      h("h2", {}, "Definition"),
      experimentEditor(name, experiment, reload),
      h("p", { class: "muted" }, "Changing weights while it runs moves users between variants and trips the sample-ratio check."));
  }

  function signIn(refused) {
    sessionStorage.removeItem(KEY);
    document.getElementById("sign-out").hidden = true;
    const input = h("input", { id: "api-key", type: "password", autocomplete: "current-password", required: true });
    const error = h("p", { class: "bad", role: "alert", "data-testid": "signin-error" }, refused ? "That key was refused." : "");
    main.replaceChildren(h("div", { class: "signin" },
      h("h1", {}, "Sign in"),
      h("p", { class: "muted" }, "This server needs its API key (Server:ApiKey). It is kept in this tab only."),
      error,
      h("form", {
        onsubmit: async (e) => {
          e.preventDefault();
          sessionStorage.setItem(KEY, input.value);
          try {
            await get("/api/dashboard/overview");
            await route();
          } catch (err) {
            if (err instanceof ApiError && err.status === 401) signIn(true);
            else fail(err);
          }
        },
      }, h("label", { for: "api-key" }, "API key", input), h("button", { type: "submit", class: "primary" }, "Sign in"))));
    document.title = "Sign in · Fresco";
    input.focus();
  }

  function fail(e) {
    if (e instanceof ApiError && e.status === 401) {
      stop();
      signIn(!!sessionStorage.getItem(KEY));
      return;
    }
    say(e instanceof ApiError ? e.message : `Error: ${e.message || e}`, true);
  }

  // ---- routing ----

  function stop() {
    timers.forEach(clearInterval);
    timers = [];
  }

  function go(path) {
    history.pushState(null, "", ROOT + path);
    route();
  }

  async function route() {
    stop();
    const path = location.pathname.slice(ROOT.length).replace(/\/+$/, "") || "/";
    const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
    for (const a of document.querySelectorAll("nav a")) {
      const section = new URL(a.href).pathname.slice(ROOT.length).split("/")[1] || "";
      if ((parts[0] || "") === section) a.setAttribute("aria-current", "page");
      else a.removeAttribute("aria-current");
    }
    document.getElementById("sign-out").hidden = !sessionStorage.getItem(KEY);
    try {
      settings = settings || await (await fetch(`${ROOT}/settings.json`)).json();
      if (settings.SignIn && !sessionStorage.getItem(KEY)) {
        signIn(false);
        return;
      }
      if (parts.length === 0) await overview();
      else if (parts[0] === "users" && parts.length === 1) await listing("user");
      else if (parts[0] === "users") await userPage(parts[1]);
      else if (parts[0] === "items" && parts.length === 1) await listing("item");
      else if (parts[0] === "items") await itemPage(parts[1]);
      else if (parts[0] === "models") await modelsPage();
      else if (parts[0] === "data") dataPage();
      else if (parts[0] === "scenarios" && parts.length === 1) await scenariosPage();
      else if (parts[0] === "scenarios") await scenarioPage(parts[1]);
      else if (parts[0] === "experiments" && parts.length === 1) await experimentsPage();
      else if (parts[0] === "experiments") await experimentPage(parts[1]);
      else render("Not found", h("p", {}, "No such page. "), link("/", "Overview"));
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) render("Not found", h("p", {}, e.message));
      else fail(e);
    }
    main.focus({ preventScroll: true });
  }

  document.addEventListener("click", (e) => {
    const a = e.target.closest("a");
    if (!a || a.target || a.hasAttribute("download") || e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin || !url.pathname.startsWith(ROOT)) return;
    e.preventDefault();
    go(url.pathname.slice(ROOT.length) || "/");
  });
  window.addEventListener("popstate", route);
  document.getElementById("sign-out").addEventListener("click", () => {
    stop();
    signIn(false);
  });
  route();
})();
