// Entries made without a connection, kept in this browser's IndexedDB until the server has them.
// Loaded by every page (before offline.js) and by the service worker (importScripts), which
// share it as `KindJournalQueue`. Plain IndexedDB: two object stores and a few short
// transactions need no wrapper library, and so nothing more to pin, serve, precache or allow.
//
// Each entry carries a key made here (crypto.randomUUID) and the account it was made under.
// The server stores a key once (kindjournal/offline/replay.py), so sending an entry twice, from
// two tabs, or again after an answer was lost, never stores it twice; an entry leaves this
// queue only once the server has answered for it. One the server refused as invalid stays, with
// `refused: {problem, at}` and never sent again, so the page can show what the person typed
// until they dismiss it (README, "Offline").
(function (scope) {
  "use strict";

  var DB_NAME = "kindjournal";
  var DB_VERSION = 2;
  // Waiting entries one account may keep on a device (README, "Limits").
  var LIMIT = 200;
  var SYNC_TAG = "kindjournal-send";
  // Held while sending, by one tab or the worker at a time (Web Locks, where the browser has it).
  var SEND_LOCK = "kindjournal-send";
  // Django's CSRF_COOKIE_NAME (a test checks they agree). Read when sending, never stored.
  var CSRF_COOKIE = "csrftoken";
  var SEND_TIMEOUT_MS = 20000;
  // Tells the other tabs (and the worker tells the tabs) that the queue changed. A tab that
  // sent takes the answers (takeOutcomes) before it tells the others, so it shows them itself.
  var CHANNEL = "kindjournal-queue";

  function announce(accountId) {
    if (!scope.BroadcastChannel) return;
    var channel = new scope.BroadcastChannel(CHANNEL);
    channel.postMessage({ account: accountId });
    channel.close();
  }

  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = scope.indexedDB.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = function (event) {
        var db = request.result;
        if (event.oldVersion < 1) {
          db.createObjectStore("entries", { keyPath: "key" }).createIndex("account", "account");
          // The account last logged in here ({id, name, timeZone}), for the offline page.
          db.createObjectStore("meta", { keyPath: "name" });
        }
        if (event.oldVersion < 2) {
          // What the server said about each entry sent ({key, account, status, message}),
          // until one page of that account has shown it: each answer is shown once, in one
          // tab, whoever sent the entry (a tab, another tab, the worker).
          db.createObjectStore("outcomes", { keyPath: "key" }).createIndex("account", "account");
        }
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

  // All of the account's entries, waiting and refused, oldest first.
  function entriesOf(store, accountId, callback) {
    store.index("account").getAll(accountId).onsuccess = function (event) {
      callback(event.target.result.sort(byMoment));
    };
  }

  function isWaiting(entry) {
    return !entry.refused;
  }

  // Keep a new entry: {kind: "mood", account, date, mood, note} or {kind: "act", account, date,
  // description, category}, with `key` when the entry already has one (an act form's own
  // submission key). A mood replaces a mood still waiting for the same day and account, as
  // saving a day's mood twice online does. Rejects with error.name "QueueFull" past LIMIT.
  function keep(fields) {
    var entry = Object.assign({}, fields, { key: fields.key || scope.crypto.randomUUID(), made_at: Date.now() });
    return transact(["entries"], "readwrite", function (stores, result, tx) {
      entriesOf(stores.entries, entry.account, function (all) {
        // A refused entry is kept for its text only: it neither fills the queue nor is replaced.
        var waiting = all.filter(isWaiting);
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
    }).then(function (kept) {
      announce(kept.account);
      return kept;
    });
  }

  function entriesWhere(accountId, test) {
    return transact(["entries"], "readonly", function (stores, result) {
      entriesOf(stores.entries, accountId, function (found) { result.value = found.filter(test); });
    });
  }

  function waiting(accountId) {
    return entriesWhere(accountId, isWaiting);
  }

  // The entries the server refused as invalid, each with `refused.problem`, oldest first.
  function refused(accountId) {
    return entriesWhere(accountId, function (entry) { return !isWaiting(entry); });
  }

  // The person has seen (and copied) a refused entry: only now does it leave the device.
  function dismiss(accountId, key) {
    return transact(["entries"], "readwrite", function (stores) {
      stores.entries.get(key).onsuccess = function (event) {
        var found = event.target.result;
        if (found && found.account === accountId && !isWaiting(found)) stores.entries.delete(key);
      };
    }).then(function () { announce(accountId); });
  }

  function countOthers(accountId) {
    return transact(["entries"], "readonly", function (stores, result) {
      stores.entries.getAll().onsuccess = function (event) {
        result.value = event.target.result.filter(function (entry) {
          return entry.account !== accountId && isWaiting(entry);
        }).length;
      };
    });
  }

  // The entry leaves the queue and what the server said about it is kept, in one transaction:
  // an entry is never gone without its answer waiting to be shown.
  function settle(entry, answer) {
    return transact(["entries", "outcomes"], "readwrite", function (stores) {
      stores.entries.delete(entry.key);
      stores.outcomes.put({
        key: entry.key, account: entry.account, status: answer.status, message: answer.message, at: Date.now(),
      });
    });
  }

  // Refused as invalid: never sent again, and kept with the reason beside the person's text,
  // which the page lists (so no answer is kept to show as well). Only if still there: a log-out
  // meanwhile has deleted it for good.
  function refuse(entry, answer) {
    var problem = answer.problem || answer.message || "";
    return transact(["entries"], "readwrite", function (stores) {
      stores.entries.get(entry.key).onsuccess = function (event) {
        var found = event.target.result;
        if (found) stores.entries.put(Object.assign(found, { refused: { problem: problem, at: Date.now() } }));
      };
    });
  }

  // The answers not shown yet for this account, oldest first; taken, so no other tab shows them.
  function takeOutcomes(accountId) {
    return transact(["outcomes"], "readwrite", function (stores, result) {
      stores.outcomes.index("account").getAll(accountId).onsuccess = function (event) {
        result.value = event.target.result.sort(function (a, b) { return a.at - b.at; });
        result.value.forEach(function (outcome) { stores.outcomes.delete(outcome.key); });
      };
    });
  }

  // Log-out: this account's entries, their answers and the memory of it leave the device.
  function forget(accountId) {
    return transact(["entries", "outcomes", "meta"], "readwrite", function (stores) {
      entriesOf(stores.entries, accountId, function (found) {
        found.forEach(function (entry) { stores.entries.delete(entry.key); });
      });
      stores.outcomes.index("account").getAllKeys(accountId).onsuccess = function (event) {
        event.target.result.forEach(function (key) { stores.outcomes.delete(key); });
      };
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
    // A send that hangs on a weak connection would hold SEND_LOCK: given up after a while, and
    // the entry stays (the server finds its key if it did arrive).
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, SEND_TIMEOUT_MS);
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      // Logged out, the server redirects to its log-in page: seen here, never followed.
      redirect: "manual",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify(body),
      signal: controller.signal,
    }).finally(function () { clearTimeout(timer); }).then(function (response) {
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
            var done = answer.status === "invalid" ? refuse(entry, answer) : settle(entry, answer);
            return done.then(function () { return next(index + 1); });
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
      return send({ account: account.id, url: url, csrfToken: csrfFromCookieStore }).then(function (summary) {
        if (summary.results.length) announce(account.id);
        return summary;
      });
    });
  }

  scope.KindJournalQueue = {
    LIMIT: LIMIT,
    SYNC_TAG: SYNC_TAG,
    CSRF_COOKIE: CSRF_COOKIE,
    CHANNEL: CHANNEL,
    keep: keep,
    waiting: waiting,
    refused: refused,
    dismiss: dismiss,
    countOthers: countOthers,
    takeOutcomes: takeOutcomes,
    announce: announce,
    forget: forget,
    rememberAccount: rememberAccount,
    lastAccount: lastAccount,
    send: send,
    csrfFromDocument: csrfFromDocument,
    sendFromWorker: sendFromWorker,
  };
})(self);
