// Breakouts: copy a draw's text with one click.
(function () {
  "use strict";
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var field = document.querySelector(button.getAttribute("data-copy"));
      var copied = button.getAttribute("data-copied-text") || gettext("Copied");
      field.select();
      (navigator.clipboard ? navigator.clipboard.writeText(field.value) : Promise.reject()).then(
        function () { button.textContent = copied; },
        function () { document.execCommand("copy"); button.textContent = copied; }
      );
    });
  });
})();
