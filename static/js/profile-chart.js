// The 2x2 profile chart: the client's point against the two thresholds. The table beside the
// canvas carries the same numbers for screen readers (the canvas is aria-hidden).
document.addEventListener("DOMContentLoaded", () => {
  const canvas = document.getElementById("profile-chart");
  if (!canvas || !window.Chart) return;
  const data = JSON.parse(document.getElementById("profile-chart-data").textContent);
  const line = (x1, y1, x2, y2) => ({
    type: "line", data: [{ x: x1, y: y1 }, { x: x2, y: y2 }], borderColor: "#6c757d",
    borderDash: [4, 4], pointRadius: 0, showLine: true,
  });
  new window.Chart(canvas, {
    type: "scatter",
    data: {
      datasets: [
        { label: "", data: [{ x: data.distance, y: data.readiness }], pointRadius: 8,
          backgroundColor: "#0a58ca" },
        line(data.distance_threshold, 0, data.distance_threshold, 50),
        line(0, data.readiness_threshold, 60, data.readiness_threshold),
      ],
    },
    options: {
      animation: false,
      plugins: { legend: { display: false }, tooltip: { enabled: false } },
      scales: {
        x: { min: 0, max: 60, title: { display: true, text: canvas.dataset.labelDistance } },
        y: { min: 0, max: 50, title: { display: true, text: canvas.dataset.labelReadiness } },
      },
    },
  });
});
