// thidua dashboard charts: fetch Datasette's JSON API, draw plain inline SVG (no library, no CDN).
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var status = document.getElementById("chart-status");
  var db = status.getAttribute("data-db");

  function el(name, attrs, text) {
    var e = document.createElementNS(NS, name);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) e.textContent = String(text);  // text, never HTML
    return e;
  }
  function getJSON(path) {
    return fetch(db + path, {headers: {Accept: "application/json"}}).then(function (r) {
      if (!r.ok) throw new Error(path + ": HTTP " + r.status);
      return r.json();
    });
  }
  var PALETTE = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7",
                 "#9c755f", "#bab0ac"];

  function timeline(rows) {
    var svg = document.getElementById("timeline");
    var years = Array.from(new Set(rows.map(function (r) { return r.year; }))).filter(function (y) { return y !== null; }).sort();
    var key = function (r) { return (r.kind === "khoi" ? "Khối " : "Cụm ") + (r.number === null ? "" : r.number) + " · " + (r.parent || "?"); };
    var clusters = Array.from(new Set(rows.map(key))).sort(function (a, b) {
      return a.localeCompare(b, "vi", {numeric: true});
    });
    var leaders = Array.from(new Set(rows.map(function (r) { return r.leader_unit || "?"; })));
    var left = 230, top = 30, cw = 150, ch = 30;
    var width = left + years.length * cw + 20, height = top + clusters.length * ch + 20;
    svg.setAttribute("width", width); svg.setAttribute("height", height);
    svg.setAttribute("viewBox", "0 0 " + width + " " + height);
    years.forEach(function (y, i) {
      svg.appendChild(el("text", {x: left + i * cw + cw / 2, y: 18, "text-anchor": "middle", "font-weight": "bold"}, y));
      svg.appendChild(el("line", {x1: left + i * cw, y1: top - 4, x2: left + i * cw, y2: height - 20, stroke: "#ddd"}));
    });
    clusters.forEach(function (c, j) {
      svg.appendChild(el("text", {x: left - 8, y: top + j * ch + ch / 2 + 4, "text-anchor": "end"}, c));
    });
    rows.forEach(function (r) {
      var i = years.indexOf(r.year), j = clusters.indexOf(key(r));
      if (i < 0 || j < 0) return;
      var leader = r.leader_unit || "?";
      var color = PALETTE[leaders.indexOf(leader) % PALETTE.length];
      var g = el("g", {});
      var link = el("a", {href: db + "/leaders?cluster=" + encodeURIComponent(r.number === null ? "" : r.number) +
                              "&year=" + encodeURIComponent(r.year) + "&kind=" + encodeURIComponent(r.kind) +
                              "&parent=" + encodeURIComponent(r.parent || "")});
      var rect = el("rect", {x: left + i * cw + 3, y: top + j * ch + 3, width: cw - 6, height: ch - 6, rx: 4,
                             fill: color, "fill-opacity": 0.85, "class": "point" + (r.conflict ? " conflict" : ""),
                             "data-year": r.year, "data-cluster": key(r), "data-leader": leader});
      rect.appendChild(el("title", {}, key(r) + ", " + r.year + ": " + leader +
                          (r.deputy_unit ? " (phó / deputy: " + r.deputy_unit + ")" : "") +
                          " — " + r.sources + " bài / articles" + (r.conflict ? " — CONFLICT" : "")));
      link.appendChild(rect);
      link.appendChild(el("text", {x: left + i * cw + cw / 2, y: top + j * ch + ch / 2 + 4, "text-anchor": "middle",
                                   fill: "#fff", "pointer-events": "none"}, leader.length > 22 ? leader.slice(0, 21) + "…" : leader));
      g.appendChild(link);
      svg.appendChild(g);
    });
  }

  function perMonth(rows) {
    var svg = document.getElementById("per-month");
    var left = 40, top = 20, bw = 34, h = 180;
    var max = Math.max.apply(null, rows.map(function (r) { return r.articles; }).concat([1]));
    var width = left + rows.length * bw + 20, height = top + h + 60;
    svg.setAttribute("width", width); svg.setAttribute("height", height);
    svg.setAttribute("viewBox", "0 0 " + width + " " + height);
    svg.appendChild(el("line", {x1: left, y1: top + h, x2: width - 10, y2: top + h, stroke: "#333"}));
    svg.appendChild(el("line", {x1: left, y1: top, x2: left, y2: top + h, stroke: "#333"}));
    for (var t = 0; t <= max; t += Math.max(1, Math.ceil(max / 5))) {
      var ty = top + h - (t / max) * h;
      svg.appendChild(el("text", {x: left - 6, y: ty + 4, "text-anchor": "end"}, t));
    }
    rows.forEach(function (r, i) {
      var bh = (r.articles / max) * h, x = left + i * bw + 4;
      var rect = el("rect", {x: x, y: top + h - bh, width: bw - 8, height: bh, fill: "#4e79a7", "class": "point",
                             "data-month": r.month, "data-count": r.articles});
      rect.appendChild(el("title", {}, r.month + ": " + r.articles));
      svg.appendChild(rect);
      svg.appendChild(el("text", {x: x + (bw - 8) / 2, y: top + h - bh - 4, "text-anchor": "middle"}, r.articles));
      svg.appendChild(el("text", {x: x + (bw - 8) / 2, y: top + h + 12, "text-anchor": "end",
                                  transform: "rotate(-60 " + (x + (bw - 8) / 2) + " " + (top + h + 12) + ")"}, r.month));
    });
  }

  Promise.all([getJSON("/leaders.json?_shape=array&_size=max"),
               getJSON("/articles_per_month.json?_shape=array&_size=max")])
    .then(function (res) {
      timeline(res[0]); perMonth(res[1]);
      status.textContent = res[0].length + " cluster-years, " + res[1].length + " months";
      document.body.setAttribute("data-charts", "ready");
    })
    .catch(function (err) {
      status.textContent = "Lỗi / error: " + err.message;
      document.body.setAttribute("data-charts", "error");
    });
})();
