/* "Publish to own media" in the page editor: under each post's text, a
   preview of the post as the platform will show it (the text, the hashtags
   written the platform's way, the page's link) and its length against the
   platform's limit. The rules come from the account's option
   (sharing.models.PublishAccountSelect); the server checks them again. */
(function () {
  "use strict";
  var NAME = /^(.*own_media_posts-\d+)-(account|text|hashtags)$/;
  // The link is only known once the post is queued: count it as the
  // server does (sharing.models.OwnMediaPost.clean).
  var LINK = "https://" + new Array(81).join("x");

  function tags(value, format) {
    return value.replace(/,/g, " ").split(/\s+/).filter(function (tag) {
      return tag.replace(/^#+/, "");
    }).map(function (tag) {
      return format.replace("{}", tag.replace(/^#+/, ""));
    }).join(" ");
  }

  function render(prefix) {
    var account = document.querySelector('[name="' + prefix + '-account"]');
    var text = document.querySelector('[name="' + prefix + '-text"]');
    var hashtags = document.querySelector('[name="' + prefix + '-hashtags"]');
    if (!account || !text) return;
    var preview = document.getElementById(prefix + "-preview");
    if (!preview) {
      preview = document.createElement("div");
      preview.id = prefix + "-preview";
      preview.className = "sharing-post-preview";
      preview.setAttribute("aria-live", "polite");
      text.parentNode.appendChild(preview);
    }
    var option = account.options[account.selectedIndex];
    if (!option || !option.dataset.platform) {
      preview.hidden = true;
      return;
    }
    var data = option.dataset;
    var parts = [text.value.trim(), tags(hashtags ? hashtags.value : "", data.hashtagFormat || "#{}")];
    if (data.linkInText) parts.push(LINK);
    var composed = parts.filter(Boolean).join("\n\n");
    var length = composed.length;
    if (data.linkInText && data.linkLength) {
      length = length - LINK.length + Number(data.linkLength);
    }
    var shown = composed.replace(LINK, "https://…?utm_source=" + data.platform);
    var max = Number(data.maxLength) || 0;
    preview.hidden = false;
    preview.textContent = "";
    var heading = document.createElement("p");
    heading.className = "sharing-post-preview__count" + (max && length > max ? " sharing-post-preview__count--over" : "");
    heading.textContent = data.platformName + ": " + length + (max ? " / " + max : "");
    var body = document.createElement("p");
    body.className = "sharing-post-preview__text";
    body.textContent = shown;
    preview.appendChild(heading);
    preview.appendChild(body);
  }

  function onEdit(event) {
    var match = NAME.exec(event.target.name || "");
    if (match) render(match[1]);
  }

  function renderAll() {
    var selects = document.querySelectorAll('select[name$="-account"]');
    for (var i = 0; i < selects.length; i++) {
      var match = NAME.exec(selects[i].name);
      if (match) render(match[1]);
    }
  }

  document.addEventListener("input", onEdit);
  document.addEventListener("change", onEdit);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", renderAll);
  } else {
    renderAll();
  }
})();
