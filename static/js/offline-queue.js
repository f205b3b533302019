/* Posts waiting to reach the server — sets, a session finished offline, comments — kept on
   the device (localStorage) until the server has them, sent one at a time in order. Each item
   is { id, kind, version, url, csrfUrl, fields } and carries the id made on the device, so
   sending one twice is harmless: the server answers the same set or comment; finishing twice
   finishes once. A page's script tells its own items by `kind` (and `url`). Exposes
   window.CoachOfflineQueue. */
(function () {
  "use strict";

  const KEY = "coach.pendingSets.v1";
  const RETRY_MS = 5000;
  // How long a set waits for its answer: doubled after each wait in vain (a connection that
  // slow still gets through), back to the first once an answer comes.
  const ANSWER_MS = 10000;
  const LONGEST_ANSWER_MS = 80000;
  const listeners = { sent: [], rejected: [], state: [] };
  let freshToken = "";
  let flushing = null;
  let answerMs = ANSWER_MS;

  function read() {
    try {
      return JSON.parse(window.localStorage.getItem(KEY)) || [];
    } catch (error) {
      return [];
    }
  }

  function write(items) {
    window.localStorage.setItem(KEY, JSON.stringify(items));
  }

  function emit(name, ...args) {
    listeners[name].forEach((listener) => listener(...args));
  }

  function cookie(name) {
    const match = document.cookie.split("; ").find((part) => part.startsWith(name + "="));
    return match ? decodeURIComponent(match.slice(name.length + 1)) : "";
  }

  function csrfToken() {
    // The cookie follows rotations (a new sign-in); the refreshed token covers a lost cookie.
    return cookie("csrftoken") || freshToken;
  }

  /* False when the server sends a signed-out phone to the login page instead. */
  async function refreshCsrfToken(url, signal) {
    const response = await fetch(url, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      signal,
    });
    if (response.redirected) {
      return false;
    }
    if (response.ok) {
      freshToken = (await response.json()).token;
    }
    return true;
  }

  /* [outcome, the server's answer]: "sent", "rejected" (the server refused the values: never
     retried), "signed-out" or "later" (kept and retried). Throws when nothing (or not the
     whole answer) came back. */
  async function attempt(item, signal, tokenRefreshed) {
    const response = await fetch(item.url, {
      method: "POST",
      body: new URLSearchParams(item.fields),
      credentials: "same-origin",
      redirect: "manual",
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken() },
      signal,
    });
    if (response.type === "opaqueredirect") {
      return ["signed-out"];
    }
    if (response.status === 403 && !tokenRefreshed) {
      const signedIn = await refreshCsrfToken(item.csrfUrl, signal);
      return signedIn ? attempt(item, signal, true) : ["signed-out"];
    }
    if (response.ok) {
      return ["sent", await response.json()];
    }
    if (response.status >= 500 || response.status === 429) {
      return ["later"];
    }
    return ["rejected", await response.json().catch(() => ({}))];
  }

  /* One attempt, given up without an answer in time: on a phone the server's answer can be
     lost on the way while the request stays open for minutes, and everything queued behind it
     would wait for good. The set is sent again; the server answers with the set it has. */
  async function send(item) {
    const controller = new AbortController();
    const deadline = window.setTimeout(() => controller.abort(), answerMs);
    let outcome;
    let answer;
    try {
      [outcome, answer] = await attempt(item, controller.signal, false);
      answerMs = ANSWER_MS;
    } catch (error) {
      if (controller.signal.aborted) {
        answerMs = Math.min(answerMs * 2, LONGEST_ANSWER_MS);
      }
      return "offline";
    } finally {
      window.clearTimeout(deadline);
    }
    if (outcome === "sent" || outcome === "rejected") {
      emit(outcome, item, answer);
    }
    return outcome;
  }

  function forget(item) {
    // An edit queued while this copy was in flight has a newer version: keep that one.
    write(read().filter((queued) => !(queued.id === item.id && queued.version === item.version)));
  }

  async function drain() {
    for (;;) {
      const item = read()[0];
      if (!item) {
        emit("state", "idle", []);
        return;
      }
      const outcome = await send(item);
      if (outcome !== "sent" && outcome !== "rejected") {
        emit("state", outcome, read());
        return;
      }
      forget(item);
      // After each answer, so the page never shows as waiting a set the server has.
      emit("state", outcome, read());
    }
  }

  function flush() {
    if (!flushing) {
      flushing = drain().finally(() => {
        flushing = null;
      });
    }
    return flushing;
  }

  function enqueue(item) {
    const items = read().filter((queued) => queued.id !== item.id);
    items.push(item);
    // A session finished on the phone is sent after its sets, even one logged after finishing.
    items.sort((a, b) => (a.kind === "finish") - (b.kind === "finish"));
    write(items);
    emit("state", "queued", read());
    return flush();
  }

  function on(name, listener) {
    listeners[name].push(listener);
  }

  window.addEventListener("online", flush);
  window.setInterval(() => {
    if (read().length) {
      flush();
    }
  }, RETRY_MS);

  window.CoachOfflineQueue = { enqueue, flush, on, items: read };
})();
