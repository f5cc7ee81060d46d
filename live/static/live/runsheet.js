// Run-sheet: dark/light and projector view, and countdowns that tick between the server's refreshes.
(function () {
  "use strict";
  var root = document.documentElement;
  var skew = 0; // server clock minus this device's clock, in ms

  document.querySelectorAll("[data-runsheet-theme]").forEach(function (button) {
    button.addEventListener("click", function () {
      var next = root.getAttribute("data-bs-theme") === "dark" ? "light" : "dark";
      root.setAttribute("data-bs-theme", next);
      localStorage.setItem("runsheet-theme", next);
    });
  });

  document.querySelectorAll("[data-runsheet-projector]").forEach(function (button) {
    button.addEventListener("click", function () {
      var on = document.body.classList.toggle("projector");
      if (on && root.requestFullscreen) {
        root.requestFullscreen().catch(function () {});
      } else if (!on && document.fullscreenElement) {
        document.exitFullscreen();
      }
    });
  });
  document.addEventListener("fullscreenchange", function () {
    if (!document.fullscreenElement) document.body.classList.remove("projector");
  });

  function syncClock() {
    var marker = document.querySelector("[data-server-now]");
    if (marker) skew = Date.parse(marker.getAttribute("data-server-now")) - Date.now();
  }

  function format(ms) {
    var total = Math.max(0, Math.floor(ms / 1000));
    var hours = Math.floor(total / 3600);
    var minutes = Math.floor((total % 3600) / 60);
    var seconds = total % 60;
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return hours ? hours + ":" + pad(minutes) + ":" + pad(seconds) : minutes + ":" + pad(seconds);
  }

  function tick() {
    var now = Date.now() + skew;
    document.querySelectorAll("[data-countdown]").forEach(function (element) {
      element.textContent = format(Date.parse(element.getAttribute("data-countdown")) - now);
    });
  }

  syncClock();
  document.body.addEventListener("htmx:afterSwap", syncClock);
  setInterval(tick, 1000);
})();
