// The metric page's chart: uPlot draws one line per series (a park's measure of one kind and
// granularity; the y axis names the unit); a link is laid over every point so each opens its
// source article (the table below the chart holds the same links without script). An archive
// whose facts are not linked yet gets the former single line.
(function () {
  "use strict";
  var box = document.getElementById("chart");
  var dataNode = document.getElementById("chart-data");
  if (!box || !dataNode || typeof uPlot === "undefined") { return; }
  var data = JSON.parse(dataNode.textContent);
  var unit = data.unit || "";

  function human(v) {
    if (v === null || v === undefined) { return ""; }
    var a = Math.abs(v);
    if (a >= 1e9) { return +(v / 1e9).toFixed(2) + " billion"; }
    if (a >= 1e6) { return +(v / 1e6).toFixed(2) + " million"; }
    return String(+v.toFixed(2));
  }

  function placeLinks(u) {
    var old = u.over.querySelectorAll("a.pt");
    for (var i = 0; i < old.length; i++) { old[i].remove(); }
    [["main", 1], ["rival", 2]].forEach(function (pair) {
      var key = pair[0], ys = u.data[pair[1]];
      for (var j = 0; j < u.data[0].length; j++) {
        var link = data.links[j][key];
        if (!link || ys[j] === null || ys[j] === undefined) { continue; }
        var a = document.createElement("a");
        a.className = "pt " + key + (link.conflict ? " conflict" : "");
        a.href = link.href;
        a.title = link.label;
        a.setAttribute("aria-label", link.label);
        a.style.left = u.valToPos(u.data[0][j], "x") + "px";
        a.style.top = u.valToPos(ys[j], "y") + "px";
        u.over.appendChild(a);
      }
    });
  }

  var COLOURS = ["#1f5f8b", "#c2410c", "#15803d", "#7c3aed", "#b45309", "#0f766e", "#be185d",
                 "#4d7c0f", "#1d4ed8", "#a16207"];

  function period(u, vals) {  // period-aware ticks: a month, not a day; each shown once
    var last = null;
    return vals.map(function (v) {
      var label = new Date(v * 1000).toISOString().slice(0, 7);
      if (label === last) { return ""; }
      last = label;
      return label;
    });
  }

  // One line per series id (parkwatch/web/parks.py metric_lines): aligned on the union of
  // their period ends, never joined across series; values of no series are dots.
  function drawLines(lines) {
    var xs = [];
    lines.forEach(function (l) { xs = xs.concat(l.x); });
    xs = xs.filter(function (x, i) { return xs.indexOf(x) === i; }).sort(function (a, b) { return a - b; });
    var table = [xs];
    var series = [{ label: "period end" }];
    lines.forEach(function (l, n) {
      var ys = xs.map(function (x) { var at = l.x.indexOf(x); return at < 0 ? null : l.y[at]; });
      table.push(ys);
      var colour = l.series_id ? COLOURS[n % COLOURS.length] : "#6b7280";
      series.push({ label: l.label, stroke: colour, width: l.series_id ? 2 : 0, spanGaps: true,
                    paths: l.series_id ? undefined : function () { return null; },
                    points: { show: true, size: 8, fill: colour },
                    value: function (u, v) { return human(v); } });
    });
    function lineLinks(u) {
      var old = u.over.querySelectorAll("a.pt");
      for (var i = 0; i < old.length; i++) { old[i].remove(); }
      lines.forEach(function (l, n) {
        for (var j = 0; j < l.x.length; j++) {
          var link = l.links[j], a = document.createElement("a");
          a.className = "pt main" + (link.conflict ? " conflict" : "");
          a.href = link.href;
          a.title = l.label + " — " + link.label;
          a.setAttribute("aria-label", a.title);
          a.dataset.series = l.series_id || "";
          a.style.left = u.valToPos(l.x[j], "x") + "px";
          a.style.top = u.valToPos(l.y[j], "y") + "px";
          u.over.appendChild(a);
        }
      });
    }
    var plot = new uPlot({
      width: Math.max(320, box.clientWidth || 800), height: 360,
      scales: { x: { time: true } },
      axes: [{ values: period }, { label: unit, values: function (u, vals) { return vals.map(human); }, size: 80 }],
      series: series, hooks: { draw: [lineLinks] }
    }, table, box);
    box.dataset.drawn = String(xs.length);
    box.dataset.lines = String(plot.series.length - 1);
    window.parkwatchChart = plot;
    window.addEventListener("resize", function () {
      plot.setSize({ width: Math.max(320, box.clientWidth), height: 360 });
    });
  }

  if (data.lines && data.lines.length) { drawLines(data.lines); return; }

  var opts = {
    width: Math.max(320, box.clientWidth || 800),
    height: 320,
    scales: { x: { time: true } },
    axes: [{}, { values: function (u, vals) { return vals.map(human); }, size: 80 }],
    series: [
      { label: "period end" },
      { label: "value (" + unit + ")", stroke: "#1f5f8b", width: 2,
        points: { size: 9, fill: "#1f5f8b" }, value: function (u, v) { return human(v); } },
      { label: "conflicting value", stroke: "#b42318", width: 0, paths: function () { return null; },
        points: { show: true, size: 11, fill: "#b42318" }, value: function (u, v) { return human(v); } }
    ],
    hooks: { draw: [placeLinks] }
  };
  var plot = new uPlot(opts, [data.x, data.main, data.rival], box);
  box.dataset.drawn = String(data.x.length);
  window.addEventListener("resize", function () {
    plot.setSize({ width: Math.max(320, box.clientWidth), height: 320 });
  });
})();
