// 指挥中心 charts (ECharts, served locally) and the period chooser. No inline
// scripts (CSP script-src 'self'): chart data comes from the JSON block
// <script type="application/json" id="sf-chart-data">.
(function () {
  "use strict";
  var wall = document.body.classList.contains("sf-wall");

  // Period chooser: the "part" options follow the chosen kind; dates only for custom.
  var form = document.querySelector("[data-period-form]");
  if (form) {
    var kind = form.querySelector("select[name=kind]");
    var part = form.querySelector("select[name=part]");
    var parts = part ? JSON.parse(part.getAttribute("data-parts") || "{}") : {};
    var show = function (name, on) {
      var box = form.querySelector("[data-field=" + name + "]");
      if (box) box.style.display = on ? "" : "none";
    };
    var sync = function (keep) {
      var k = kind ? kind.value || "year" : "year";
      if (part) {
        var current = keep ? part.value : "";
        part.innerHTML = "";
        part.appendChild(new Option("—", ""));
        (parts[k] || []).forEach(function (p) { part.appendChild(new Option(p[1], p[0])); });
        part.value = current;
      }
      show("part", !!parts[k]);
      show("year", k !== "custom");
      show("start", k === "custom");
      show("end", k === "custom");
    };
    if (kind) { kind.addEventListener("change", function () { sync(false); }); sync(true); }
  }

  // Fullscreen for the wall display.
  document.addEventListener("click", function (ev) {
    if (ev.target.closest("[data-fullscreen]") && document.documentElement.requestFullscreen) {
      document.documentElement.requestFullscreen().catch(function () {});
    }
  });

  var dataEl = document.getElementById("sf-chart-data");
  if (!dataEl || typeof echarts === "undefined") return;
  var data = JSON.parse(dataEl.textContent);
  var theme = wall ? "dark" : null;
  var charts = [];
  var text = wall ? "#e6edf7" : "#1f2d3d";
  var base = { backgroundColor: "transparent", textStyle: { fontSize: wall ? 16 : 12 }, grid: { left: 48, right: 16, top: 36, bottom: 40, containLabel: true } };

  // Legends scroll on one line instead of wrapping over the plot; the series
  // names are long ("人民调解·登记纠纷数"), and there may be many of them.
  // Nobody clicks a wall's pager: there every name stands in a column at the
  // right, beside the plot (WALL_LEGEND wide), all of them at once.
  var WALL_LEGEND = 230;
  function legend() {
    if (wall) {
      return { type: "plain", orient: "vertical", right: 0, top: "middle", itemGap: 6, itemWidth: 18, itemHeight: 10,
        textStyle: { color: text, fontSize: 14, width: WALL_LEGEND - 34, overflow: "truncate" } };
    }
    return { type: "scroll", top: 0, left: 0, right: 0, textStyle: { color: text }, pageTextStyle: { color: text } };
  }
  // A wall's bars name only the figures there are: a row of zeros reads as noise.
  function barLabel(n) {
    var label = { show: n <= 8, position: "top" };
    if (wall) label.formatter = function (p) { return p.value ? p.value : ""; };
    return label;
  }
  function legendGrid() {
    return Object.assign({}, base.grid, wall ? { top: 36, right: WALL_LEGEND } : { top: 56 });
  }
  function valueAxis(unit, minInterval) {
    var axis = { type: "value", name: unit || "", nameTextStyle: { color: text, align: "right" } };
    if (minInterval) axis.minInterval = minInterval;
    return axis;
  }
  function go(urls) {
    return function (p) { var u = urls && urls[p.seriesIndex] && urls[p.seriesIndex][p.dataIndex]; if (u) window.location.href = u; };
  }
  function mount(el, option, urls) {
    var chart = echarts.init(el, theme, { renderer: "canvas" });
    chart.setOption(Object.assign({}, base, option));
    chart.on("click", go(urls));
    el.setAttribute("data-ready", "1");
    charts.push(chart);
  }

  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var kind = el.getAttribute("data-chart");
    if (kind === "trend") {
      var t = data.trend;
      mount(el, {
        tooltip: { trigger: "axis" },
        legend: legend(),
        grid: legendGrid(),
        xAxis: { type: "category", data: t.months },
        yAxis: valueAxis(t.unit, 1),
        // Counts per month: straight segments between the months' values, never a
        // curve suggesting figures between them (or below zero).
        series: t.series.map(function (s) { return { name: s.name, type: "line", smooth: false, data: s.data, symbolSize: wall ? 9 : 7, lineStyle: { width: wall ? 3 : 2 } }; })
      }, t.series.map(function (s) { return s.urls; }));
    } else if (kind === "offices") {
      var o = data.offices;
      mount(el, {
        tooltip: { trigger: "axis" },
        legend: legend(),
        grid: legendGrid(),
        xAxis: { type: "category", data: o.names, axisLabel: { interval: 0, rotate: o.names.length > 5 ? 30 : 0 } },
        yAxis: valueAxis(o.unit, o.unit === "件" ? 1 : 0),
        series: o.series.map(function (s) { return { name: s.name, type: "bar", data: s.data, label: barLabel(o.names.length) }; })
      }, o.series.map(function (s) { return s.urls; }));
    } else if (kind === "types") {
      var item = data.types[+el.getAttribute("data-index")];
      mount(el, {
        tooltip: { trigger: "item", formatter: "{b}：{c}（{d}%）" },
        series: [{ type: "pie", radius: ["35%", "68%"], data: item.items.map(function (i) { return { name: i.name, value: i.value }; }), label: { color: text } }]
      }, [item.items.map(function (i) { return i.url; })]);
    }
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
