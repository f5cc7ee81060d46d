// Behaviour every page shares. The Content-Security-Policy allows no inline script: it all lives here.
(function () {
  "use strict";

  // Read-only fields whose whole value is meant to be copied (the calendar address).
  document.addEventListener("click", function (event) {
    var field = event.target.closest && event.target.closest("[data-select-on-click]");
    if (field) field.select();
  });

  // A polling area that holds a menu is not refreshed while someone is choosing in a menu.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var element = event.detail && event.detail.elt;
    var active = document.activeElement;
    if (element && element.hasAttribute("data-pause-while-choosing") && active && active.tagName === "SELECT") {
      event.preventDefault();
    }
  });
})();
