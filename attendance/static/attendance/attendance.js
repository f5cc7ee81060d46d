// Attendance: "mark everyone present/absent" buttons.
(function () {
  "use strict";
  document.querySelectorAll("[data-mark-all]").forEach(function (button) {
    button.addEventListener("click", function () {
      var value = button.getAttribute("data-mark-all");
      document.querySelectorAll("#attendance-form input[type=radio]").forEach(function (radio) {
        if (radio.value === value) radio.checked = true;
      });
    });
  });
})();
