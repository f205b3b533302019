/* Posting a comment through the phone's queue (offline-queue.js): the comment gets its id
   here, waits on the device while offline, and is posted again until the server has it — the
   server stores an id once, so a retry never posts twice. Without this script the form posts
   as a plain form with the id the page made. */
(function () {
  "use strict";

  const form = document.querySelector("[data-comment-form]");
  const queue = window.CoachOfflineQueue;
  // randomUUID is there wherever a service worker and this queue are (a secure context).
  if (!form || !queue || !(window.crypto && window.crypto.randomUUID)) {
    return;
  }
  const status = form.querySelector("[data-comment-status]");
  const body = form.querySelector("textarea[name=body]");
  const idField = form.querySelector("input[name=comment_id]");

  function newId() {
    return window.crypto.randomUUID();
  }

  function mine(item) {
    return item.kind === "comment" && item.url === form.action;
  }

  function showWaiting(items) {
    const waiting = items.filter(mine).length;
    if (!waiting) {
      return;
    }
    const comments = waiting === 1 ? "1 comment" : `${waiting} comments`;
    status.textContent = navigator.onLine
      ? `Sending ${comments}…`
      : `Offline: ${comments} saved on this phone, sent when you're back online.`;
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = body.value.trim();
    if (!text) {
      status.textContent = "Write something first.";
      return;
    }
    const id = idField.value || newId();
    queue.enqueue({
      id,
      kind: "comment",
      version: 1,
      url: form.action,
      csrfUrl: form.dataset.csrfUrl,
      fields: { comment_id: id, body: text },
    });
    body.value = "";
    idField.value = newId();
  });

  // Once the server has every comment this page sent, the page shows them as the server
  // keeps them. ("sent" comes before the queue lets go of the item: wait for the state.)
  let sentHere = false;
  queue.on("sent", (item) => {
    sentHere = sentHere || mine(item);
  });
  queue.on("state", (outcome, items) => {
    if (sentHere && !items.some(mine)) {
      window.location.reload();
      return;
    }
    showWaiting(items);
  });
  queue.on("rejected", (item, answer) => {
    if (!mine(item)) {
      return;
    }
    body.value = item.fields.body;
    const errors = (answer && answer.errors && answer.errors.body) || [];
    status.textContent = errors.length ? errors[0].message : "This comment was not posted.";
  });
  showWaiting(queue.items());
})();
