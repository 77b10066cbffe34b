// The metric page's chart: uPlot draws the series; a link is laid over every point so each
// opens its source article (the table below the chart holds the same links without script).
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
