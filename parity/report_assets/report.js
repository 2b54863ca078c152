"use strict";
(function () {
  const data = JSON.parse(document.getElementById("report-data").textContent);
  const metrics = Object.fromEntries(data.metrics.map((m) => [m.metric_name, m]));
  const SVG = "http://www.w3.org/2000/svg";

  function fmt(metric, value) {
    if (value === null || value === undefined) return "-";
    const m = metrics[metric] || { unit: "", scale: 1 };
    if (m.unit === "ratio") return (100 * value).toFixed(1) + "%";
    return Number(value * (m.scale || 1)).toLocaleString("en", { maximumFractionDigits: 1 });
  }
  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => node.setAttribute(k, v));
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function svgEl(tag, attrs) {
    const node = document.createElementNS(SVG, tag);
    Object.entries(attrs || {}).forEach(([k, v]) => node.setAttribute(k, v));
    return node;
  }
  function table(columns, rows) {
    const t = el("table");
    const head = el("tr");
    columns.forEach((c) => head.appendChild(el("th", { class: c.text ? "text" : "" }, c.label)));
    t.appendChild(head);
    rows.forEach((r) => {
      const tr = el("tr");
      columns.forEach((c) => {
        const td = el("td", { class: c.text ? "text" : "" }, c.value(r));
        if (c.cls) td.className += " " + c.cls(r);
        tr.appendChild(td);
      });
      t.appendChild(tr);
    });
    return t;
  }
  function scale(domain, range) {
    const [d0, d1] = domain[0] === domain[1] ? [domain[0] - 1, domain[1] + 1] : domain;
    return (v) => range[0] + ((v - d0) / (d1 - d0)) * (range[1] - range[0]);
  }

  const p = data.period;
  document.getElementById("period").textContent =
    "Review period " + p.review_start + " to " + p.review_end + " (data to " + p.as_of +
    "); targets from " + p.target_start + " due " + p.target_due + ".";

  // Scorecards: one table per scope type, columns grouped by pillar.
  const cards = document.getElementById("scorecard-tables");
  ["site", "team"].forEach((scopeType) => {
    const rows = data.scorecard.filter((r) => r.scope_type === scopeType);
    const columns = [];
    data.pillars.forEach((pillar) => {
      const seen = new Set();
      rows.forEach((r) => {
        if (metrics[r.metric_name] && metrics[r.metric_name].pillar === pillar)
          seen.add(r.metric_name + "|" + r.channel);
      });
      [...seen].sort().forEach((key) => columns.push({ pillar, key }));
    });
    const byScope = {};
    rows.forEach((r) => {
      byScope[r.scope_id] = byScope[r.scope_id] || { site: r.site_id };
      byScope[r.scope_id][r.metric_name + "|" + r.channel] = r;
    });
    const t = el("table");
    const groups = el("tr");
    groups.appendChild(el("th", {}, ""));
    data.pillars.forEach((pillar) => {
      const span = columns.filter((c) => c.pillar === pillar).length;
      if (span) groups.appendChild(el("th", { colspan: span }, pillar.replace("_", " ")));
    });
    t.appendChild(groups);
    const head = el("tr");
    head.appendChild(el("th", { class: "text" }, scopeType));
    columns.forEach((c) => {
      const [metric, channel] = c.key.split("|");
      head.appendChild(el("th", {}, metric + (channel === "all" ? "" : " (" + channel + ")")));
    });
    t.appendChild(head);
    Object.keys(byScope).sort().forEach((scope) => {
      const tr = el("tr");
      const site = byScope[scope].site;
      tr.appendChild(el("td", { class: "text" }, scope + (site ? " (" + site + ")" : "")));
      columns.forEach((c) => {
        const r = byScope[scope][c.key];
        const td = el("td", {}, r ? fmt(r.metric_name, r.shrunk_value) : "");
        if (r && !r.is_rankable) td.className = "small";
        else if (r && r.is_champion) td.className = "champion";
        else if (r && r.has_gap) td.className = "gap";
        if (r) td.title = "peer median " + fmt(r.metric_name, r.peer_median) + ", " + r.events + " events";
        tr.appendChild(td);
      });
      t.appendChild(tr);
    });
    cards.appendChild(el("h3", {}, scopeType === "site" ? "Sites" : "Teams"));
    cards.appendChild(t);
  });

  // Agent distributions: dots and percentile lines.
  const dist = document.getElementById("distribution-charts");
  data.distributions.forEach((d) => {
    if (!d.values.length) return;
    const w = 360, h = 120, m = 24;
    const lo = Math.min(...d.values, d.p25), hi = Math.max(...d.values, d.p90);
    const x = scale([lo, hi], [m, w - m]);
    const svg = svgEl("svg", { width: w, height: h, class: "chart distribution", role: "img" });
    svg.appendChild(svgEl("line", { x1: m, x2: w - m, y1: h - 28, y2: h - 28, stroke: "#9aa3ad" }));
    d.values.forEach((v, i) => {
      svg.appendChild(svgEl("circle", { cx: x(v), cy: 20 + (i % 9) * 7, r: 3,
                                        fill: "#3b6ea5", "fill-opacity": 0.7, class: "point" }));
    });
    [["p25", d.p25], ["p50", d.p50], ["p75", d.p75], ["p90", d.p90]].forEach(([name, v]) => {
      svg.appendChild(svgEl("line", { x1: x(v), x2: x(v), y1: 12, y2: h - 28,
                                      stroke: name === "p50" ? "#1d2733" : "#d08c2b",
                                      "stroke-dasharray": name === "p50" ? "" : "3,2" }));
      const label = svgEl("text", { x: x(v), y: h - 14, "text-anchor": "middle" });
      label.textContent = name + " " + fmt(d.metric_name, v);
      if (name === "p25" || name === "p75") label.setAttribute("y", h - 3);
      svg.appendChild(label);
    });
    const fig = el("figure");
    fig.appendChild(el("figcaption", {}, d.metric_name + " (" + d.channel + "), " + d.peer_group +
                                         ": " + d.values.length + " agents"));
    fig.appendChild(svg);
    dist.appendChild(fig);
  });

  // Funnel plots: raw rate against volume with control limits around the peer rate.
  const funnels = document.getElementById("funnel-charts");
  data.funnels.forEach((f) => {
    if (!f.points.length || f.peer_rate === null) return;
    const w = 360, h = 220, m = 34;
    const maxN = Math.max(...f.points.map((q) => q.n));
    const rates = f.points.map((q) => q.rate);
    const limit = (n, z) => z * Math.sqrt((f.peer_rate * (1 - f.peer_rate)) / n);
    const nMin = Math.max(1, Math.min(...f.points.map((q) => q.n)));
    const lo = Math.max(0, Math.min(...rates, f.peer_rate - limit(nMin, 3.09)));
    const hi = Math.min(1, Math.max(...rates, f.peer_rate + limit(nMin, 3.09)));
    const x = scale([0, maxN], [m, w - 10]);
    const y = scale([lo, hi], [h - m, 10]);
    const svg = svgEl("svg", { width: w, height: h, class: "chart funnel", role: "img" });
    svg.appendChild(svgEl("line", { x1: m, x2: w - 10, y1: y(f.peer_rate), y2: y(f.peer_rate),
                                    stroke: "#1d2733" }));
    [[1.96, "#d08c2b"], [3.09, "#b33a3a"]].forEach(([z, colour]) => {
      [1, -1].forEach((sign) => {
        let path = "";
        for (let i = 1; i <= 60; i++) {
          const n = nMin + ((maxN - nMin) * i) / 60;
          const v = Math.min(hi, Math.max(lo, f.peer_rate + sign * limit(n, z)));
          path += (path ? " L" : "M") + x(n).toFixed(1) + "," + y(v).toFixed(1);
        }
        svg.appendChild(svgEl("path", { d: path, fill: "none", stroke: colour,
                                        "stroke-dasharray": "4,2" }));
      });
    });
    f.points.forEach((q) => {
      const outside = Math.abs(q.rate - f.peer_rate) > limit(q.n, 3.09);
      const dot = svgEl("circle", { cx: x(q.n), cy: y(q.rate), r: 3, class: "point",
                                    fill: outside ? "#b33a3a" : "#3b6ea5", "fill-opacity": 0.75 });
      const tip = svgEl("title");
      tip.textContent = q.scope_id + ": " + fmt(f.metric_name, q.rate) + " on " + q.n;
      dot.appendChild(tip);
      svg.appendChild(dot);
    });
    const axis = svgEl("text", { x: w / 2, y: h - 6, "text-anchor": "middle" });
    axis.textContent = "volume (denominator)";
    svg.appendChild(axis);
    const fig = el("figure");
    fig.appendChild(el("figcaption", {}, f.metric_name + " (" + f.channel + "), " + f.peer_group +
                                         ": peer rate " + fmt(f.metric_name, f.peer_rate)));
    fig.appendChild(svg);
    funnels.appendChild(fig);
  });

  document.getElementById("gap-table").appendChild(table([
    { label: "scope", text: true, value: (r) => r.scope_type + " " + r.scope_id },
    { label: "metric", text: true, value: (r) => r.metric_name + " (" + r.channel + ")" },
    { label: "value", value: (r) => fmt(r.metric_name, r.value) },
    { label: "benchmark", text: true, value: (r) => r.benchmark_kind + " " + fmt(r.metric_name, r.benchmark_value) +
        (r.benchmark_source ? " (" + r.benchmark_source + ")" : "") },
    { label: "gap interval", value: (r) => fmt(r.metric_name, r.gap_low) + " to " + fmt(r.metric_name, r.gap_high) },
    { label: "where it concentrates", text: true, value: (r) => r.concentrates_in ?
        r.concentrates_in + (r.concentration_share ? " (" + (100 * r.concentration_share).toFixed(0) + "%)" : "") : "-" },
    { label: "impact per month", text: true, value: (r) => r.impact_per_month === null ? "-" :
        Math.round(r.impact_per_month).toLocaleString("en") + " " + r.impact_unit },
  ], data.gaps));

  document.getElementById("signal-table").appendChild(table([
    { label: "signal", text: true, value: (r) => r.signal },
    { label: "scope", text: true, value: (r) => r.scope_type + " " + r.scope_id },
    { label: "contact reason", text: true, value: (r) => r.contact_reason || "-" },
    { label: "evidence", text: true, value: (r) => r.evidence },
  ], data.signals));

  document.getElementById("target-table").appendChild(table([
    { label: "scope", text: true, value: (r) => r.scope_type + " " + r.scope_id },
    { label: "metric", text: true, value: (r) => r.metric_name + " (" + r.channel + ")" },
    { label: "baseline", value: (r) => fmt(r.metric_name, r.baseline_value) },
    { label: "target", value: (r) => fmt(r.metric_name, r.target_value) },
    { label: "to date", value: (r) => fmt(r.metric_name, r.value_to_date) },
    { label: "progress", value: (r) => r.progress_share === null ? "-" : (100 * r.progress_share).toFixed(0) + "%" },
    { label: "due", value: (r) => r.due_date },
    { label: "guardrail", text: true, value: (r) => r.guardrail_metric ?
        r.guardrail_metric + (r.is_guardrail_respected === false ? " (breached)" : "") : "-" },
  ], data.targets));

  document.getElementById("action-table").appendChild(table([
    { label: "scope", text: true, value: (r) => r.scope_type + " " + r.scope_id },
    { label: "type", text: true, value: (r) => r.action_type },
    { label: "action", text: true, value: (r) => r.action },
    { label: "evidence", text: true, value: (r) => r.evidence },
    { label: "expected effect", text: true, value: (r) => r.expected_effect },
    { label: "issued", value: (r) => r.issued_on },
  ], data.actions));
  document.body.setAttribute("data-rendered", "true");
})();
