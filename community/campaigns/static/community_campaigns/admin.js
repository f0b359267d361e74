// The campaign report's survey charts: one horizontal bar chart per question
// with answers to count, drawn by the insights app's copy of Chart.js. The
// tables below the charts hold the same numbers.
(function () {
  "use strict";
  var data = document.getElementById("campaign-survey-chart");
  if (!data || !window.Chart) return;
  var charts = JSON.parse(data.textContent);
  document.querySelectorAll("[data-survey-chart]").forEach(function (canvas) {
    var chart = charts[Number(canvas.getAttribute("data-survey-chart"))];
    if (!chart || !chart.labels.length) return;
    new window.Chart(canvas, {
      type: "bar",
      data: { labels: chart.labels, datasets: [{ data: chart.counts, backgroundColor: "#2e6b52" }] },
      options: {
        indexAxis: "y",
        maintainAspectRatio: false,
        plugins: { legend: { display: false } },
        scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
  });
})();
