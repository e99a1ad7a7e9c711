// Draws every chart of a console page from the JSON beside it (figures also in the table).
(function () {
  "use strict";
  function draw(el) {
    var data = JSON.parse(document.getElementById(el.getAttribute("data-chart")).textContent);
    var chart = echarts.init(el);
    var option;
    if (data.kind === "pie") {
      option = {
        tooltip: { trigger: "item" },
        legend: { bottom: 0 },
        series: [{
          type: "pie", radius: ["35%", "65%"],
          data: data.categories.map(function (c, i) { return { name: c, value: data.series[0].data[i] }; })
        }]
      };
    } else {
      option = {
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        grid: { left: 60, right: 20, top: 35, bottom: 50 },
        xAxis: { type: "category", data: data.categories, axisLabel: { interval: 0, rotate: data.categories.length > 8 ? 35 : 0 } },
        yAxis: { type: "value", name: data.unit },
        series: data.series.map(function (s) { return { name: s.name, type: data.kind, data: s.data }; })
      };
    }
    option.animation = false;
    chart.setOption(option);
    el.setAttribute("data-drawn", "true");
    window.addEventListener("resize", function () { chart.resize(); });
  }
  function all() { document.querySelectorAll("[data-chart]").forEach(draw); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", all); } else { all(); }
})();
