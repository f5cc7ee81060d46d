// Names for the admin's script-built controls that come without one (axe-core "aria-input-field-name",
// "aria-prohibited-attr"): the autocomplete boxes (Select2) and the filter boxes' search icons.
(function () {
  "use strict";

  function labelFor(select) {
    if (select.getAttribute("aria-label")) return select.getAttribute("aria-label");
    var label = select.id && document.querySelector('label[for="' + select.id + '"]');
    return label ? label.textContent.replace(/:\s*$/, "").trim() : select.name;
  }

  function nameAutocompletes(root) {
    // Select2 names its box after the text of the chosen option, so an empty box has no name.
    root.querySelectorAll('.select2-selection__rendered[id^="select2-"][id$="-container"]').forEach(function (shown) {
      var select = document.getElementById(shown.id.slice("select2-".length, -"-container".length));
      if (!select) return;
      var name = labelFor(select);
      shown.setAttribute("aria-label", name);
      var box = shown.closest('[role="combobox"]');
      if (box) {
        box.removeAttribute("aria-labelledby");
        box.setAttribute("aria-label", name);
      }
    });
    root.querySelectorAll(".help-tooltip.search-label-icon[aria-label]").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }

  // Select2 builds its boxes from jQuery's ready handlers, which may run after the page's load event: name
  // every box as soon as it appears (a MutationObserver runs before any later task, e.g. a checker).
  var pending = false;
  var observer = new MutationObserver(function () {
    if (pending) return;
    pending = true;
    Promise.resolve().then(function () {
      pending = false;
      nameAutocompletes(document);
    });
  });
  observer.observe(document.documentElement, { childList: true, subtree: true });
  nameAutocompletes(document);
})();
