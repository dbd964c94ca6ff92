// The activity form: the last date and times held are asked only for a recurring activity.
// Progressive enhancement: without JavaScript both fields are always shown.
(function () {
  "use strict";
  function update(select, group) {
    var hasValue = Array.prototype.some.call(group.querySelectorAll("input"), function (input) {
      return input.value !== "";
    });
    var hasError = group.querySelector(".errorlist") !== null;
    group.hidden = select.value === "once" && !hasValue && !hasError;
  }
  document.addEventListener("DOMContentLoaded", function () {
    var group = document.querySelector("[data-recurring]");
    var select = document.querySelector("select[name=recurrence]");
    if (!group || !select) {
      return;
    }
    update(select, group);
    select.addEventListener("change", function () {
      update(select, group);
    });
  });
})();
