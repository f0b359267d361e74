/* The check-in page's camera: where the browser has BarcodeDetector, scan QR
   tickets and send each scan (with a scan id, so a resend after a network
   failure is never counted twice) until the server answers. Without it, the
   search by name below works as it is. */
(function () {
  "use strict";
  var root = document.querySelector("[data-scan-url]");
  if (!root || !("BarcodeDetector" in window) || !navigator.mediaDevices) return;
  var scanner = root.querySelector(".check-in__scanner");
  var video = root.querySelector(".check-in__video");
  var result = document.getElementById("check-in-result");
  var csrf = root.querySelector("input[name=csrfmiddlewaretoken]").value;
  var url = root.getAttribute("data-scan-url");
  var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
  var last = "", lastAt = 0, busy = false;
  scanner.hidden = false;

  function scanId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function show(data) {
    result.className = "check-in__result check-in__result--" + data.state;
    result.textContent = "";
    if (data.name) {
      var strong = document.createElement("strong");
      strong.textContent = data.name + " ";
      result.appendChild(strong);
    }
    result.appendChild(document.createTextNode(data.message));
  }

  function send(token, id, attempt) {
    var body = new URLSearchParams({ token: token, scan_id: id });
    return fetch(url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, "Accept": "application/json" }
    }).then(function (response) { return response.json(); }).then(show).catch(function () {
      // Offline or a dropped answer: resend the same scan, later.
      result.className = "check-in__result";
      result.textContent = root.getAttribute("data-retrying") || "…";
      var delay = Math.min(30000, 1000 * Math.pow(2, attempt));
      return new Promise(function (resolve) { setTimeout(resolve, delay); })
        .then(function () { return send(token, id, attempt + 1); });
    });
  }

  function tick() {
    if (busy) { window.requestAnimationFrame(tick); return; }
    detector.detect(video).then(function (codes) {
      var now = Date.now();
      if (codes.length && (codes[0].rawValue !== last || now - lastAt > 4000)) {
        last = codes[0].rawValue; lastAt = now; busy = true;
        send(last, scanId(), 0).then(function () { busy = false; });
      }
    }).catch(function () {}).then(function () { window.requestAnimationFrame(tick); });
  }

  root.querySelector("[data-scan-start]").addEventListener("click", function (event) {
    event.target.hidden = true;
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
      video.srcObject = stream;
      return video.play();
    }).then(tick).catch(function () { event.target.hidden = false; });
  });
})();
