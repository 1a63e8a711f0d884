// Entries made without a connection, kept in this browser's IndexedDB until the server has them.
// Loaded by every page (before offline.js) and by the service worker (importScripts), which
// share it as `KindJournalQueue`. Plain IndexedDB: two object stores and a few short
// transactions need no wrapper library, and so nothing more to pin, serve, precache or allow.
//
// Each entry carries a key made here (crypto.randomUUID) and the account it was made under.
// The server stores a key once (kindjournal/offline/replay.py), so sending an entry twice, from
// two tabs, or again after an answer was lost, never stores it twice; an entry leaves this
// queue only once the server has answered for it.
(function (scope) {
  "use strict";

  var DB_NAME = "kindjournal";
  var DB_VERSION = 1;
  // Waiting entries one account may keep on a device (README, "Limits").
  var LIMIT = 200;
  var SYNC_TAG = "kindjournal-send";
  // Held while sending, by one tab or the worker at a time (Web Locks, where the browser has it).
  var SEND_LOCK = "kindjournal-send";
  // Django's CSRF_COOKIE_NAME (a test checks they agree). Read when sending, never stored.
  var CSRF_COOKIE = "csrftoken";

  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = scope.indexedDB.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = function () {
        var db = request.result;
        db.createObjectStore("entries", { keyPath: "key" }).createIndex("account", "account");
        // The account last logged in here ({id, name, timeZone}), for the offline page.
        db.createObjectStore("meta", { keyPath: "name" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  // Run `body(stores, result)` in one transaction; resolves with result.value once committed.
  function transact(names, mode, body) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        // Strict: a kept entry is on disk before the page says so, and survives the browser
        // being closed right after.
        var tx = db.transaction(names, mode, { durability: mode === "readwrite" ? "strict" : "default" });
        var result = {};
        tx.oncomplete = function () { db.close(); resolve(result.value); };
        tx.onabort = tx.onerror = function () { db.close(); reject(result.error || tx.error); };
        var stores = {};
        names.forEach(function (name) { stores[name] = tx.objectStore(name); });
        body(stores, result, tx);
      });
    });
  }

  function byMoment(a, b) {
    return a.made_at - b.made_at || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  }

  function entriesOf(store, accountId, callback) {
    store.index("account").getAll(accountId).onsuccess = function (event) {
      callback(event.target.result.sort(byMoment));
    };
  }

  // Keep a new entry: {kind: "mood", account, date, mood, note} or {kind: "act", account, date,
  // description, category}. A mood replaces a mood still waiting for the same day and account,
  // as saving a day's mood twice online does. Rejects with error.name "QueueFull" past LIMIT.
  function keep(fields) {
    var entry = Object.assign({}, fields, { key: scope.crypto.randomUUID(), made_at: Date.now() });
    return transact(["entries"], "readwrite", function (stores, result, tx) {
      entriesOf(stores.entries, entry.account, function (waiting) {
        var replaced = waiting.filter(function (other) {
          return entry.kind === "mood" && other.kind === "mood" && other.date === entry.date;
        });
        if (waiting.length - replaced.length >= LIMIT) {
          result.error = new Error("This device already keeps " + LIMIT + " entries waiting to be sent.");
          result.error.name = "QueueFull";
          tx.abort();
          return;
        }
        replaced.forEach(function (other) { stores.entries.delete(other.key); });
        stores.entries.add(entry);
        result.value = entry;
      });
    });
  }

  function waiting(accountId) {
    return transact(["entries"], "readonly", function (stores, result) {
      entriesOf(stores.entries, accountId, function (found) { result.value = found; });
    });
  }

  function countOthers(accountId) {
    return transact(["entries"], "readonly", function (stores, result) {
      stores.entries.getAll().onsuccess = function (event) {
        result.value = event.target.result.filter(function (entry) {
          return entry.account !== accountId;
        }).length;
      };
    });
  }

  function remove(key) {
    return transact(["entries"], "readwrite", function (stores) { stores.entries.delete(key); });
  }

  // Log-out: this account's entries and the memory of it leave the device.
  function forget(accountId) {
    return transact(["entries", "meta"], "readwrite", function (stores) {
      entriesOf(stores.entries, accountId, function (found) {
        found.forEach(function (entry) { stores.entries.delete(entry.key); });
      });
      stores.meta.get("account").onsuccess = function (event) {
        var known = event.target.result;
        if (known && known.id === accountId) stores.meta.delete("account");
      };
    });
  }

  function rememberAccount(account) {
    return transact(["meta"], "readwrite", function (stores) {
      stores.meta.put({ name: "account", id: account.id, user: account.name, timeZone: account.timeZone });
    });
  }

  function lastAccount() {
    return transact(["meta"], "readonly", function (stores, result) {
      stores.meta.get("account").onsuccess = function (event) {
        var found = event.target.result;
        result.value = found ? { id: found.id, name: found.user, timeZone: found.timeZone } : null;
      };
    });
  }

  function csrfFromDocument() {
    var match = scope.document.cookie.match(new RegExp("(?:^|; )" + CSRF_COOKIE + "=([^;]*)"));
    return Promise.resolve(match ? decodeURIComponent(match[1]) : "");
  }

  function csrfFromCookieStore() {
    return scope.cookieStore.get(CSRF_COOKIE).then(function (cookie) { return cookie ? cookie.value : ""; });
  }

  function withSendLock(work) {
    if (scope.navigator.locks) return scope.navigator.locks.request(SEND_LOCK, work);
    return work();
  }

  // What the server said about one entry; null when it did not answer for it (no connection,
  // a server error, a refused session), so the entry stays.
  function sendOne(entry, url, token) {
    var body = Object.assign({}, entry, { sent_at: Date.now() });
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      // Logged out, the server redirects to its log-in page: seen here, never followed.
      redirect: "manual",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify(body),
    }).then(function (response) {
      if (response.type === "opaqueredirect") return { status: "login" };
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") !== 0) return { status: "error", http: response.status };
      return response.json().then(function (answer) {
        answer.http = response.status;
        return answer;
      });
    }, function () { return { status: "offline" }; });
  }

  // Settled: the server will never answer otherwise for this entry (README, "Offline").
  var FINAL = ["saved", "duplicate", "stale", "reused", "invalid"];

  // Send the account's waiting entries, oldest first, one at a time. Resolves with
  // {results: [{entry, status, message}], stopped: null | "offline" | "login" |
  // "other_account" | "error"}: sending stops at the first entry the server did not settle.
  function send(options) {
    return withSendLock(function () {
      return Promise.all([waiting(options.account), options.csrfToken()]).then(function (found) {
        var entries = found[0];
        var token = found[1];
        var summary = { results: [], stopped: null };
        var next = function (index) {
          if (index >= entries.length) return summary;
          var entry = entries[index];
          return sendOne(entry, options.url, token).then(function (answer) {
            if (FINAL.indexOf(answer.status) === -1) {
              summary.stopped = answer.status;
              return summary;
            }
            summary.results.push({ entry: entry, status: answer.status, message: answer.message });
            return remove(entry.key).then(function () { return next(index + 1); });
          });
        };
        return next(0);
      });
    });
  }

  // The worker's Background Sync: the entries of the account last logged in here.
  function sendFromWorker(url) {
    if (!scope.cookieStore) return Promise.resolve(null);  // the next page load sends them
    return lastAccount().then(function (account) {
      if (!account) return null;
      return send({ account: account.id, url: url, csrfToken: csrfFromCookieStore });
    });
  }

  scope.KindJournalQueue = {
    LIMIT: LIMIT,
    SYNC_TAG: SYNC_TAG,
    CSRF_COOKIE: CSRF_COOKIE,
    keep: keep,
    waiting: waiting,
    countOthers: countOthers,
    remove: remove,
    forget: forget,
    rememberAccount: rememberAccount,
    lastAccount: lastAccount,
    send: send,
    csrfFromDocument: csrfFromDocument,
    sendFromWorker: sendFromWorker,
  };
})(self);
