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
