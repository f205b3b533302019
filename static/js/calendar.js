// Drag a session onto another day to move it. The server decides who may move what (an
// athlete only within the week) and answers with an error to show; the Move button next to
// each session does the same without dragging.
(function () {
  "use strict";
  const status = document.getElementById("calendar-status");
  const headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
  let dragged = null;

  function showError(text) {
    if (!status) return;
    status.textContent = text;
    status.className = "alert alert-danger";
  }

  document.querySelectorAll("[data-move-url]").forEach(function (session) {
    session.addEventListener("dragstart", function (event) {
      dragged = session;
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", session.id);
      session.classList.add("cal-session--dragging");
    });
    session.addEventListener("dragend", function () {
      session.classList.remove("cal-session--dragging");
    });
  });

  document.querySelectorAll("[data-drop-date]").forEach(function (day) {
    day.addEventListener("dragover", function (event) {
      if (!dragged) return;
      event.preventDefault();
      day.classList.add("cal-day--over");
    });
    day.addEventListener("dragleave", function () {
      day.classList.remove("cal-day--over");
    });
    day.addEventListener("drop", function (event) {
      event.preventDefault();
      day.classList.remove("cal-day--over");
      const session = dragged;
      dragged = null;
      if (!session || session.closest("[data-drop-date]") === day) return;
      const body = new FormData();
      body.append("date", day.dataset.dropDate);
      body.append("time_of_day", session.dataset.time || "");
      fetch(session.dataset.moveUrl, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": headers["X-CSRFToken"], Accept: "application/json" },
      })
        .then(function (response) {
          if (response.ok) {
            window.location.reload();
            return null;
          }
          return response.json().then(function (data) {
            showError(data.error || "That move didn't work. Try the Move button.");
          });
        })
        .catch(function () {
          showError("No connection: the session stayed where it was.");
        });
    });
  });
})();
