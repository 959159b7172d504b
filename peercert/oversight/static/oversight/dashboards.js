// Draws each dashboard chart from the JSON block named by its canvas (data-chart="<id>"), rendered by
// Django's json_script: no inline script, as the site's CSP requires. A withheld (suppressed) value is
// null and is left out of the chart; the table beside each chart carries the same figures in words.
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") {
    return;
  }
  var palette = ["#005ea2", "#e66f0e", "#00a91c", "#8168b3", "#d83933", "#5c5c5c"];
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source) {
      return;
    }
    var spec = JSON.parse(source.textContent);
    var horizontal = Boolean(spec.horizontal);
    var box = canvas.parentElement;
    if (horizontal && box) {
      box.style.height = Math.max(240, spec.labels.length * 22 + 80) + "px";
    }
    new window.Chart(canvas, {
      type: spec.type,
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map(function (dataset, index) {
          return {
            label: dataset.label,
            data: dataset.data,
            backgroundColor: palette[index % palette.length],
            borderColor: palette[index % palette.length],
            spanGaps: false,
          };
        }),
      },
      options: {
        indexAxis: horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: {
          x: { stacked: Boolean(spec.stacked), beginAtZero: true },
          y: { stacked: Boolean(spec.stacked), beginAtZero: true },
        },
        plugins: { legend: { position: "bottom" } },
      },
    });
  });
})();
