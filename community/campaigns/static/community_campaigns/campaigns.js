// Campaigns, progressive enhancement: a live countdown beside the date, a
// survey shown step by step with questions that follow earlier answers, and
// a copy button for the personal link. Without JavaScript the dates, every
// step and every question show, and the server checks the answers.
(function () {
  "use strict";
  var lang = document.documentElement.lang || "en";

  function countdown(node) {
    var target = Date.parse(node.getAttribute("data-countdown"));
    var out = node.querySelector(".campaign-countdown__left");
    if (!out || isNaN(target)) return;
    var format = window.Intl && Intl.RelativeTimeFormat ? new Intl.RelativeTimeFormat(lang, { numeric: "auto" }) : null;
    function tick() {
      var left = Math.max(0, target - Date.now());
      var days = Math.floor(left / 864e5), hours = Math.floor(left / 36e5) % 24, minutes = Math.floor(left / 6e4) % 60;
      if (!format) return;
      out.textContent = "(" + (days > 0 ? format.format(days, "day") : hours > 0 ? format.format(hours, "hour") : format.format(minutes, "minute")) + ")";
    }
    tick();
    setInterval(tick, 30000);
  }

  function survey(form) {
    var steps = Array.prototype.slice.call(form.querySelectorAll(".survey__step"));
    function answers(key) {
      var inputs = form.querySelectorAll('[name="q_' + key + '"]'), values = [];
      Array.prototype.forEach.call(inputs, function (input) {
        if ((input.type === "radio" || input.type === "checkbox") ? input.checked : input.value) values.push(input.value);
      });
      // A matrix: one radio group per row, answered as "row: point".
      Array.prototype.forEach.call(form.querySelectorAll('[name^="q_' + key + '__"]:checked'), function (input) {
        values.push(input.getAttribute("data-row") + ": " + input.value);
      });
      return values;
    }
    function refresh() {
      Array.prototype.forEach.call(form.querySelectorAll("[data-show-if]"), function (q) {
        var shown = answers(q.getAttribute("data-show-if")).indexOf(q.getAttribute("data-show-answer")) !== -1;
        q.hidden = !shown;
      });
    }
    form.addEventListener("change", refresh);
    refresh();
    if (steps.length < 2 || form.querySelector(".survey-q--error")) return;
    var current = 0, submit = form.querySelector(".survey__buttons");
    var nav = document.createElement("p");
    nav.className = "survey__buttons";
    var back = document.createElement("button"), next = document.createElement("button");
    back.type = next.type = "button";
    back.className = "button button--ghost";
    next.className = "button";
    back.textContent = form.getAttribute("data-back") || "←";
    next.textContent = form.getAttribute("data-next") || "→";
    nav.appendChild(back);
    nav.appendChild(next);
    submit.parentNode.insertBefore(nav, submit);
    function show() {
      steps.forEach(function (step, index) { step.hidden = index !== current; });
      back.hidden = current === 0;
      next.hidden = current === steps.length - 1;
      submit.hidden = current !== steps.length - 1;
    }
    back.addEventListener("click", function () { current -= 1; show(); steps[current].querySelector("legend").scrollIntoView(); });
    next.addEventListener("click", function () { current += 1; show(); steps[current].querySelector("legend").scrollIntoView(); });
    show();
  }

  function copy(button) {
    var input = document.getElementById(button.getAttribute("data-copy"));
    if (!input || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(input.value).then(function () { button.textContent = "✓"; });
    });
  }

  document.querySelectorAll("[data-countdown]").forEach(countdown);
  document.querySelectorAll(".survey__form").forEach(survey);
  document.querySelectorAll("[data-copy]").forEach(copy);
})();
