// The CSRF field of forms on cached pages (sharing.pagecache): the page is
// the same for every visitor, so its field is empty; the visitor's own token
// is fetched (with its cookie) when they start using the form, and at the
// latest when they send it. Without JavaScript the form is sent without a
// token and Django's CSRF failure page explains why.
(function () {
  "use strict";

  var SELECTOR = "input[name=csrfmiddlewaretoken][data-csrf-url]";
  var pending = null;

  function token(url) {
    if (!pending) {
      pending = fetch(url, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          if (!response.ok) throw new Error(response.statusText);
          return response.json();
        })
        .then(function (data) { return data.token; })
        .catch(function (error) {
          pending = null;
          throw error;
        });
    }
    return pending;
  }

  function emptyFields(form) {
    return Array.prototype.filter.call(
      form.querySelectorAll(SELECTOR),
      function (input) { return !input.value; }
    );
  }

  function fill(form) {
    var fields = emptyFields(form);
    if (!fields.length) return Promise.resolve();
    return token(fields[0].getAttribute("data-csrf-url")).then(function (value) {
      document.querySelectorAll(SELECTOR).forEach(function (input) { input.value = value; });
    });
  }

  function formOf(target) {
    return target && target.closest ? target.closest("form") : null;
  }

  document.addEventListener("focusin", function (event) {
    var form = formOf(event.target);
    if (form) fill(form).catch(function () {});
  });

  // Capturing, so the token is there before the form's own submit handlers
  // (which may send it with fetch) run.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!emptyFields(form).length) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    var submitter = event.submitter;
    var send = function () {
      if (form.requestSubmit) form.requestSubmit(submitter || undefined);
      else form.submit();
    };
    fill(form).then(send, function () {
      // No token to be had: send the form as it is (Django explains).
      emptyFields(form).forEach(function (input) { input.removeAttribute("data-csrf-url"); });
      send();
    });
  }, true);
})();
