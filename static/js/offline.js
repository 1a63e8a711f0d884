// The page side of offline logging (README, "Offline"): registers the service worker, keeps
// mood and act forms sent without a connection in KindJournalQueue (static/js/queue.js), lists
// what waits, sends it when the connection is back, and fills in the offline page
// (templates/offline/shell.html). With JavaScript off none of this runs and the forms post as
// they always have.
(function () {
  "use strict";
  var Queue = window.KindJournalQueue;
  var urls = JSON.parse(document.getElementById("kj-urls").textContent);
  // The logged-in person, or null (logged out, or the offline page, which is the same for all).
  var pageAccount = JSON.parse(document.getElementById("kj-account").textContent);
  var isShell = document.querySelector("[data-kj-shell]") !== null;
  var banner = document.querySelector("[data-kj-offline-banner]");
  var statusBox = document.querySelector("[data-kj-queue-status]");
  var PAGE_NAMES = [
    [/^\/history\//, "History"],
    [/^\/insights\//, "Insights"],
    [/^\/export\//, "Export"],
    [/^\/import\//, "Import"],
    [/^\/accounts\/settings\//, "Settings"],
    [/^\/accounts\//, "Your account"],
  ];
  var DAY_PATH = /^\/day\/(\d{4}-\d{2}-\d{2})\/$/;

  if (!Queue || !window.indexedDB) return;

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(urls.worker, { scope: "/" }).catch(function () {});
  }

  // ---- who the entries belong to -------------------------------------------------------------

  var accountReady = pageAccount
    ? Queue.rememberAccount(pageAccount).then(function () { return pageAccount; })
    : Queue.lastAccount();

  // ---- dates, in the person's own time zone --------------------------------------------------

  function todayIn(timeZone) {
    var options = { year: "numeric", month: "2-digit", day: "2-digit" };
    try {
      return new Intl.DateTimeFormat("en-CA", Object.assign({ timeZone: timeZone }, options)).format(new Date());
    } catch (error) {
      return new Intl.DateTimeFormat("en-CA", options).format(new Date());
    }
  }

  // "Thursday 3 December 2026", as the server writes dates (Django's "l j F Y").
  function longDate(iso) {
    var parts = {};
    new Intl.DateTimeFormat("en-GB", {
      weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "UTC",
    }).formatToParts(new Date(iso + "T12:00:00Z")).forEach(function (part) { parts[part.type] = part.value; });
    return [parts.weekday, parts.day, parts.month, parts.year].join(" ");
  }

  function dayName(iso, account) {
    return iso === todayIn(account.timeZone) ? "today" : longDate(iso);
  }

  // ---- what the person sees ------------------------------------------------------------------

  function showBanner() {
    if (banner) banner.hidden = !(isShell || !navigator.onLine);
  }

  function say(text, link) {
    if (!statusBox) return;
    statusBox.textContent = text;
    if (link) {
      var anchor = document.createElement("a");
      anchor.href = link.href;
      anchor.textContent = link.text;
      anchor.className = "alert-link ms-1";
      statusBox.appendChild(anchor);
    }
    statusBox.hidden = !text;
  }

  function categoryLabel(value) {
    var option = document.querySelector('[data-kj-queue="act"] select[name="category"] option[value="' + value + '"]');
    return option ? option.textContent : value;
  }

  function describe(entry, account) {
    if (entry.kind === "mood") {
      return "Mood " + entry.mood + " for " + dayName(entry.date, account) + (entry.note ? ", with a note" : "");
    }
    return "“" + entry.description + "” (" + categoryLabel(entry.category) + ") for " + dayName(entry.date, account);
  }

  // What the person typed, all of it (a mood's note too), for an entry the server refused: the
  // page is where they can still copy it.
  function typed(entry, account) {
    if (entry.kind === "mood") {
      return "mood " + entry.mood + " for " + dayName(entry.date, account) + (entry.note ? ", with the note “" + entry.note + "”" : "");
    }
    return describe(entry, account);
  }

  // A list item of "Kept on this device" with the entry's words.
  function entryItem(words) {
    var item = document.createElement("li");
    item.className = "py-1";
    var text = document.createElement("span");
    text.className = "kj-pre";
    text.textContent = words;
    item.append(text);
    return item;
  }

  function waitingItem(entry, account) {
    var item = entryItem(describe(entry, account));
    var badge = document.createElement("span");
    badge.className = "badge text-bg-warning ms-2";
    badge.textContent = "waiting to be sent";
    item.append(badge);
    return item;
  }

  function refusedItem(entry, account) {
    var words = "Not saved: " + typed(entry, account) + " — " + entry.refused.problem;
    var item = entryItem(words);
    var dismiss = document.createElement("button");
    dismiss.type = "button";
    dismiss.className = "btn btn-sm btn-outline-secondary ms-2";
    dismiss.textContent = "Dismiss";
    dismiss.addEventListener("click", function () {
      dismiss.disabled = true;
      Queue.dismiss(account.id, entry.key).then(function () { return listWaiting(account); }, function () {
        dismiss.disabled = false;
      });
    });
    item.append(dismiss);
    return item;
  }

  // The keys of the entries this page lists as waiting: once any of them is gone from the queue
  // (sent by this tab, another tab or the worker), the page shows the server's day instead.
  var shown = [];

  // Lists the entries waiting to be sent, after those the server refused (until dismissed);
  // resolves with the waiting ones.
  function listWaiting(account) {
    return Promise.all([Queue.waiting(account.id), Queue.refused(account.id)]).then(function (found) {
      var entries = found[0];
      var refused = found[1];
      shown = entries.map(function (entry) { return entry.key; });
      document.querySelectorAll("[data-kj-waiting]").forEach(function (section) {
        var list = section.querySelector("[data-kj-waiting-list]");
        list.replaceChildren.apply(list, refused.map(function (entry) { return refusedItem(entry, account); })
          .concat(entries.map(function (entry) { return waitingItem(entry, account); })));
        section.hidden = entries.length === 0 && refused.length === 0;
      });
      return entries;
    });
  }

  function plural(count) {
    return count === 1 ? "1 entry" : count + " entries";
  }

  // ---- the offline page ----------------------------------------------------------------------

  function fillShell(account) {
    var path = window.location.pathname;
    var dayMatch = DAY_PATH.exec(path);
    var part;
    if (!account) {
      part = "nobody";
    } else if (path === urls.today || (dayMatch && dayMatch[1] <= todayIn(account.timeZone))) {
      part = "day";
      var day = dayMatch ? dayMatch[1] : todayIn(account.timeZone);
      var isToday = day === todayIn(account.timeZone);
      var title = isToday ? "Today" : longDate(day);
      document.querySelector("[data-kj-shell-title]").textContent = title;
      document.querySelector("[data-kj-shell-date]").textContent = isToday ? longDate(day) : "";
      document.title = title + " · KindJournal";
      document.querySelectorAll("[data-kj-queue]").forEach(function (form) { form.dataset.kjDate = day; });
    } else {
      part = "elsewhere";
      var name = "This page";
      PAGE_NAMES.some(function (pair) { return pair[0].test(path) && (name = pair[1]); });
      document.querySelector("[data-kj-shell-page]").textContent = name;
      document.querySelector("[data-kj-shell-page-name]").textContent = name;
      document.title = name + " · KindJournal";
    }
    ["day", "elsewhere", "nobody"].forEach(function (each) {
      document.querySelector("[data-kj-shell-" + each + "]").hidden = each !== part;
    });
  }

  // ---- keeping a form's entry on the device --------------------------------------------------

  function markError(form, field, message) {
    var id = "kj-offline-error-" + field.name;
    var note = document.getElementById(id) || document.createElement("div");
    note.id = id;
    note.className = "invalid-feedback d-block";
    note.textContent = message;
    var anchor = field.closest("fieldset") || field;
    anchor.setAttribute("aria-invalid", "true");
    anchor.setAttribute("aria-describedby", id);
    if (!note.parentNode) anchor.insertAdjacentElement(anchor.tagName === "FIELDSET" ? "beforeend" : "afterend", note);
    field.focus();
  }

  function clearErrors(form) {
    form.querySelectorAll("[id^=kj-offline-error-]").forEach(function (note) { note.remove(); });
    form.querySelectorAll("[aria-invalid]").forEach(function (field) {
      field.removeAttribute("aria-invalid");
      field.removeAttribute("aria-describedby");
    });
  }

  // The entry in a mood or act form, or null after marking what is missing.
  function readForm(form, account) {
    clearErrors(form);
    var base = { kind: form.dataset.kjQueue, account: account.id, date: form.dataset.kjDate };
    if (base.kind === "mood") {
      var chosen = form.querySelector('input[name="mood"]:checked');
      if (!chosen) {
        markError(form, form.querySelector('input[name="mood"]'), "Choose your mood from 1 (worst) to 10 (best).");
        return null;
      }
      var note = form.querySelector('textarea[name="note"]').value.replace(/\r\n?/g, "\n");
      return Object.assign(base, { mood: Number(chosen.value), note: note });
    }
    var description = form.querySelector('input[name="description"]');
    if (!description.value.trim()) {
      markError(form, description, "Describe what you did.");
      return null;
    }
    return Object.assign(base, {
      description: description.value.trim(),
      category: form.querySelector('select[name="category"]').value,
    });
  }

  // A form whose entry is kept on the device; `notice` says why ({lead, then, link}: the
  // sentence around the entry and a link after it), `key` is the entry's key when it already
  // has one (an act form's submission key, from a post that may have arrived).
  function keepForm(form, account, notice, key) {
    var entry = readForm(form, account);
    if (!entry) return Promise.resolve();
    if (key) entry.key = key;
    return Queue.keep(entry).then(function () {
      if (entry.kind === "act") {
        form.querySelector('input[name="description"]').value = "";
      } else {
        // Kept, so no longer unsaved typing (see typing()).
        var note = form.querySelector('textarea[name="note"]');
        note.defaultValue = note.value;
      }
      say(notice.lead + describe(entry, account) + (notice.then || SENT_BY_ITSELF), notice.link);
      if (navigator.serviceWorker) {
        navigator.serviceWorker.ready.then(function (registration) {
          return registration.sync && registration.sync.register(Queue.SYNC_TAG);
        }).catch(function () {});
      }
      return listWaiting(account);
    }, function (error) {
      say(error.name === "QueueFull" ? error.message + " Send them before adding more." : "This entry could not be kept on this device.");
    });
  }

  var SENT_BY_ITSELF = ". It is sent by itself once the connection works.";
  var KEPT_OFFLINE = { lead: "Kept on this device: " };
  var KEPT_AFTER_FAILURE = { lead: "KindJournal could not be reached, so this is kept on this device: " };

  function logInLink() {
    return { href: urls.login + "?next=" + encodeURIComponent(window.location.pathname), text: "Log in" };
  }
  // How long a form post may take before its entry is kept on the device instead. If the post
  // did arrive, the server finds the entry when it comes again (the act's key, the same mood).
  var POST_TIMEOUT_MS = 20000;

  // Kept with the key its form posted (the server finds it if that post did arrive).
  function keptAfterPost(form, account, notice) {
    var keyField = form.querySelector('input[name="submission_key"]');
    var key = keyField && keyField.value;
    // The next act from this form is another entry, with a key of its own.
    if (keyField) keyField.value = window.crypto.randomUUID();
    return keepForm(form, account, notice, key);
  }

  function keptAfterFailure(form, account) {
    return keptAfterPost(form, account, KEPT_AFTER_FAILURE).then(function () { retryLater(account); });
  }

  // The session ended while the page was open: the post was sent to log in and nothing was
  // saved. Kept, and sent by the first page loaded after logging in again.
  function keptUntilLogIn(form, account) {
    return keptAfterPost(form, account, {
      lead: "Your session has ended, so this is kept on this device: ",
      then: ". Log in again to send it.",
      link: logInLink(),
    });
  }

  // A 403 after the CSRF cookie changed since this page was loaded: the form's token is older
  // than the session (the person logged in again in another tab). The queue sends with the
  // token of the current cookie, so it goes at once. Any other 403 shows the server's page.
  var csrfAtLoad = null;
  Queue.csrfFromDocument().then(function (token) { csrfAtLoad = token; });
  function keptAfterStaleForm(form, account) {
    return keptAfterPost(form, account, {
      lead: "This page was opened before your last log-in, so this is kept on this device and sent now: ",
    }).then(function () { return sendWaiting(account); });
  }

  // fetch (redirect: "manual") cannot see where a post was redirected: a save goes to the day
  // page, a post whose session had ended to log in. The session endpoint tells the two apart
  // (204, or the same redirect to log in) without rendering a page, so the day page shown next
  // still has the save's own message. Unanswered (no connection, an error, no answer in time),
  // the entry is kept as after a failed post and sent again, which its key makes harmless (an
  // act already saved is found, not added twice; a mood already saved is saved the same).
  function sessionAfterRedirect() {
    return fetchInTime(urls.session, { credentials: "same-origin", redirect: "manual", cache: "no-store" }).then(
      function (response) {
        if (response.type === "opaqueredirect") return "ended";
        return response.ok ? "live" : "unknown";
      },
      function () { return "unknown"; }
    );
  }

  // fetch, given up (rejected) when no answer came within POST_TIMEOUT_MS.
  function fetchInTime(url, options) {
    var controller = new AbortController();
    var timer = window.setTimeout(function () { controller.abort(); }, POST_TIMEOUT_MS);
    return fetch(url, Object.assign({ signal: controller.signal }, options)).finally(function () {
      window.clearTimeout(timer);
    });
  }

  // Online, the form is posted as a plain form would be, but a post that fails (no answer, a
  // timeout, a server error) keeps the entry on the device instead of losing it.
  function postForm(form, account) {
    return fetchInTime(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      redirect: "manual",
    }).then(function (response) {
      if (response.type === "opaqueredirect") {
        return sessionAfterRedirect().then(function (session) {
          if (session === "ended") return keptUntilLogIn(form, account);
          if (session === "unknown") return keptAfterFailure(form, account);
          // Saved: the server's day page shows it, with the server's message.
          window.location.assign(window.location.pathname + window.location.search);
        });
      }
      if (response.status >= 500) return keptAfterFailure(form, account);
      if (response.status === 403) {
        return Queue.csrfFromDocument().then(function (token) {
          if (token && token !== csrfAtLoad) return keptAfterStaleForm(form, account);
          HTMLFormElement.prototype.submit.call(form);  // another refusal: the server's page
        });
      }
      // The server answered with a page (the form's errors): show it as a plain post does.
      HTMLFormElement.prototype.submit.call(form);
    }, function () {
      return keptAfterFailure(form, account);
    });
  }

  window.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.dataset || !form.dataset.kjQueue) return;
    event.preventDefault();
    // Before forms.js's guard, which would hold the form as "on its way".
    event.stopPropagation();
    if (form.dataset.kjKeeping) return;
    form.dataset.kjKeeping = "true";
    var online = !isShell && navigator.onLine;
    accountReady.then(function (account) {
      if (!account) {
        if (online) return HTMLFormElement.prototype.submit.call(form);
        return say("Log in once you're back online to log a day.");
      }
      if (!online) return keepForm(form, account, KEPT_OFFLINE);
      return Queue.waiting(account.id).then(function (left) {
        if (!left.length) return postForm(form, account);
        // Behind entries still waiting, this one waits its turn: they are sent in order.
        return keepForm(form, account, KEPT_OFFLINE).then(function () { return sendWaiting(account); });
      });
    }).finally(function () { delete form.dataset.kjKeeping; });
  }, true);

  // ---- what the server said ------------------------------------------------------------------

  // This tab's answers, kept across its own reload (sessionStorage is per tab).
  var STASH = "kindjournal-outcomes";

  function readStash(clear) {
    try {
      var found = JSON.parse(window.sessionStorage.getItem(STASH) || "[]");
      if (clear) window.sessionStorage.removeItem(STASH);
      return found;
    } catch (error) {
      return [];
    }
  }

  function showOutcomes(outcomes) {
    var box = document.querySelector("[data-kj-outcomes]");
    if (!box || !outcomes.length) return;
    outcomes.forEach(function (outcome) {
      var note = document.createElement("div");
      var saved = outcome.status === "saved" || outcome.status === "duplicate";
      note.className = "alert py-2 " + (saved ? "alert-success" : "alert-warning");
      note.dataset.kjOutcome = outcome.status;
      note.textContent = outcome.message;
      box.appendChild(note);
    });
    box.hidden = false;
  }

  // Answers this tab has taken from the device and not shown yet.
  var mine = [];
  function takeMine(account) {
    return Queue.takeOutcomes(account.id).then(function (outcomes) {
      mine = mine.concat(outcomes);
    });
  }

  var reloading = false;
  // Show the server's page, where what was sent is the day's own content, and this tab's
  // answers above it.
  function reloadWithOutcomes(account) {
    if (reloading) return Promise.resolve();
    reloading = true;
    return takeMine(account).then(function () {
      try {
        window.sessionStorage.setItem(STASH, JSON.stringify(readStash(false).concat(mine)));
      } catch (error) {
        showOutcomes(mine);
      }
      window.location.reload();
    });
  }

  function typing() {
    return Array.prototype.some.call(
      document.querySelectorAll("[data-kj-queue] textarea, [data-kj-queue] input[type=text]"),
      function (field) { return field.value !== field.defaultValue; }
    );
  }

  // The queue changed (here, in another tab, in the worker): refresh what the page shows.
  function queueChanged(account) {
    return Queue.waiting(account.id).then(function (left) {
      var keys = left.map(function (entry) { return entry.key; });
      var settled = shown.some(function (key) { return keys.indexOf(key) === -1; });
      if (settled && !typing()) return reloadWithOutcomes(account);
      // Not while the person is typing: the answers now, the day's page when they reload.
      return takeMine(account).then(function () {
        showOutcomes(mine);
        mine = [];
        if (settled) say("Reload the page to see what was sent in the day.");
        return listWaiting(account);
      });
    });
  }

  // ---- sending -------------------------------------------------------------------------------

  // After a failed send, tries again by itself: 15 s, then twice as long each time, up to 5 min.
  var RETRY_FIRST_MS = 15000;
  var RETRY_MAX_MS = 300000;
  var retryDelay = 0;
  var retryTimer = null;

  function retryLater(account) {
    if (retryTimer) return;
    retryDelay = Math.min(retryDelay ? retryDelay * 2 : RETRY_FIRST_MS, RETRY_MAX_MS);
    retryTimer = window.setTimeout(function () {
      retryTimer = null;
      sendWaiting(account);
    }, retryDelay);
  }

  var sending = null;
  function sendWaiting(account) {
    if (!navigator.onLine) return Promise.resolve();
    if (sending) return sending;
    sending = Queue.send({ account: account.id, url: urls.send, csrfToken: Queue.csrfFromDocument }).then(function (summary) {
      sending = null;
      if (summary.stopped === "offline" || summary.stopped === "error") {
        retryLater(account);
      } else {
        retryDelay = 0;
      }
      // The offline page gives way to the server's page (which also has a CSRF token to give),
      // unless that page would only ask to log in: the offline page asks and keeps the list.
      var leave = isShell && !typing() && summary.stopped !== "login";
      // The answers are this tab's to show: taken before the other tabs hear of them.
      return takeMine(account).then(function () {
        if (summary.results.length) Queue.announce(account.id);
        return leave ? reloadWithOutcomes(account) : queueChanged(account);
      }).then(function () {
        if (summary.stopped === "login") {
          say("Log in again to send the " + plural(shown.length) + " kept on this device.", logInLink());
        } else if (summary.stopped === "other_account") {
          say("The entries kept on this device belong to " + account.name + ": log in as " + account.name + " to send them.");
        } else if (summary.stopped && !reloading) {
          say("KindJournal could not be reached: " + plural(shown.length) + " kept on this device, sent by themselves once the connection works.");
        }
      });
    }, function () {
      sending = null;
      retryLater(account);
    });
    return sending;
  }

  function remindOthers(account) {
    return Queue.countOthers(account.id).then(function (count) {
      if (count) say(plural(count) + " kept on this device for another account will be sent when that account logs in here.");
    });
  }

  accountReady.then(function (account) {
    showBanner();
    if (isShell) fillShell(account);
    if (!account) return;
    if (!pageAccount && !isShell) {
      // Logged out (or the session expired): keep the entries for when this person is back.
      return Queue.waiting(account.id).then(function (left) {
        if (left.length) {
          say(plural(left.length) + " kept on this device for " + account.name + " will be sent once " + account.name + " logs in.", {
            href: urls.login + "?next=" + encodeURIComponent(urls.today), text: "Log in",
          });
        }
      });
    }
    // The offline page leaves the answers for the server's page that follows it.
    var answers = isShell ? Promise.resolve([]) : Queue.takeOutcomes(account.id).then(function (outcomes) {
      return readStash(true).concat(outcomes);
    });
    return answers.then(function (outcomes) {
      showOutcomes(outcomes);
      return listWaiting(account);
    }).then(function (entries) {
      if (!isShell) remindOthers(account);
      if (entries.length && !isShell) sendWaiting(account);
      // The offline page shown while "online" (the server could not be reached): try later.
      if (entries.length && isShell && navigator.onLine) retryLater(account);
    });
  });

  if (window.BroadcastChannel) {
    new BroadcastChannel(Queue.CHANNEL).onmessage = function (event) {
      accountReady.then(function (account) {
        if (account && event.data && event.data.account === account.id && (pageAccount || isShell)) {
          queueChanged(account);
        }
      });
    };
  }

  window.addEventListener("online", function () {
    showBanner();
    accountReady.then(function (account) {
      if (account && (pageAccount || isShell)) return sendWaiting(account);
      if (isShell) window.location.reload();
    });
  });
  window.addEventListener("offline", showBanner);

  // ---- log-out -------------------------------------------------------------------------------

  function clearDevice(account) {
    var work = [Queue.forget(account.id)];
    if (window.caches) {
      work.push(caches.keys().then(function (names) {
        return Promise.all(names.filter(function (name) { return name.indexOf("kindjournal-") === 0; })
          .map(function (name) { return caches.delete(name); }));
      }));
    }
    if (navigator.serviceWorker) {
      work.push(navigator.serviceWorker.getRegistrations().then(function (registrations) {
        return Promise.all(registrations.map(function (registration) { return registration.unregister(); }));
      }));
    }
    return Promise.all(work);
  }

  var LOG_OUT_NEEDS_CONNECTION = "Logging out needs a connection: you are still logged in, and " +
    "nothing was deleted from this device. Try again once you're back online.";

  // The server ends the session first; only then does the device forget the person, so a log-out
  // that could not reach the server never leaves a live session behind a cleared device.
  function logOut(form) {
    return fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      redirect: "manual",
    }).then(function (response) {
      if (response.type !== "opaqueredirect" && !response.ok) {
        // The server refused (an old CSRF token, say): its own page says why.
        HTMLFormElement.prototype.submit.call(form);
        return;
      }
      return clearDevice(pageAccount).catch(function () {}).then(function () {
        window.location.assign(urls.today);
      });
    }, function () { say(LOG_OUT_NEEDS_CONNECTION); });
  }

  // Logging out clears this device: entries still waiting and those refused but not yet
  // dismissed (still listed so the person can copy what they typed) would be lost unasked.
  function logOutQuestion(waitingCount, refusedCount) {
    var parts = [];
    if (waitingCount) parts.push(plural(waitingCount) + (waitingCount === 1 ? " has" : " have") + " not been sent yet");
    if (refusedCount) parts.push(plural(refusedCount) + (refusedCount === 1 ? " was" : " were") + " not saved and " + (refusedCount === 1 ? "is" : "are") + " still listed");
    if (!parts.length) return null;
    return parts.join(", and ") + ". Log out anyway? They will be deleted from this device.";
  }

  document.querySelectorAll("form[data-kj-logout]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!pageAccount) return;
      event.preventDefault();
      event.stopPropagation();
      if (!navigator.onLine) return say(LOG_OUT_NEEDS_CONNECTION);
      Promise.all([Queue.waiting(pageAccount.id), Queue.refused(pageAccount.id)]).then(function (found) {
        var question = logOutQuestion(found[0].length, found[1].length);
        if (question && !window.confirm(question)) return;
        return logOut(form);
      });
    });
  });
})();
