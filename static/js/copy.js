// "Copy" buttons: <button data-copy-target="#id" data-copied-text="Copied">; the status line beside it
// ([data-copy-status] in the same block) says it worked, for screen readers too.
(function () {
  "use strict";

  function announce(button, text) {
    var status = button.closest("div").parentElement.querySelector("[data-copy-status]");
    if (status) status.textContent = text;
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-target]");
    if (!button) return;
    var field = document.querySelector(button.getAttribute("data-copy-target"));
    if (!field) return;
    var done = button.getAttribute("data-copied-text") || gettext("Copied");
    field.focus();
    field.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(function () { announce(button, done); }, function () {
        announce(button, document.execCommand("copy") ? done : "");
      });
    } else {
      announce(button, document.execCommand("copy") ? done : "");
    }
  });
})();
