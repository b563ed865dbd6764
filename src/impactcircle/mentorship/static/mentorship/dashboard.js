// Draw the programme dashboard's charts: each <div data-figure="id"> gets the plotly figure
// embedded in <script type="application/json" id="id"> (Django's json_script). No inline code,
// no inline styles: plotly.js's own style rules come from dashboard.css.
(function () {
  "use strict";
  function draw() {
    if (typeof window.Plotly === "undefined") {
      return;
    }
    document.querySelectorAll("[data-figure]").forEach(function (element) {
      var source = document.getElementById(element.getAttribute("data-figure"));
      if (!source) {
        return;
      }
      var figure = JSON.parse(source.textContent);
      window.Plotly.newPlot(element, figure.data, figure.layout, {
        displayModeBar: false,
        responsive: true,
      }).then(function () {
        element.setAttribute("data-drawn", "true");
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
