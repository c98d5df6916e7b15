/* Dataset charts (数据开放): each <figure data-chart> names a JSON file the build wrote from the
   dataset's records; ECharts draws it as SVG. The data table below the chart stays the accessible
   and no-JavaScript form of the same numbers. */
"use strict";

const PALETTE = ["#a4262c", "#2f5597", "#3d7a3a", "#b26b00", "#6b3fa0"];

function option(spec, label) {
  const base = {
    color: PALETTE,
    animation: false,
    // ECharts' own description reads category indexes as values; the page's label says where the numbers are.
    aria: { enabled: true, label: { description: label } },
    textStyle: { fontFamily: "sans-serif", fontSize: 14 },
    tooltip: { trigger: spec.type === "pie" ? "item" : "axis" },
    legend: { top: 0, type: "scroll" },
  };
  if (spec.type === "pie") {
    const serie = spec.series[0];
    return Object.assign(base, {
      series: [{ type: "pie", name: serie.name, radius: ["35%", "65%"], top: 30,
                 data: spec.x.map((name, i) => ({ name: String(name), value: serie.data[i] })) }],
    });
  }
  return Object.assign(base, {
    grid: { left: 8, right: 16, top: 48, bottom: 8, containLabel: true },
    xAxis: { type: "category", name: "", data: spec.x.map(String) },
    yAxis: { type: "value", scale: spec.type === "line" },
    series: spec.series.map((s) => ({ type: spec.type, name: s.name, data: s.data })),
  });
}

async function draw(figure) {
  const canvas = figure.querySelector(".chart-canvas");
  try {
    const response = await fetch(figure.dataset.chart);
    if (!response.ok) { throw new Error(String(response.status)); }
    const spec = await response.json();
    const chart = window.echarts.init(canvas, null, { renderer: "svg" });
    chart.setOption(option(spec, canvas.getAttribute("aria-label")));
    window.addEventListener("resize", () => chart.resize());
    figure.dataset.drawn = "true";
  } catch (error) {
    canvas.textContent = "图表暂时无法显示,数据见下表。";
    figure.dataset.drawn = "failed";
  }
}

document.querySelectorAll("figure.chart[data-chart]").forEach(draw);
