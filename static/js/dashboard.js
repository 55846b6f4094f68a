// The dashboard's trend chart: one line per series, month by month. The table in the
// "numbers behind the chart" disclosure carries the same numbers for screen readers.
document.addEventListener("DOMContentLoaded", () => {
  const canvas = document.getElementById("trend-chart");
  if (!canvas || !window.Chart) return;
  const data = JSON.parse(document.getElementById("trend-data").textContent);
  const colours = ["#0a58ca", "#b02a37", "#146c43", "#6f42c1", "#997404"];
  new window.Chart(canvas, {
    type: "line",
    data: {
      labels: data.labels,
      datasets: data.series.map((series, index) => ({
        label: series.label,
        data: series.values,
        borderColor: colours[index % colours.length],
        backgroundColor: colours[index % colours.length],
        tension: 0,
      })),
    },
    options: {
      animation: false,
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
    },
  });
});
