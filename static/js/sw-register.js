/* On Today and the session page: registers the service worker (sw.js, served from /sw.js) and
   asks it to keep Today, this session and the page's static files, so they open offline.
   Exposes window.CoachKeptPages.refresh() for the logging script. */
(function () {
  "use strict";

  const root = document.querySelector("[data-session-id]");
  if (!root) {
    return;
  }
  const supported = "serviceWorker" in navigator;

  function askToKeep(registration, withAssets) {
    const urls = [root.dataset.sessionUrl, root.dataset.todayUrl, window.location.pathname];
    if (withAssets) {
      const assets = Array.from(document.querySelectorAll("link[rel=stylesheet], script[src]"));
      assets.forEach((asset) => urls.push(asset.href || asset.src));
    }
    if (registration.active) {
      registration.active.postMessage({ type: "keep", urls: Array.from(new Set(urls)) });
    }
  }

  function keepWhenReady(withAssets) {
    navigator.serviceWorker.ready
      .then((registration) => askToKeep(registration, withAssets))
      .catch(() => {});
  }

  let refreshTimer = null;
  window.CoachKeptPages = {
    refresh() {
      // The kept pages are refreshed after sets reach the server, so a reload offline shows
      // them. Only the pages: the static files were kept when the page opened, and on a poor
      // connection each set should cost as few requests as possible.
      window.clearTimeout(refreshTimer);
      refreshTimer = window.setTimeout(() => {
        if (supported) {
          keepWhenReady(false);
        }
      }, 500);
    },
  };

  if (supported) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
    keepWhenReady(true);
  }
})();
