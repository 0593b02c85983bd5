// The reports' charts (services/console/reports): each [data-chart] element is drawn by the vendored ECharts from
// the JSON its page embeds ({title, categories, series: [{name, data}]}), as horizontal bars, one group per line of
// the table beside it (which holds the same figures for anyone who cannot see the chart). No words here: the
// page's JSON carries them.
(function () {
  var COLOURS = ["#b42318", "#d97706", "#0969da", "#1a7f37", "#8250df", "#57606a"];

  function draw(holder) {
    var source = document.getElementById(holder.getAttribute("data-chart"));
    if (!source || typeof echarts === "undefined") return;
    var figures = JSON.parse(source.textContent);
    var groups = figures.categories.length;
    var perGroup = Math.max(1, figures.series.length) * 14 + 16;
    holder.style.height = Math.max(240, 70 + groups * perGroup) + "px";
    var chart = echarts.init(holder, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      color: COLOURS,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0, type: "scroll" },
      grid: { left: 8, right: 40, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: figures.categories, inverse: true, axisLabel: { width: 140, overflow: "truncate" } },
      series: figures.series.map(function (line) {
        return { name: line.name, type: "bar", data: line.data, label: { show: true, position: "right" } };
      }),
    });
    holder.setAttribute("data-drawn", "true");
    window.addEventListener("resize", function () {
      chart.resize();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-chart]").forEach(draw);
  });
})();
