// "Remind me on this device" on /reminders/: asks for permission, subscribes this browser to
// Web Push through the app's service worker (static/js/sw.js, registered by offline.js), and
// posts the subscription with the page's form. Every way it can fail says so in a sentence.
(function () {
  var config = document.getElementById("kj-push");
  var button = document.querySelector("[data-kj-push-subscribe]");
  if (!config || !button) return;
  var key = JSON.parse(config.textContent).key;
  var form = document.getElementById("push-subscribe-form");
  var status = document.getElementById("push-status");

  var UNSUPPORTED = "This browser cannot show notifications from KindJournal. On an iPhone or iPad, " +
    "add KindJournal to your home screen first (Share, then Add to Home Screen) and open it from there.";
  var DENIED = "Notifications are blocked for KindJournal in this browser. Allow them in the " +
    "browser's site settings, then press the button again.";
  var FAILED = "This browser could not subscribe to notifications just now. Please try again later.";

  function say(text) { status.textContent = text; }

  function keyBytes(base64url) {
    var base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
    var text = atob(base64 + "===".slice((base64.length + 3) % 4));
    var bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    return bytes;
  }

  function permission() {
    if (Notification.permission === "granted") return Promise.resolve("granted");
    return Promise.resolve(Notification.requestPermission());
  }

  button.addEventListener("click", function () {
    if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
      say(UNSUPPORTED);
      return;
    }
    button.disabled = true;
    say("Asking this browser…");
    permission().then(function (answer) {
      if (answer !== "granted") throw new Error("denied");
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      return registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key) });
    }).then(function (subscription) {
      var data = subscription.toJSON();
      form.elements.endpoint.value = data.endpoint;
      form.elements.p256dh.value = data.keys.p256dh;
      form.elements.auth.value = data.keys.auth;
      form.submit();
    }).catch(function (error) {
      button.disabled = false;
      say(error && error.message === "denied" ? DENIED : FAILED);
    });
  });
})();
