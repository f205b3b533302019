/* Set-by-set logging on the session page and Today: one tap logs the next set as prefilled, sets
   wait on the device while offline (offline-queue.js), and completing goes through the same
   queue. After a set it starts the rest timer (rest-timer.js); once sets reach the server it has
   the service worker keep the pages again (sw-register.js). */
(function () {
  "use strict";

  const root = document.querySelector("[data-session-id]");
  if (!root || !root.hasAttribute("data-can-log")) {
    return;
  }
  const DOUBLE_TAP_MS = 800;

  const queue = window.CoachOfflineQueue;
  const restTimer = window.CoachRestTimer;
  const keptPages = window.CoachKeptPages;
  const sessionId = root.dataset.sessionId;
  const syncStatus = root.querySelector("[data-sync-status]");
  const cards = Array.from(root.querySelectorAll(".exercise-card"));

  /* ---- ids and positions ---- */

  function newId() {
    if (window.crypto && window.crypto.randomUUID) {
      return window.crypto.randomUUID();
    }
    const bytes = window.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  function sides(card) {
    return card.dataset.sides.split(",");
  }

  function rows(card) {
    return Array.from(card.querySelectorAll(".set-row"));
  }

  function nextPosition(card) {
    // The server renders the order sets are done in ("1|left 1|right 2|left …", through one
    // past the most a session holds): the next set is the first that no row on the card holds,
    // sent or still waiting on the phone. Every one is taken only while sets past the most
    // wait to be sent, which the server will refuse: then the last is offered again.
    const taken = new Set(rows(card).map((row) => `${row.dataset.setNumber}|${row.dataset.side}`));
    const order = card.dataset.setOrder.split(" ");
    const place = order.find((candidate) => !taken.has(candidate)) || order[order.length - 1];
    const [number, side] = place.split("|");
    return { number: Number(number), side };
  }

  function capitalised(text) {
    return text ? text[0].toUpperCase() + text.slice(1) : "";
  }

  /* ---- the form of one card ---- */

  function formOf(card) {
    return card.querySelector("[data-set-form]");
  }

  function field(form, name) {
    return form.querySelector(`[name="${name}"]:not([type=radio])`);
  }

  function setSide(form, side) {
    const radio = form.querySelector(`input[type=radio][name=side][value="${side}"]`);
    if (radio) {
      radio.checked = true;
    } else if (field(form, "side")) {
      field(form, "side").value = side;
    }
  }

  function lockSide(form, locked) {
    // A logged set keeps its place: an edit corrects its numbers, not which side it was.
    form.querySelectorAll("input[type=radio][name=side]").forEach((radio) => {
      radio.disabled = locked;
    });
  }

  function chosenSide(form) {
    const radio = form.querySelector("input[type=radio][name=side]:checked");
    return radio ? radio.value : (field(form, "side") || { value: "" }).value;
  }

  function armForNextSet(card) {
    const form = formOf(card);
    const position = nextPosition(card);
    const prescribed = Number(card.dataset.sets);
    field(form, "id").value = newId();
    field(form, "set_number").value = position.number;
    setSide(form, position.side);
    delete form.dataset.editing;
    lockSide(form, false);
    const counter = form.querySelector("[data-set-counter]");
    const button = form.querySelector("[data-log-button]");
    if (position.number > prescribed) {
      counter.textContent = prescribed === 1 ? "Set done" : `All ${prescribed} sets done`;
      button.textContent = "Log extra set";
    } else {
      counter.textContent =
        `Set ${position.number} of ${prescribed}` +
        (position.side ? ` · ${capitalised(position.side)}` : "");
      button.textContent = "Log set";
    }
  }

  const NUMBERS = ["reps", "load", "hold_seconds", "rpe"];

  function numbersOf(form) {
    return Object.fromEntries(
      NUMBERS.filter((name) => field(form, name)).map((name) => [name, field(form, name).value]),
    );
  }

  function fillNumbers(form, values) {
    NUMBERS.forEach((name) => {
      if (field(form, name)) {
        field(form, name).value = values[name] || "";
      }
    });
  }

  function armForEdit(card, row) {
    const form = formOf(card);
    if (form.dataset.editing !== "true") {
      // Kept so that, once the edit is saved, the next set starts from its own numbers again.
      form.dataset.nextSetNumbers = JSON.stringify(numbersOf(form));
    }
    field(form, "id").value = row.dataset.setId;
    field(form, "set_number").value = row.dataset.setNumber;
    setSide(form, row.dataset.side);
    lockSide(form, true);
    const { reps, load, hold, rpe } = row.dataset;
    fillNumbers(form, { reps, load, hold_seconds: hold, rpe });
    form.dataset.editing = "true";
    const side = row.dataset.side ? ` · ${capitalised(row.dataset.side)}` : "";
    form.querySelector("[data-set-counter]").textContent =
      `Editing set ${row.dataset.setNumber}${side}`;
    form.querySelector("[data-log-button]").textContent = "Save set";
    (field(form, "reps") || field(form, "hold_seconds")).focus();
  }

  function clearErrors(form) {
    form.querySelectorAll(".is-invalid").forEach((input) => input.classList.remove("is-invalid"));
    form.querySelectorAll("[data-client-error], .invalid-feedback").forEach((note) => note.remove());
    form.querySelectorAll(".alert-danger").forEach((note) => note.remove());
  }

  function showError(form, name, message) {
    const input = name ? field(form, name) : null;
    const note = document.createElement("div");
    note.dataset.clientError = "";
    if (input && input.type !== "hidden") {
      input.classList.add("is-invalid");
      note.className = "invalid-feedback d-block";
      note.id = `${input.id}-error`;
      input.setAttribute("aria-describedby", note.id);
      note.textContent = message;
      input.insertAdjacentElement("afterend", note);
    } else {
      note.className = "alert alert-danger py-2";
      note.setAttribute("role", "alert");
      note.textContent = message;
      form.querySelector("[data-set-counter]").insertAdjacentElement("afterend", note);
    }
  }

  function checkInput(form) {
    // The browser checks the min/max the server also enforces; the messages sit by the field.
    let valid = true;
    ["reps", "load", "hold_seconds", "rpe"].forEach((name) => {
      const input = field(form, name);
      if (input && !input.checkValidity()) {
        const words = input.validity.rangeUnderflow
          ? input.dataset.tooLow
          : input.validity.rangeOverflow
            ? input.dataset.tooHigh
            : "";
        showError(form, name, words || input.validationMessage);
        valid = false;
      }
    });
    const reps = field(form, "reps");
    const hold = field(form, "hold_seconds");
    if (valid && !(reps && reps.value) && !(hold && hold.value)) {
      showError(form, reps ? "reps" : "hold_seconds", "Enter the reps (or the hold time).");
      valid = false;
    }
    return valid;
  }

  /* ---- set rows ---- */

  function pendingRowText(item, unit) {
    const f = item.fields;
    const work = f.hold_seconds ? `${f.hold_seconds} s` : `${f.reps} reps`;
    const load = f.load ? (f.hold_seconds ? ` @ ${f.load} ${unit}` : "") : "";
    const main = f.load && !f.hold_seconds ? `${f.reps} × ${f.load} ${unit}` : work + load;
    return main + (f.rpe ? ` · RPE ${f.rpe}` : "");
  }

  function pendingRow(item) {
    const f = item.fields;
    const row = document.createElement("li");
    row.className = "set-row set-row--pending";
    Object.assign(row.dataset, {
      setId: item.id,
      setNumber: f.set_number,
      side: f.side || "",
      reps: f.reps || "",
      load: f.load || "",
      hold: f.hold_seconds || "",
      rpe: f.rpe || "",
    });
    const label = document.createElement("span");
    const title = document.createElement("span");
    title.className = "fw-semibold";
    title.textContent = `Set ${f.set_number}` + (f.side ? ` · ${capitalised(f.side)}` : "");
    label.append(title, ` ${pendingRowText(item, root.dataset.unit)} `);
    const note = document.createElement("span");
    note.className = "pending-note";
    note.textContent = "waiting to send";
    label.append(note);
    // A set waiting on the phone can be corrected too: the correction replaces it in the queue.
    const edit = document.createElement("button");
    edit.type = "button";
    edit.className = "btn btn-outline-secondary btn-sm";
    edit.dataset.editSet = "";
    const which = document.createElement("span");
    which.className = "visually-hidden";
    which.textContent = ` set ${f.set_number}` + (f.side ? ` ${f.side}` : "");
    edit.append("Edit", which);
    row.append(label, edit);
    return row;
  }

  function placeRow(card, row) {
    const list = card.querySelector("[data-set-list]");
    const existing = rows(card).find(
      (other) =>
        other.dataset.setId === row.dataset.setId ||
        (other.dataset.setNumber === row.dataset.setNumber && other.dataset.side === row.dataset.side),
    );
    if (existing) {
      existing.replaceWith(row);
      return;
    }
    const key = (r) => Number(r.dataset.setNumber) * 10 + sides(card).indexOf(r.dataset.side);
    const after = rows(card).find((other) => key(other) > key(row));
    list.insertBefore(row, after || null);
  }

  function cardFor(prescriptionId) {
    return cards.find((card) => card.dataset.prescription === String(prescriptionId));
  }

  function rowFromHtml(html) {
    const template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  }

  /* ---- status line ---- */

  // Since the athlete last logged: a set the server refused, so "All sets saved." would lie.
  let setRefused = false;

  function showQueueState(outcome, items) {
    const mine = items.filter((item) => item.sessionId === sessionId && item.kind !== "finish").length;
    const sets = mine === 1 ? "1 set" : `${mine} sets`;
    if (!mine && setRefused) {
      syncStatus.textContent = "A set was not saved: its exercise says why.";
    } else if (!mine) {
      // Said once something was sending: a page opened with nothing waiting stays quiet.
      syncStatus.textContent = syncStatus.textContent ? "All sets saved." : "";
    } else if (outcome === "signed-out") {
      syncStatus.textContent = `Sign in again to send ${sets} waiting on this phone.`;
    } else if (outcome === "offline" || !navigator.onLine) {
      syncStatus.textContent = `Offline: ${sets} saved on this phone, sent when you're back online.`;
    } else {
      syncStatus.textContent = `Sending ${sets}…`;
    }
  }

  /* ---- where am I: the progress line, and the card being done open ---- */

  const progressWords = root.querySelector("[data-progress-words]");
  const progressBar = root.querySelector("[data-progress-bar]");

  function tally(card) {
    // The prescribed places (each side of a set), as the server counts them: extra sets past
    // the prescription are not part of it.
    const sets = Number(card.dataset.sets);
    const places = card.dataset.setOrder.split(" ").filter((place) => Number(place.split("|")[0]) <= sets);
    const taken = new Set(rows(card).map((row) => `${row.dataset.setNumber}|${row.dataset.side}`));
    return { done: places.filter((place) => taken.has(place)).length, total: places.length };
  }

  const isDone = (card) => card.classList.contains("exercise-card--done");
  const setsOf = (card) => card.querySelector("[data-card-sets]");

  function showProgress() {
    let setsDone = 0;
    let setsTotal = 0;
    cards.forEach((card) => {
      const { done, total } = tally(card);
      setsDone += done;
      setsTotal += total;
      card.classList.toggle("exercise-card--done", done === total);
      card.querySelector("[data-card-tally]").textContent = done === total ? "Done" : `${done} of ${total}`;
    });
    const exercisesDone = cards.filter(isDone).length;
    progressWords.textContent =
      `${setsDone} of ${setsTotal} sets · ${exercisesDone} of ${cards.length} exercises`;
    progressBar.max = setsTotal;
    progressBar.value = setsDone;
  }

  function openNextCard() {
    // Finished exercises fold to one row, so the next set sits near the top.
    cards.filter(isDone).forEach((card) => {
      setsOf(card).open = false;
    });
    const next = cards.find((card) => !isDone(card));
    if (next) {
      setsOf(next).open = true;
    }
  }

  /* ---- logging ---- */

  function logSet(card, event) {
    event.preventDefault();
    const form = formOf(card);
    const button = form.querySelector("[data-log-button]");
    if (button.disabled) {
      return;
    }
    clearErrors(form);
    if (!checkInput(form)) {
      return;
    }
    setRefused = false;
    // A double tap lands on a disabled button: one tap, one set.
    button.disabled = true;
    window.setTimeout(() => {
      button.disabled = false;
    }, DOUBLE_TAP_MS);

    const fields = Object.fromEntries(new FormData(form));
    delete fields.csrfmiddlewaretoken; // the header carries a fresh token when it is sent
    fields.side = chosenSide(form);
    const item = {
      id: fields.id,
      version: Date.now(),
      sessionId,
      prescription: card.dataset.prescription,
      url: form.action,
      csrfUrl: root.dataset.csrfUrl,
      fields,
    };
    const wasEdit = form.dataset.editing === "true";
    placeRow(card, pendingRow(item));
    armForNextSet(card);
    if (wasEdit && form.dataset.nextSetNumbers) {
      fillNumbers(form, JSON.parse(form.dataset.nextSetNumbers));
      delete form.dataset.nextSetNumbers;
    } else if (!wasEdit) {
      restTimer.start(Number(card.dataset.rest));
    }
    const wasDone = isDone(card);
    showProgress();
    if (!wasDone && isDone(card)) {
      openNextCard();
    }
    queue.enqueue(item);
  }

  queue.on("sent", (item, answer) => {
    const card = cardFor(item.prescription);
    if (!card) {
      return;
    }
    const row = rowFromHtml(answer.row_html);
    rows(card)
      .filter((other) => other.dataset.setId === item.id && item.id !== answer.id)
      .forEach((other) => other.remove());
    placeRow(card, row);
    if (formOf(card).dataset.editing !== "true") {
      armForNextSet(card);
    }
    keptPages.refresh();
  });

  queue.on("rejected", (item, answer) => {
    const card = cardFor(item.prescription);
    if (!card) {
      return;
    }
    setRefused = true;
    rows(card)
      .filter((row) => row.dataset.setId === item.id && row.classList.contains("set-row--pending"))
      .forEach((row) => row.remove());
    showProgress();
    setsOf(card).open = true;
    const form = formOf(card);
    clearErrors(form);
    Object.entries(item.fields).forEach(([name, value]) => {
      if (field(form, name)) {
        field(form, name).value = value;
      }
    });
    setSide(form, item.fields.side || "");
    form.dataset.editing = "true";
    form.querySelector("[data-log-button]").textContent = "Save set";
    const errors = (answer && answer.errors) || { __all__: [{ message: "This set was not saved." }] };
    Object.entries(errors).forEach(([name, messages]) => {
      messages.forEach((message) => showError(form, name === "__all__" ? null : name, message.message));
    });
  });

  queue.on("state", showQueueState);

  cards.forEach((card) => {
    const form = formOf(card);
    if (!form) {
      return;
    }
    form.addEventListener("submit", (event) => logSet(card, event));
    card.querySelector("[data-set-list]").addEventListener("click", (event) => {
      const button = event.target.closest("[data-edit-set]");
      if (button) {
        armForEdit(card, button.closest(".set-row"));
      }
    });
  });

  // Sets still on this phone from before a reload (or a restart offline) show as waiting, and
  // the next set starts from the newest of them: the page itself may be a copy kept before
  // they were logged, prefilled with older numbers.
  const waitingHere = queue.items().filter((item) => item.sessionId === sessionId && item.kind !== "finish");
  waitingHere.forEach((item) => {
      const card = cardFor(item.prescription);
      if (card) {
        placeRow(card, pendingRow(item));
        armForNextSet(card);
        fillNumbers(formOf(card), item.fields);
      }
    });
  if (waitingHere.length) {
    showProgress();
    openNextCard();
  }
  showQueueState(navigator.onLine ? "queued" : "offline", queue.items());
  queue.flush();

  /* ---- completing or skipping: after every set, and kept on the phone while offline ---- */

  const finishId = `finish-${sessionId}`;
  // Both go through the one place in the queue a session's finish has: skipping after
  // completing offline (or the other way round) sends the last choice only.
  const finishes = [
    { kind: "complete", form: root.querySelector("[data-complete-form]"), done: "Completed" },
    { kind: "skip", form: root.querySelector("[data-skip-form]"), done: "Skipped" },
  ].filter((finish) => finish.form);
  const finishWaiting = () => queue.items().find((item) => item.id === finishId);
  const noteOf = (finish) => finish.form.querySelector("[data-finish-wait]");
  const buttonOf = (finish) => finish.form.querySelector("button[type=submit]");

  function showFinishWaiting(item, outcome) {
    finishes.forEach((finish) => {
      buttonOf(finish).disabled = true;
      noteOf(finish).textContent = "";
    });
    const finish = finishes.find((candidate) => candidate.kind === (item.finish || "complete"));
    if (!finish) {
      return;
    }
    const details = finish.form.closest("details");
    if (details) {
      details.open = true;
    }
    const done = `${finish.done} on this phone.`;
    if (outcome === "signed-out") {
      noteOf(finish).textContent = `${done} Sign in again to send it to your coach.`;
    } else if (outcome === "offline" || !navigator.onLine) {
      noteOf(finish).textContent = `${done} It reaches your coach, after your sets, once you're back online.`;
    } else {
      noteOf(finish).textContent = `${done} Sending it to your coach…`;
    }
  }

  // Always through the queue, online or not: a phone can say it is online in a basement
  // where nothing gets through, and a plain form post would end on the browser's error page
  // with the completion lost. Sets still waiting go first.
  finishes.forEach((finish) => {
    finish.form.addEventListener("submit", (event) => {
      event.preventDefault();
      noteOf(finish).textContent = "";
      if (!finish.form.reportValidity()) {
        return;
      }
      const fields = Object.fromEntries(new FormData(finish.form));
      delete fields.csrfmiddlewaretoken; // the header carries a fresh token when it is sent
      const item = {
        id: finishId,
        version: Date.now(),
        sessionId,
        kind: "finish",
        finish: finish.kind,
        url: finish.form.action,
        csrfUrl: root.dataset.csrfUrl,
        fields,
      };
      showFinishWaiting(item, navigator.onLine ? "queued" : "offline");
      queue.enqueue(item);
    });
  });

  if (finishes.length) {
    queue.on("state", (outcome) => {
      const item = finishWaiting();
      if (item) {
        showFinishWaiting(item, outcome);
      }
    });
    queue.on("sent", (item) => {
      if (item.id === finishId) {
        window.location.reload(); // the server's page: completed or skipped, with every set
      }
    });
    queue.on("rejected", (item, answer) => {
      if (item.id !== finishId) {
        return;
      }
      finishes.forEach((finish) => {
        buttonOf(finish).disabled = false;
      });
      const finish = finishes.find((candidate) => candidate.kind === (item.finish || "complete"));
      const messages = Object.values((answer && answer.errors) || {}).flat();
      noteOf(finish).textContent =
        messages.map((error) => error.message).join(" ") ||
        `The session was not ${finish.done.toLowerCase()}.`;
    });
    const waiting = finishWaiting();
    if (waiting) {
      showFinishWaiting(waiting, navigator.onLine ? "queued" : "offline");
    }
  }
})();
