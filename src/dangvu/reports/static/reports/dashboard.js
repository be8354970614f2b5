/* Charts of the home page's figures panel: each bar/slice opens the list behind it. */
function drawReportCharts() {
  var el = document.getElementById("reports-charts");
  if (!el || typeof Chart === "undefined" || el.dataset.drawn) { return; }
  el.dataset.drawn = "1";
  var data = JSON.parse(el.textContent);
  var red = "#c8102e", palette = ["#c8102e", "#f0a500", "#6c757d", "#198754", "#0d6efd"];
  function open(rows) {
    return function (evt, items) {
      if (items && items.length && rows[items[0].index] && rows[items[0].index].url) {
        window.location.href = rows[items[0].index].url;
      }
    };
  }
  function draw(name, type, rows, extra) {
    var canvas = document.querySelector('#reports-panel canvas[data-chart="' + name + '"]');
    if (!canvas || !rows) { return; }
    var datasets = [{
      label: (extra && extra.label) || data.labels.members,
      data: rows.map(function (r) { return r.value; }),
      backgroundColor: type === "doughnut" ? palette : red,
      borderColor: type === "doughnut" ? "#fff" : red,
      tension: 0.25,
      fill: false
    }].concat((extra && extra.more) || []);
    new Chart(canvas, {
      type: type,
      data: { labels: rows.map(function (r) { return r.label; }), datasets: datasets },
      options: {
        responsive: true,
        animation: false,
        maintainAspectRatio: false,
        indexAxis: (extra && extra.horizontal) ? "y" : "x",
        onClick: open(rows),
        plugins: { legend: { display: type === "doughnut" || !!(extra && extra.more), position: "bottom" } },
        scales: type === "doughnut" ? {} : { x: { beginAtZero: true, ticks: { precision: 0 } }, y: { beginAtZero: true, ticks: { precision: 0 } } }
      }
    });
  }
  draw("status", "doughnut", data.status);
  draw("gender", "bar", data.gender);
  draw("age", "bar", data.age);
  if (data.admission) {
    var more = [];
    if (data.target) {
      var monthly = Math.round((data.target / 12) * 10) / 10;
      more.push({ type: "line", label: data.labels.target, data: data.admission.map(function () { return monthly; }),
                  borderColor: "#6c757d", borderDash: [6, 4], pointRadius: 0, fill: false });
    }
    draw("admission", "bar", data.admission, { label: data.labels.admitted, more: more });
  }
  draw("meetings", "line", data.meetings, { label: data.labels.meetings });
  draw("children", "bar", data.children, { horizontal: true });
}
document.addEventListener("htmx:afterSettle", function (e) {
  if (e.target && e.target.id === "reports-panel") { drawReportCharts(); }
});
document.addEventListener("DOMContentLoaded", drawReportCharts);
