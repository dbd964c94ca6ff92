/* The user's page: a "Copy" button beside a new API token's secret.
 *
 * The button is hidden in the markup and shown here only where the browser lets a page write
 * to the clipboard (a secure context: https or localhost); elsewhere the secret stays in its
 * read-only field, to be selected and copied by hand. A file, not an inline script: the CSP
 * allows scripts from 'self' only.
 */
(function () {
  "use strict";

  if (!navigator.clipboard || !window.isSecureContext) {
    return;
  }
  var buttons = document.querySelectorAll("button[data-copy]");
  Array.prototype.forEach.call(buttons, function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    var status = document.getElementById(field.id + "-status");
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(
        function () {
          status.textContent = button.getAttribute("data-copied");
        },
        function () {
          // Refused (permissions): select the text so that Ctrl+C copies it.
          field.focus();
          field.select();
          status.textContent = button.getAttribute("data-copy-failed");
        }
      );
    });
  });
})();
