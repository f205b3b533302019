/* Coach's service worker: keeps Today and the session being logged usable offline.

   Pages are fetched from the network first and fall back to the kept copy; static files come
   from the cache and are refreshed behind it; a page not kept opens the offline page. Only what Today and the session page ask to keep
   (sw-register.js: the pages and their static files) is stored, and the cache is dropped when
   the server sends a signed-out visitor to the login page. Served from /sw.js
   (a view) so its scope covers the whole site; the __…_URL__ names are filled in by that view. */
"use strict";

const CACHE = "coach-offline-v1";
const STATIC_URL = "__STATIC_URL__";
const LOGIN_PATH = "__LOGIN_URL__";
const LOGOUT_PATH = "__LOGOUT_URL__";
// Shown for a page that was not kept, while offline.
const OFFLINE_PATH = "__OFFLINE_URL__";

self.addEventListener("install", (event) => {
  event.waitUntil(keep([OFFLINE_PATH]).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

async function keep(urls) {
  const cache = await caches.open(CACHE);
  await Promise.all(
    urls.map(async (url) => {
      try {
        // Marked so the server leaves any message waiting for the page the athlete opens next
        // (base.html): a copy kept in the background must not take "Session complete" away.
        const response = await fetch(url, { credentials: "same-origin", headers: { "Coach-Keep": "1" } });
        if (response.ok && !response.redirected) {
          await cache.put(url, response);
        }
      } catch (error) {
        // Offline: the copy kept before stays.
      }
    }),
  );
}

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "keep" && Array.isArray(event.data.urls)) {
    const sameOrigin = event.data.urls.filter((url) => new URL(url, self.location).origin === self.location.origin);
    event.waitUntil(keep([...sameOrigin, OFFLINE_PATH]));
  }
});

async function pageFromNetworkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.redirected && new URL(response.url).pathname.startsWith(LOGIN_PATH)) {
      await caches.delete(CACHE); // signed out: nothing of theirs stays on the device
    } else if (response.ok && (await cache.match(request, { ignoreSearch: true, ignoreVary: true }))) {
      await cache.put(request, response.clone());
    }
    return response;
  } catch (error) {
    const kept =
      (await cache.match(request, { ignoreSearch: true, ignoreVary: true })) ||
      (await cache.match(OFFLINE_PATH));
    return (
      kept ||
      new Response(
        "<!doctype html><title>Offline</title><p>You're offline and this page isn't saved on this phone. Open Today once you're back online.</p>",
        { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } },
      )
    );
  }
}

async function staticFromCacheThenUpdate(request) {
  // The kept copy answers at once (and offline); a fresh one replaces it for next time.
  const cache = await caches.open(CACHE);
  const kept = await cache.match(request);
  const fresh = fetch(request)
    .then(async (response) => {
      if (response.ok) {
        await cache.put(request, response.clone());
      }
      return response;
    })
    .catch(() => null);
  return kept || (await fresh) || Response.error();
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (request.method === "POST" && url.pathname === LOGOUT_PATH) {
    event.waitUntil(caches.delete(CACHE)); // signing out leaves nothing of theirs on the device
    return;
  }
  if (request.method !== "GET") {
    return;
  }
  if (url.pathname.startsWith(STATIC_URL)) {
    event.respondWith(staticFromCacheThenUpdate(request));
  } else if (request.mode === "navigate") {
    event.respondWith(pageFromNetworkFirst(request));
  }
});
