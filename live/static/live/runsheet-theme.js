// Loaded in <head>, before the first paint, so a projector in dark mode never flashes white.
(function () {
  "use strict";
  var asked = new URLSearchParams(location.search).get("theme");
  var theme = asked || localStorage.getItem("runsheet-theme");
  if (theme === "dark" || theme === "light") document.documentElement.setAttribute("data-bs-theme", theme);
})();
