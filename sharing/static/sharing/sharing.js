// Socialsite sharing: progressive enhancement of the share and follow links.
// Every link works without this file; with it, copy-link copies, the native
// share sheet opens where the browser has one, and QR codes open in a dialog.
(function () {
  "use strict";

  function track(link) {
    // Count the share through the same first-party endpoint the link opens.
    if (!link.hasAttribute("data-track") || !window.fetch) return;
    fetch(link.href, { credentials: "same-origin", redirect: "manual", keepalive: true })
      .catch(function () {});
  }

  function say(link, key) {
    var root = link.closest("[data-sharing]");
    var status = root && root.querySelector(".sharing__status");
    if (status) status.textContent = root.dataset[key] || "";
  }

  function openDialog(link) {
    var dialog = document.getElementById(link.getAttribute("aria-controls"));
    if (!dialog || typeof dialog.showModal !== "function") return false;
    dialog.showModal();
    dialog.returnFocusTo = link;
    return true;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-action]");
    if (!link || event.defaultPrevented || event.button !== 0 ||
        event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    var action = link.dataset.action;
    if (action === "copy" && navigator.clipboard && window.isSecureContext) {
      event.preventDefault();
      navigator.clipboard.writeText(link.dataset.url).then(
        function () { say(link, "copied"); track(link); },
        function () { say(link, "copyFailed"); window.location.href = link.href; }
      );
    } else if (action === "native" && navigator.share) {
      event.preventDefault();
      var root = link.closest("[data-sharing]") || { dataset: {} };
      navigator.share({
        title: root.dataset.title, text: root.dataset.summary, url: link.dataset.url
      }).then(function () { track(link); }, function () {});
    } else if (action === "dialog") {
      if (openDialog(link)) {
        event.preventDefault();
        track(link);
      }
    }
  });

  // Close a dialog by clicking its backdrop; give focus back to its button.
  document.querySelectorAll("dialog.sharing-dialog").forEach(function (dialog) {
    dialog.addEventListener("click", function (event) {
      if (event.target === dialog) dialog.close();
    });
    dialog.addEventListener("close", function () {
      if (dialog.returnFocusTo) dialog.returnFocusTo.focus();
    });
  });

  // The native share sheet only where the browser has one.
  if (navigator.share) {
    document.querySelectorAll(".sharing__item--native").forEach(function (item) {
      item.hidden = false;
    });
  }

  // Federated platforms (Mastodon): the page that asks for the visitor's
  // server fills in the one this browser remembers, and goes straight to the
  // share intent there. The server stays in this browser (localStorage).
  function instanceKey(platform) { return "sharing.instance." + platform; }
  function remembered(platform) {
    try { return window.localStorage.getItem(instanceKey(platform)) || ""; } catch (e) { return ""; }
  }
  function remember(platform, host) {
    try { window.localStorage.setItem(instanceKey(platform), host); } catch (e) { /* private mode */ }
  }
  function hostOf(value) {
    // "https://mastodon.social/about", "@me@mastodon.social" -> "mastodon.social";
    // anything else (and non-ASCII names) is left to the server to explain.
    var host = String(value || "").trim().toLowerCase();
    if (host.indexOf("://") !== -1) {
      if (!/^https?:\/\//.test(host)) return "";
      host = host.split("://")[1].split("/")[0];
      if (host.indexOf("@") !== -1) return "";
    } else {
      host = host.split("@").pop().split("/")[0];
    }
    host = host.replace(/\.$/, "");
    var label = "(?!-)[a-z0-9-]{1,63}(?<!-)";
    var valid = host.length <= 253 && new RegExp("^" + label + "(\\." + label + ")+$").test(host) &&
      !/\.[0-9]+$/.test(host);
    return valid ? host : "";
  }
  document.querySelectorAll("[data-sharing-instance]").forEach(function (page) {
    var platform = page.dataset.platform;
    var template = page.dataset.template;
    var form = page.querySelector("[data-instance-form]");
    var input = form && form.querySelector("input[name='instance']");
    var link = page.querySelector("[data-instance-link]");
    if (link) remember(platform, link.dataset.instance);
    if (!form || !input) return;
    if (!input.value && remembered(platform)) {
      input.value = remembered(platform);
      var submit = form.querySelector("button[type='submit']");
      if (submit && !link) submit.focus();
    }
    form.addEventListener("submit", function (event) {
      var host = hostOf(input.value);
      if (!host || !template) return;
      event.preventDefault();
      remember(platform, host);
      window.location.href = template.replace("{instance}", host);
    });
  });

  // On a phone, a QR code on the screen of the very phone that should scan
  // it helps nobody: show the link to copy (and the phone's own share sheet)
  // with how to share it inside the app; the code stays a tap away, for
  // another phone.
  var onPhone = window.matchMedia &&
    window.matchMedia("(hover: none) and (pointer: coarse)").matches;
  document.querySelectorAll("[data-sharing-phone]").forEach(function (block) {
    if (!onPhone) return;
    var scan = block.parentNode.querySelector("[data-sharing-scan]");
    var more = block.querySelector("[data-sharing-show-scan]");
    var native = block.querySelector("[data-sharing-native]");
    block.hidden = false;
    if (scan) scan.hidden = true;
    if (more && scan) {
      more.addEventListener("click", function () {
        scan.hidden = !scan.hidden;
        more.setAttribute("aria-expanded", String(!scan.hidden));
      });
    } else if (more) {
      more.hidden = true;
    }
    if (native && navigator.share) {
      native.hidden = false;
      native.addEventListener("click", function () {
        navigator.share({ url: block.querySelector("input").value }).catch(function () {});
      });
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-sharing-copy]");
    if (!button) return;
    var block = button.closest("[data-sharing-phone]");
    var input = block.querySelector("input");
    var status = block.querySelector("[role='status']");
    function done(copied) {
      if (!copied) {
        input.focus();
        input.select();
      }
      status.textContent = block.dataset[copied ? "copied" : "copyManual"] || "";
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(
        function () { done(true); }, function () { done(false); });
      return;
    }
    input.focus();
    input.select();
    var copied = false;
    try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
    done(copied);
  });

  // Inside WeChat, on sites with an official account: WeChat's JS-SDK sets
  // the title, summary and picture of the shared card. Nothing loads otherwise.
  var root = document.querySelector("[data-sharing][data-wechat-config]");
  if (!root || !/MicroMessenger/i.test(navigator.userAgent)) return;
  var pageUrl = window.location.href.split("#")[0];
  fetch(root.dataset.wechatConfig + "?url=" + encodeURIComponent(pageUrl),
        { credentials: "same-origin" })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (config) {
      if (!config) return;
      var script = document.createElement("script");
      script.src = root.dataset.wechatSdk;
      script.onload = function () {
        var wx = window.wx;
        if (!wx) return;
        var link = root.querySelector("a[data-platform='wechat']");
        var card = {
          title: root.dataset.title,
          desc: root.dataset.summary,
          link: link ? link.dataset.url : pageUrl,
          imgUrl: root.dataset.image || ""
        };
        wx.config({
          debug: false, appId: config.appId, timestamp: config.timestamp,
          nonceStr: config.nonceStr, signature: config.signature,
          jsApiList: ["updateAppMessageShareData", "updateTimelineShareData"]
        });
        wx.ready(function () {
          wx.updateAppMessageShareData(card);
          wx.updateTimelineShareData({ title: card.title, link: card.link, imgUrl: card.imgUrl });
        });
      };
      document.head.appendChild(script);
    })
    .catch(function () {});
})();
