/* The check-in page's camera: scan QR tickets with the browser's
   BarcodeDetector where it has one, else with the vendored jsQR library
   (vendor/jsqr/, loaded only then), and send each scan (with a scan id, so a
   resend after a network failure is never counted twice) until the server
   answers. Without a camera or JavaScript, the search by name below works as
   it is. */
(function () {
  "use strict";
  var root = document.querySelector("[data-scan-url]");
  if (!root || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;
  var scanner = root.querySelector(".check-in__scanner");
  var video = root.querySelector(".check-in__video");
  var start = root.querySelector("[data-scan-start]");
  var stop = root.querySelector("[data-scan-stop]");
  var status = root.querySelector(".check-in__scanner-status");
  var result = document.getElementById("check-in-result");
  var csrf = root.querySelector("input[name=csrfmiddlewaretoken]").value;
  var url = root.getAttribute("data-scan-url");
  var canvas = document.createElement("canvas");
  var context = canvas.getContext("2d", { willReadFrequently: true });
  var decode = null, stream = null, last = "", lastAt = 0, busy = false;
  scanner.hidden = false;

  function say(text) { status.textContent = text || ""; }

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

  // A decoder: a function from the video to a promise of the text of the QR
  // code in view, or "".
  function barcodeDetector() {
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    return function (source) {
      return detector.detect(source).then(function (codes) { return codes.length ? codes[0].rawValue : ""; });
    };
  }

  function jsqrDecoder() {
    return function (source) {
      var width = source.videoWidth, height = source.videoHeight;
      if (!width || !height) return Promise.resolve("");
      var scale = Math.min(1, 800 / Math.max(width, height));
      canvas.width = Math.round(width * scale);
      canvas.height = Math.round(height * scale);
      context.drawImage(source, 0, 0, canvas.width, canvas.height);
      var image = context.getImageData(0, 0, canvas.width, canvas.height);
      var code = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
      return Promise.resolve(code ? code.data : "");
    };
  }

  function loadDecoder() {
    if (decode) return Promise.resolve(decode);
    var native = "BarcodeDetector" in window
      ? window.BarcodeDetector.getSupportedFormats().then(function (formats) {
        return formats.indexOf("qr_code") >= 0;
      }).catch(function () { return false; })
      : Promise.resolve(false);
    return native.then(function (supported) {
      if (supported) {
        root.setAttribute("data-scanner", "barcode-detector");
        decode = barcodeDetector();
        return decode;
      }
      return new Promise(function (resolve, reject) {
        if (window.jsQR) { resolve(); return; }
        var script = document.createElement("script");
        script.src = root.getAttribute("data-jsqr-src");
        script.onload = resolve;
        script.onerror = reject;
        document.head.appendChild(script);
      }).then(function () {
        root.setAttribute("data-scanner", "jsqr");
        decode = jsqrDecoder();
        return decode;
      });
    });
  }

  function tick() {
    if (!stream) return;
    if (busy || video.readyState < 2) { window.requestAnimationFrame(tick); return; }
    decode(video).then(function (text) {
      var now = Date.now();
      if (text && (text !== last || now - lastAt > 4000)) {
        last = text; lastAt = now; busy = true;
        send(text, scanId(), 0).then(function () { busy = false; });
      }
    }).catch(function () {}).then(function () {
      // About five frames a second: enough to scan, easy on a phone's battery.
      setTimeout(function () { window.requestAnimationFrame(tick); }, 200);
    });
  }

  function stopCamera() {
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    video.srcObject = null;
    stop.hidden = true;
    start.hidden = false;
    say("");
    start.focus();
  }

  start.addEventListener("click", function () {
    start.hidden = true;
    say(root.getAttribute("data-starting"));
    loadDecoder().then(function () {
      return navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    }).then(function (media) {
      stream = media;
      video.srcObject = media;
      return video.play();
    }).then(function () {
      stop.hidden = false;
      stop.focus();
      say(root.getAttribute("data-scanning"));
      tick();
    }).catch(function () {
      stream = null;
      start.hidden = false;
      say(root.getAttribute("data-no-camera"));
    });
  });
  stop.addEventListener("click", stopCamera);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && stream) stopCamera();
  });
})();
