// KindJournal's service worker: opens Today without a connection and sends what was logged
// offline. Served at /sw.js (scope /) by kindjournal/offline/views.py, which puts this deploy's
// settings above this file as `self.KINDJOURNAL`: the hashed static file names and the jsDelivr
// files (with their integrity hashes) to keep, the offline page, and a version that changes
// with any of them, so a new deploy installs a new worker and its activation drops the old cache.
//
// Privacy rule: only the files named in KINDJOURNAL go into Cache Storage, and the offline page
// is fetched without cookies. A page from the server (moods, notes, acts) is never cached.
"use strict";

var CONFIG = self.KINDJOURNAL;
var CACHE = "kindjournal-" + CONFIG.version;
var PRECACHED = new Set(
  CONFIG.static.concat([CONFIG.shell, CONFIG.manifest], CONFIG.cdn.map(function (asset) { return asset.url; }))
    .map(function (url) { return new URL(url, self.location.href).href; })
);

// KindJournalQueue: the offline entries in IndexedDB, shared with the pages (static/js/queue.js).
importScripts(CONFIG.queue);

self.addEventListener("install", function (event) {
  event.waitUntil(precache().then(function () { return self.skipWaiting(); }));
});

function precache() {
  var requests = CONFIG.static.map(function (url) { return new Request(url, { cache: "reload" }); });
  requests.push(new Request(CONFIG.shell, { cache: "reload", credentials: "omit" }));
  requests.push(new Request(CONFIG.manifest, { cache: "reload", credentials: "omit" }));
  CONFIG.cdn.forEach(function (asset) {
    requests.push(new Request(asset.url, {
      cache: "reload", mode: "cors", credentials: "omit", integrity: asset.integrity,
    }));
  });
  return caches.open(CACHE).then(function (cache) { return cache.addAll(requests); });
}

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("kindjournal-") === 0 && name !== CACHE;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  // Forms and sends go straight to the server; a form post that fails is kept on the device
  // by the page (static/js/offline.js), which posts the mood and act forms itself.
  if (request.method !== "GET") return;
  if (request.mode === "navigate") {
    // Always the server's page when it can be had; the generic offline page when not.
    event.respondWith(fetch(request).catch(function () {
      return caches.match(CONFIG.shell, { cacheName: CACHE }).then(function (shell) {
        return shell || Response.error();
      });
    }));
    return;
  }
  if (PRECACHED.has(request.url)) {
    event.respondWith(caches.match(request.url, { cacheName: CACHE }).then(function (cached) {
      return cached || fetch(request);
    }));
  }
});

// Background Sync, where the browser has it: the page asks for it when it keeps an entry.
self.addEventListener("sync", function (event) {
  if (event.tag === KindJournalQueue.SYNC_TAG) {
    event.waitUntil(KindJournalQueue.sendFromWorker(CONFIG.send));
  }
});

// Push notifications (reminders): `push` and `notificationclick` handlers go here.
// The payload is generic (kindjournal/reminders/push.py). A notification opens its URL only
// when that resolves to this site's origin, as the browser resolves it: "//other.example/" and
// "/\\other.example/" look like paths but open another site. Anything else opens the home page.
function reminderUrl(data) {
  var home = new URL("/", self.location.origin).href;
  if (!data || typeof data.url !== "string") return home;
  try {
    var url = new URL(data.url, self.location.origin);
    return url.origin === self.location.origin ? url.href : home;
  } catch (error) {
    return home;
  }
}

self.addEventListener("push", function (event) {
  var data = {};
  try { data = event.data ? event.data.json() : {}; } catch (error) { data = {}; }
  event.waitUntil(self.registration.showNotification(data.title || "KindJournal", {
    body: data.body || "A gentle reminder: how was your day?",
    tag: data.tag || "daily-reminder",
    icon: CONFIG.static.filter(function (url) { return /icon-192/.test(url); })[0],
    data: { url: reminderUrl(data) }
  }));
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var target = reminderUrl(event.notification.data);
  event.waitUntil(self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (windows) {
    for (var i = 0; i < windows.length; i++) {
      if (windows[i].url === target && "focus" in windows[i]) return windows[i].focus();
    }
    return self.clients.openWindow(target);
  }));
});
