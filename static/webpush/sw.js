/* Parley's service worker (served at /sw.js so its scope is the whole site). It shows the
   push messages Parley sends — JSON {title, body, url, tag}, decrypted by the browser — and
   opens or focuses the page a notification is about. It caches nothing. */
"use strict";

self.addEventListener("push", function (event) {
  var data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (error) {
    data = { body: event.data ? event.data.text() : "" };
  }
  var options = {
    body: data.body || "",
    data: { url: data.url || "/" }
  };
  if (data.tag) {
    options.tag = data.tag;
    options.renotify = true;
  }
  event.waitUntil(self.registration.showNotification(data.title || "Parley", options));
});

function sameSite(url) {
  var target = new URL(url || "/", self.location.origin);
  // A notification only ever leads to a page of this forum.
  return target.origin === self.location.origin ? target.href : self.location.origin + "/";
}

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var target = sameSite(event.notification.data && event.notification.data.url);
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (windows) {
      for (var i = 0; i < windows.length; i++) {
        if (windows[i].url === target && "focus" in windows[i]) return windows[i].focus();
      }
      // Never navigate a tab the member is using (they may be writing a post): open one.
      return self.clients.openWindow(target);
    })
  );
});

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });
