/* The push page: shows whether this browser receives notifications and turns them on or
   off. Subscribing happens in the browser (its push service); the subscription is then
   sent to Parley, which encrypts every message for it. No inline script, no other site. */
(function () {
  "use strict";
  var box = document.getElementById("push-browser");
  if (!box) return;
  var status = box.querySelector(".push-status");
  var button = box.querySelector(".push-toggle");
  var token = box.querySelector("input[name=csrfmiddlewaretoken]").value;
  var registration = null;
  var current = null;

  function say(text) { status.textContent = text; }

  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    say("This browser cannot receive push notifications.");
    return;
  }

  function keyBytes(text) {
    var b64 = text.replace(/-/g, "+").replace(/_/g, "/");
    b64 += "===".slice((b64.length + 3) % 4);
    var raw = atob(b64);
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }

  function send(url, data) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify(data)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (!response.ok) {
          var error = new Error(body.error || "The forum refused (" + response.status + ").");
          error.status = response.status;
          throw error;
        }
        return body;
      });
    });
  }

  function known(endpoint) {
    var rows = document.querySelectorAll(".push-device");
    var found = false;
    rows.forEach(function (row) {
      var mine = row.getAttribute("data-endpoint") === endpoint;
      row.querySelector(".this-device").hidden = !mine;
      found = found || mine;
    });
    return found;
  }

  function show() {
    var on = current !== null && known(current.endpoint);
    if (Notification.permission === "denied") {
      say("Notifications are blocked for this site in your browser's settings.");
      button.hidden = true;
      return;
    }
    say(on ? "This browser receives your notifications." : "This browser does not receive your notifications.");
    button.textContent = on ? "Turn off notifications in this browser" : "Turn on notifications in this browser";
    button.setAttribute("data-action", on ? "off" : "on");
    button.hidden = false;
  }

  function subscribeBrowser() {
    var options = { userVisibleOnly: true, applicationServerKey: keyBytes(box.getAttribute("data-key")) };
    return registration.pushManager.subscribe(options).catch(function (error) {
      // A subscription made with another key (the forum's key changed) must go first.
      if (!current) throw error;
      return current.unsubscribe().then(function () { return registration.pushManager.subscribe(options); });
    });
  }

  function turnOn() {
    return Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") {
        say("Notifications were not allowed, so none will be sent.");
        return null;
      }
      return subscribeBrowser().then(function (subscription) {
        return send(box.getAttribute("data-subscribe-url"), subscription.toJSON()).then(function () {
          window.location.reload();
        });
      });
    });
  }

  function turnOff() {
    var endpoint = current.endpoint;
    return current.unsubscribe().then(function () {
      return send(box.getAttribute("data-unsubscribe-url"), { endpoint: endpoint }).catch(function (error) {
        if (error.status !== 404) throw error;
      });
    }).then(function () { window.location.reload(); });
  }

  button.addEventListener("click", function () {
    button.disabled = true;
    var work = button.getAttribute("data-action") === "off" ? turnOff() : turnOn();
    work.catch(function (error) { say(error.message); }).then(function () { button.disabled = false; });
  });

  say("Checking this browser…");
  navigator.serviceWorker.register(box.getAttribute("data-worker-url"), { scope: "/" })
    .then(function () { return navigator.serviceWorker.ready; })
    .then(function (ready) {
      registration = ready;
      return ready.pushManager.getSubscription();
    })
    .then(function (subscription) {
      current = subscription;
      show();
    })
    .catch(function (error) { say("Push notifications are not available here: " + error.message); });
})();
