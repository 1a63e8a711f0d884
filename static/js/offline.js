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

  function listWaiting(account) {
    return Queue.waiting(account.id).then(function (entries) {
      document.querySelectorAll("[data-kj-waiting]").forEach(function (section) {
        var list = section.querySelector("[data-kj-waiting-list]");
        list.replaceChildren.apply(list, entries.map(function (entry) {
          var item = document.createElement("li");
          item.className = "py-1";
          item.dataset.kjEntry = entry.kind;
          var text = document.createElement("span");
          text.className = "kj-pre";
          text.textContent = describe(entry, account);
          var badge = document.createElement("span");
          badge.className = "badge text-bg-warning ms-2";
          badge.textContent = "waiting to be sent";
          item.append(text, badge);
          return item;
        }));
        section.hidden = entries.length === 0;
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

  function keepForm(form, account) {
    var entry = readForm(form, account);
    if (!entry) return Promise.resolve();
    return Queue.keep(entry).then(function () {
      if (entry.kind === "act") {
        form.querySelector('input[name="description"]').value = "";
      } else {
        // Kept, so no longer unsaved typing (see typing()).
        var note = form.querySelector('textarea[name="note"]');
        note.defaultValue = note.value;
      }
      say("Kept on this device: " + describe(entry, account) + ". It is sent once you're back online.");
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

  window.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.dataset || !form.dataset.kjQueue) return;
    // Online, the form goes to the server as it always has.
    if (!isShell && navigator.onLine) return;
    event.preventDefault();
    // Before forms.js's guard, which would hold the form as "on its way".
    event.stopPropagation();
    if (form.dataset.kjKeeping) return;
    form.dataset.kjKeeping = "true";
    accountReady.then(function (account) {
      if (account) return keepForm(form, account);
      say("Log in once you're back online to log a day.");
    }).finally(function () { delete form.dataset.kjKeeping; });
  }, true);

  // ---- sending -------------------------------------------------------------------------------

  function typing() {
    return Array.prototype.some.call(
      document.querySelectorAll("[data-kj-queue] textarea, [data-kj-queue] input[type=text]"),
      function (field) { return field.value !== field.defaultValue; }
    );
  }

  var sending = null;
  function sendWaiting(account) {
    if (!navigator.onLine || sending) return sending;
    var before = 0;
    sending = Queue.waiting(account.id).then(function (entries) {
      before = entries.length;
      return Queue.send({ account: account.id, url: urls.send, csrfToken: Queue.csrfFromDocument });
    }).then(function (summary) {
        sending = null;
        // Sent by this page, or meanwhile by another tab or the worker's Background Sync.
        return Queue.waiting(account.id).then(function (left) {
          summary.sentElsewhere = left.length < before - summary.results.length;
          return summary;
        });
      }).then(function (summary) {
        var settled = summary.results.length > 0 || summary.sentElsewhere;
        if (summary.stopped === "login") {
          return listWaiting(account).then(function (left) {
            say("Log in again to send the " + plural(left.length) + " kept on this device.", {
              href: urls.login + "?next=" + encodeURIComponent(window.location.pathname),
              text: "Log in",
            });
          });
        }
        if (summary.stopped === "other_account") {
          say("The entries kept on this device belong to " + account.name + ": log in as " + account.name + " to send them.");
          return listWaiting(account);
        }
        if ((settled || isShell) && !typing()) {
          // The server's own page shows what was saved, and its messages say so. (The offline
          // page also has no CSRF token to give: the server's page sets one for the next try.)
          window.location.reload();
          return;
        }
        if (settled) say("Entries kept on this device were sent. Reload the page to see them.");
        return listWaiting(account);
      }, function () { sending = null; });
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
    return listWaiting(account).then(function (entries) {
      if (!isShell) remindOthers(account);
      if (entries.length && !isShell) sendWaiting(account);
    });
  });

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

  document.querySelectorAll("form[data-kj-logout]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!pageAccount) return;
      event.preventDefault();
      event.stopPropagation();
      Queue.waiting(pageAccount.id).then(function (left) {
        if (left.length) {
          var verb = left.length === 1 ? " has" : " have";
          if (!window.confirm(plural(left.length) + verb + " not been sent yet. Log out anyway? They will be deleted from this device.")) return;
        }
        return clearDevice(pageAccount).catch(function () {}).then(function () { form.submit(); });
      });
    });
  });
})();
