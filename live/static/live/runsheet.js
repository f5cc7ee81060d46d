// Run-sheet: dark/light and projector view, and countdowns that tick between the server's refreshes.
// Words come from the JavaScript catalogue (gettext, ngettext, interpolate: /jsi18n/, loaded by base.html) so
// they stay in the page's language; the messages are those of live_tags.in_words on the server.
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

  // "in 5 min", "in 2 h 10 min", "in 3 days 4 h", "now": as live_tags.in_words writes them.
  function inWords(ms) {
    var minutes = Math.round(ms / 60000);
    if (minutes <= 0) return gettext("now");
    if (minutes < 60) return interpolate(gettext("in %(minutes)s min"), { minutes: minutes }, true);
    var hours = Math.floor(minutes / 60);
    minutes = minutes % 60;
    var days = Math.floor(hours / 24);
    hours = hours % 24;
    if (days && hours) {
      return interpolate(
        ngettext("in %(days)s day %(hours)s h", "in %(days)s days %(hours)s h", days),
        { days: days, hours: hours },
        true
      );
    }
    if (days) return interpolate(ngettext("in %(days)s day", "in %(days)s days", days), { days: days }, true);
    if (minutes) {
      return interpolate(
        gettext("in %(hours)s h %(minutes)s min"),
        { hours: hours, minutes: (minutes < 10 ? "0" : "") + minutes },
        true
      );
    }
    return interpolate(gettext("in %(hours)s h"), { hours: hours }, true);
  }

  function tick() {
    var now = Date.now() + skew;
    document.querySelectorAll("[data-countdown]").forEach(function (element) {
      element.textContent = format(Date.parse(element.getAttribute("data-countdown")) - now);
    });
    document.querySelectorAll("[data-countdown-words]").forEach(function (element) {
      var target = element.getAttribute("data-countdown-words");
      if (target) element.textContent = inWords(Date.parse(target) - now);
    });
  }

  syncClock();
  document.body.addEventListener("htmx:afterSwap", syncClock);
  setInterval(tick, 1000);
})();
