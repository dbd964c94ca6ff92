/* The grid of values (followup/grid.html): keyboard help beyond htmx and hemma.js.
 *
 * Each row is a form whose inputs sit in the row's cells (they belong to the form through
 * their `form` attribute), so hemma.js's "Escape cancels" does not find them. Here:
 *
 * - Escape in a row's field cancels the edit: the row is put back as it was read (the
 *   form's reset); a row that came back with an error or a refusal is fetched again as it is
 *   stored. The focus stays in the same field.
 * - A save sends which field the keyboard was in ("focus"), so that the row that comes back
 *   puts the focus there again (the server marks it data-focus-after-swap; hemma.js moves
 *   the focus after the swap, or to the first field with an error).
 *
 * No inline script: the CSP allows scripts from 'self' only.
 */
(function () {
  "use strict";

  // A swapped row's fields have the ids of the fields they replace, so htmx "settles" their
  // attributes from the old ones, style included; the browser may have given a field an
  // empty style attribute, and setting it again breaks the CSP (no inline style).
  if (window.htmx) {
    window.htmx.config.attributesToSettle = ["class", "width", "height"];
  }

  function gridForm(element) {
    var form = element && element.form;
    return form && form.hasAttribute("data-grid-form") ? form : null;
  }

  function fieldName(element) {
    return (element && element.getAttribute("data-grid-field")) || "save";
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || event.defaultPrevented || !(event.target instanceof Element)) {
      return;
    }
    var form = gridForm(event.target);
    if (!form) {
      return;
    }
    event.preventDefault();
    var row = form.closest("tr");
    if (row && row.classList.contains("has-error") && window.htmx) {
      var url = form.getAttribute("action");
      var sep = url.indexOf("?") < 0 ? "?" : "&";
      window.htmx.ajax("GET", url + sep + "focus=" + encodeURIComponent(fieldName(event.target)), {
        target: "#" + row.id,
        swap: "outerHTML",
      });
    } else {
      form.reset();
    }
  });

  document.addEventListener("htmx:configRequest", function (event) {
    var form = event.detail.elt;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-grid-form")) {
      return;
    }
    var active = document.activeElement;
    if (active && active.form === form) {
      event.detail.parameters.focus = fieldName(active);
    }
  });
})();
