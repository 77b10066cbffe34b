// Small charts of the park page: one uPlot chart per series (one line each), the unit on the
// y axis, period ends on the x axis; a link over every point opens its source article.
(function () {
  "use strict";
  var dataNode = document.getElementById("series-data");
  if (!dataNode || typeof uPlot === "undefined") { return; }
  var charts = JSON.parse(dataNode.textContent);

  function human(v) {
    if (v === null || v === undefined) { return ""; }
    var a = Math.abs(v);
    if (a >= 1e9) { return +(v / 1e9).toFixed(2) + " bn"; }
    if (a >= 1e6) { return +(v / 1e6).toFixed(2) + " m"; }
    return String(+v.toFixed(2));
  }

  function links(chart) {
    return function (u) {
      var old = u.over.querySelectorAll("a.pt");
      for (var i = 0; i < old.length; i++) { old[i].remove(); }
      for (var j = 0; j < u.data[0].length; j++) {
        var link = chart.links[j];
        var a = document.createElement("a");
        a.className = "pt main" + (link.conflict ? " conflict" : "");
        a.href = link.href;
        a.title = link.label;
        a.setAttribute("aria-label", link.label);
        a.style.left = u.valToPos(u.data[0][j], "x") + "px";
        a.style.top = u.valToPos(u.data[1][j], "y") + "px";
        u.over.appendChild(a);
      }
    };
  }

  var boxes = document.querySelectorAll(".series-chart");
  for (var i = 0; i < boxes.length; i++) {
    var box = boxes[i], chart = charts[+box.dataset.index];
    new uPlot({
      width: Math.max(280, box.clientWidth || 360), height: 180, legend: { show: false },
      scales: { x: { time: true } },
      axes: [{}, { label: chart.unit, values: function (u, vals) { return vals.map(human); },
                   size: 70 }],
      series: [{ label: "period end" },
               { label: chart.label, stroke: "#1f5f8b", width: 2,
                 points: { size: 7, fill: "#1f5f8b" } }],
      hooks: { draw: [links(chart)] }
    }, [chart.x, chart.y], box);
    box.dataset.drawn = String(chart.x.length);
  }
})();
