/* The survey's skip logic where scripts run (surveys/answer_form.html).
 *
 * Without this script every question is shown, and one with a "show if" says when to answer
 * it; the server ignores its answer when it does not apply. With it, such a question is hidden
 * until the answer it depends on is given, and its fields are disabled while hidden, so that
 * what is not asked is not sent. A question hidden hides those that depend on it in turn.
 */
(function () {
  "use strict";

  function chosen(form, key) {
    var values = [];
    var question = form.querySelector('[data-question="' + key + '"]');
    if (!question || question.hidden) {
      return values;
    }
    var fields = form.querySelectorAll('[name="q-' + key + '"]');
    for (var i = 0; i < fields.length; i++) {
      var field = fields[i];
      if ((field.type === "radio" || field.type === "checkbox") && !field.checked) {
        continue;
      }
      if (field.value.trim()) {
        values.push(field.value.trim());
      }
    }
    return values;
  }

  function apply(form) {
    // In the page's order: a question's condition reads questions before it, already settled.
    var questions = form.querySelectorAll("[data-show-if]");
    for (var i = 0; i < questions.length; i++) {
      var question = questions[i];
      var wanted = question.getAttribute("data-show-values").split(" ");
      var given = chosen(form, question.getAttribute("data-show-if"));
      var show = given.some(function (value) { return wanted.indexOf(value) !== -1; });
      question.hidden = !show;
      var fields = question.querySelectorAll("input, textarea");
      for (var j = 0; j < fields.length; j++) {
        fields[j].disabled = !show;
      }
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector(".answer-form");
    if (!form) {
      return;
    }
    apply(form);
    form.addEventListener("change", function () { apply(form); });
    form.addEventListener("input", function () { apply(form); });
  });
})();
