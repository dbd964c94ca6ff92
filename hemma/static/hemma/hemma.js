/* Hemma's one script: keyboard focus around htmx swaps in the programme's table.
 *
 * When htmx replaces the element that had the focus (the form after Save or Cancel, the
 * goal's rows after Up or Down), the browser drops the focus to <body> and a keyboard user
 * starts again from the top of the page. So once htmx has settled new content, the focus
 * goes to its first invalid field (a form with errors), its [autofocus] field (a form just
 * opened) or, else, to the element the server marked with data-focus-after-swap (the row's
 * "Edit", the moved action's button).
 *
 * Escape in an in-place edit form cancels it, as its Cancel link does.
 *
 * No inline script and no hx-on attributes: the CSP allows scripts from 'self' only, and
 * hx-on needs eval.
 */
(function () {
  "use strict";

  function focusIn(root) {
    if (!(root instanceof Element) || !root.isConnected) {
      return;
    }
    // A form that came back with errors: its first wrong field, else the form's first field.
    var selectors = ["[aria-invalid=true]", "[autofocus]", "[data-focus-after-swap]"];
    for (var i = 0; i < selectors.length; i++) {
      var element = root.matches(selectors[i]) ? root : root.querySelector(selectors[i]);
      if (element && !element.disabled) {
        element.focus();
        return;
      }
    }
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    focusIn(event.target);
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || event.defaultPrevented || !(event.target instanceof Element)) {
      return;
    }
    var form = event.target.closest("form.edit-form[hx-post]");
    var cancel = form && form.querySelector("a[data-cancel]");
    if (cancel) {
      event.preventDefault();
      cancel.click();
    }
  });
})();
