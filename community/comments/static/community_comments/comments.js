// Comments: progressive enhancement. Without this file every action is a
// plain form post or link; with it, posting, replying, liking, following,
// reporting and "load more" happen without a reload.
(function () {
  "use strict";

  function $(selector, root) { return (root || document).querySelector(selector); }
  function $$(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }

  function announce(section, message) {
    var live = $("[data-comments-live]", section);
    if (!live || !message) return;
    live.textContent = "";
    window.setTimeout(function () { live.textContent = message; }, 50);
  }

  function send(url, form) {
    return fetch(url, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    }).then(function (response) {
      return response.json().catch(function () {
        return { ok: false, message: response.statusText || "Error" };
      });
    });
  }

  function fragment(html) {
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content;
  }

  // Live character counter.
  function setupCounter(textarea) {
    var form = textarea.closest("form");
    var output = form && $("[data-comments-counter-output]", form);
    var max = parseInt(textarea.getAttribute("maxlength"), 10);
    if (!output || !max) return;
    output.hidden = false;
    output.setAttribute("aria-live", "polite");
    function update() {
      var length = textarea.value.length;
      output.textContent = length + " / " + max;
      output.classList.toggle("comments__counter--near", length >= max * 0.9 && length <= max);
      output.classList.toggle("comments__counter--over", length > max);
    }
    textarea.addEventListener("input", update);
    update();
  }

  function showError(form, message) {
    var box = $("[data-comments-error]", form);
    if (box) {
      box.textContent = message;
      box.hidden = !message;
    }
  }

  function updateTotal(section, delta) {
    var total = $("[data-comments-total]", section);
    if (total) total.textContent = String((parseInt(total.textContent, 10) || 0) + delta);
  }

  function insertComment(section, data) {
    var node = fragment(data.html).firstElementChild;
    if (!node) return;
    node.classList.add("comment--new");
    if (data.parent) {
      var parent = document.getElementById("c" + data.parent);
      var list = parent && $(":scope > .comments__list--replies", parent);
      if (parent && !list) {
        list = document.createElement("ol");
        list.className = "comments__list comments__list--replies";
        parent.appendChild(list);
      }
      if (list) list.appendChild(node);
    } else {
      var threads = $("[data-comments-threads]", section);
      var root = $("[data-comments-list]", threads);
      if (!root) {
        root = document.createElement("ol");
        root.className = "comments__list";
        root.setAttribute("data-comments-list", "");
        threads.insertBefore(root, threads.firstChild);
      }
      var empty = $("[data-comments-empty]", threads);
      if (empty) empty.remove();
      root.insertBefore(node, root.firstChild);
    }
    enhance(section, node);
    updateTotal(section, 1);
    node.scrollIntoView({ block: "nearest" });
  }

  function setupForm(section, form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = $("button[type=submit]", form);
      if (button) button.disabled = true;
      showError(form, "");
      send(form.action, form).then(function (data) {
        if (button) button.disabled = false;
        if (!data.ok) {
          var messages = [data.message];
          if (data.errors) {
            Object.keys(data.errors).forEach(function (key) { messages = messages.concat(data.errors[key]); });
          }
          showError(form, messages.join(" "));
          return;
        }
        announce(section, data.message);
        if (data.html) insertComment(section, data);
        else showError(form, data.message);
        var textarea = $("textarea", form);
        if (textarea) {
          textarea.value = "";
          textarea.dispatchEvent(new Event("input"));
        }
        if (form.closest(".comment__reply")) form.closest(".comment__reply").remove();
      }).catch(function () {
        if (button) button.disabled = false;
        showError(form, form.getAttribute("data-network-error") || "Network error. Try again.");
      });
    });
  }

  function openReply(section, link) {
    var id = link.getAttribute("data-comments-reply");
    var item = document.getElementById("c" + id);
    var existing = item && $(":scope > .comment__reply", item);
    if (existing) {
      $("textarea", existing).focus();
      return;
    }
    var main = $("[data-comments-form]", section);
    if (!item || !main) return;
    var wrapper = document.createElement("div");
    wrapper.className = "comment__reply";
    wrapper.id = "reply-" + id;
    var form = main.cloneNode(true);
    $("[data-comments-reply-to]", form).value = id;
    $$("[id]", form).forEach(function (element) { element.id = element.id.replace(/_new/, "_" + id); });
    $$("label[for]", form).forEach(function (label) { label.htmlFor = label.htmlFor.replace(/_new/, "_" + id); });
    $$("[aria-describedby]", form).forEach(function (element) {
      element.setAttribute("aria-describedby", element.getAttribute("aria-describedby").replace(/_new/g, "_" + id));
    });
    var label = $("label[for^=id_comment_]", form);
    if (label) label.textContent = main.getAttribute("data-reply-field-label");
    var submit = $("button[type=submit]", form);
    submit.textContent = main.getAttribute("data-reply-label");
    var cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "button button--ghost";
    cancel.textContent = main.getAttribute("data-cancel-label");
    cancel.addEventListener("click", function () {
      wrapper.remove();
      link.focus();
    });
    submit.insertAdjacentElement("afterend", cancel);
    var textarea = $("textarea", form);
    textarea.value = "";
    showError(form, "");
    wrapper.appendChild(form);
    var replies = $(":scope > .comments__list--replies", item);
    item.insertBefore(wrapper, replies);
    setupForm(section, form);
    setupCounter(textarea);
    textarea.focus();
  }

  function setupLike(section, form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      send(form.action, form).then(function (data) {
        if (!data.ok) return announce(section, data.message);
        var button = $("button", form);
        button.setAttribute("aria-pressed", data.liked ? "true" : "false");
        $("[data-comments-like-count]", form).textContent = data.count;
      });
    });
  }

  function setupFollow(section, form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      send(form.action, form).then(function (data) {
        if (!data.ok) return announce(section, data.message);
        var button = $("button", form);
        button.setAttribute("aria-pressed", data.following ? "true" : "false");
        button.textContent = button.getAttribute(data.following ? "data-label-on" : "data-label-off");
        announce(section, data.message);
      });
    });
  }

  function setupFlag(section, link) {
    var dialog = $("[data-comments-flag-dialog]", section);
    if (!dialog || typeof dialog.showModal !== "function") return;
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var form = $("[data-comments-flag-form]", dialog);
      form.reset();
      form.action = link.href;
      dialog.currentLink = link;
      dialog.showModal();
      var first = $("input[type=radio]", form);
      if (first) first.focus();
    });
  }

  function setupDialog(section) {
    var dialog = $("[data-comments-flag-dialog]", section);
    if (!dialog) return;
    var form = $("[data-comments-flag-form]", dialog);
    $("[data-comments-dialog-close]", dialog).addEventListener("click", function () { dialog.close(); });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      send(form.action, form).then(function (data) {
        dialog.close();
        announce(section, data.message);
        var link = dialog.currentLink;
        if (data.ok && link) {
          var done = document.createElement("span");
          done.className = "comment__action comment__action--done";
          done.textContent = link.getAttribute("data-done-label");
          link.replaceWith(done);
        }
      });
    });
  }

  function setupMore(section, nav) {
    var link = $("[data-comments-more-url]", nav);
    if (!link) return;
    link.addEventListener("click", function (event) {
      event.preventDefault();
      fetch(link.getAttribute("data-comments-more-url"), { credentials: "same-origin" })
        .then(function (response) { return response.text(); })
        .then(function (html) {
          var content = fragment(html);
          var list = $("[data-comments-list]", section);
          var items = $$("[data-comments-list] > li", content);
          items.forEach(function (item) {
            list.appendChild(item);
            enhance(section, item);
          });
          var next = $("[data-comments-more]", content);
          if (next) {
            nav.replaceWith(next);
            setupMore(section, next);
          } else {
            nav.remove();
          }
          if (items[0]) {
            var focusable = $("a, button", items[0]);
            if (focusable) focusable.focus();
          }
        });
    });
  }

  function enhance(section, root) {
    $$("[data-comments-reply]", root).forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        openReply(section, link);
      });
    });
    $$("[data-comments-like]", root).forEach(function (form) { setupLike(section, form); });
    $$("[data-comments-follow]", root).forEach(function (form) { setupFollow(section, form); });
    $$("[data-comments-flag]", root).forEach(function (link) { setupFlag(section, link); });
  }

  function init() {
    $$("textarea[data-comments-counter]").forEach(setupCounter);
    $$("[data-comments]").forEach(function (section) {
      $$("[data-comments-form]", section).forEach(function (form) { setupForm(section, form); });
      enhance(section, section);
      setupDialog(section);
      $$("[data-comments-more]", section).forEach(function (nav) { setupMore(section, nav); });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
