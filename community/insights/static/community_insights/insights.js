/* Draws the insights charts with Chart.js from the data the page passes in
   <script type="application/json" id="insights-chart">. The tables next to
   the charts hold the same numbers, so nothing is lost without JavaScript. */
(function () {
  "use strict";
  var source = document.getElementById("insights-chart");
  if (!source || typeof window.Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var palette = ["#2e7d5b", "#c0612b", "#3a6ea5", "#a23b72", "#d4a017",
    "#5b8c85", "#7a4fa0", "#8c6d46", "#3b9ae1", "#c94f4f"];
  var reduced = window.matchMedia &&
    window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  window.Chart.defaults.animation = reduced ? false : window.Chart.defaults.animation;
  window.Chart.defaults.maintainAspectRatio = false;

  function colour(index) {
    return palette[index % palette.length];
  }

  document.querySelectorAll("canvas[data-insights-chart]").forEach(function (canvas) {
    var kind = canvas.getAttribute("data-insights-chart");
    if (kind === "series") {
      new window.Chart(canvas, {
        type: "line",
        data: {
          labels: data.labels,
          datasets: data.series.map(function (series, index) {
            return {
              label: series.label,
              data: series.data,
              borderColor: colour(index),
              backgroundColor: colour(index),
              tension: 0,
              pointRadius: data.labels.length > 40 ? 0 : 3
            };
          })
        },
        options: {
          interaction: { mode: "index", intersect: false },
          scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
          plugins: { legend: { position: "bottom" } }
        }
      });
    } else if (kind === "sources" || kind === "sentiments") {
      // The listening report: mentions per source (lines) and per
      // sentiment (stacked bars, in the badges' colours).
      var moods = { positive: "#2e7d5b", neutral: "#8c8c8c", negative: "#b3261e" };
      var stacked = kind === "sentiments";
      new window.Chart(canvas, {
        type: stacked ? "bar" : "line",
        data: {
          labels: data.labels,
          datasets: (data[kind] || []).map(function (series, index) {
            var tint = (stacked && moods[series.id]) || colour(index);
            return {
              label: series.label,
              data: series.data,
              borderColor: tint,
              backgroundColor: tint,
              tension: 0,
              pointRadius: data.labels.length > 40 ? 0 : 3
            };
          })
        },
        options: {
          interaction: { mode: "index", intersect: false },
          scales: {
            x: { stacked: stacked },
            y: { stacked: stacked, beginAtZero: true, ticks: { precision: 0 } }
          },
          plugins: { legend: { position: "bottom" } }
        }
      });
    } else if (kind === "breakdown" || kind === "voice") {
      var entry = kind === "voice" ? data.voice : (data.breakdowns || []).filter(
        function (item) { return item.id === canvas.getAttribute("data-metric"); })[0];
      if (!entry) {
        return;
      }
      new window.Chart(canvas, {
        type: "doughnut",
        data: {
          labels: entry.labels,
          datasets: [{
            data: entry.data,
            backgroundColor: entry.labels.map(function (_label, index) { return colour(index); })
          }]
        },
        options: { plugins: { legend: { position: "bottom" } } }
      });
    }
  });
})();
