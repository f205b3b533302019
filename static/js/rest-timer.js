/* The rest timer on the logging page. It counts from timestamps kept on the device, so a locked
   screen or a reload loses no time. Exposes window.CoachRestTimer.start(seconds) for the logging
   script. */
(function () {
  "use strict";

  const root = document.querySelector("[data-session-id]");
  const bar = root && root.querySelector("[data-rest-timer]");
  if (!bar) {
    return; // only a session the athlete can log has one
  }
  const REST_KEY = "coach.rest.v1";
  const sessionId = root.dataset.sessionId;
  const time = bar.querySelector("[data-rest-time]");
  const announce = bar.querySelector("[data-rest-announce]");
  const pause = bar.querySelector("[data-rest-pause]");
  const skip = bar.querySelector("[data-rest-skip]");
  let ticking = null;

  function read() {
    try {
      const state = JSON.parse(window.localStorage.getItem(REST_KEY));
      return state && state.sessionId === sessionId ? state : null;
    } catch (error) {
      return null;
    }
  }

  function write(state) {
    if (state) {
      window.localStorage.setItem(REST_KEY, JSON.stringify(state));
    } else {
      window.localStorage.removeItem(REST_KEY);
    }
  }

  function left(state) {
    return state.pausedLeft !== null ? state.pausedLeft : state.endsAt - Date.now();
  }

  function render() {
    const state = read();
    if (!state) {
      bar.hidden = true;
      window.clearInterval(ticking);
      ticking = null;
      return;
    }
    bar.hidden = false;
    const ms = Math.max(0, left(state));
    const seconds = Math.ceil(ms / 1000);
    if (ms <= 0) {
      time.textContent = "Rest over: next set";
      bar.classList.add("rest-timer--over");
      pause.hidden = true;
      skip.textContent = "Close";
      if (!state.announced) {
        write({ ...state, announced: true });
        announce.textContent = "Rest over. Next set.";
        if (navigator.vibrate) {
          navigator.vibrate(200);
        }
      }
      return;
    }
    bar.classList.remove("rest-timer--over");
    pause.hidden = false;
    skip.textContent = "Skip rest";
    pause.textContent = state.pausedLeft !== null ? "Resume" : "Pause";
    time.textContent =
      `Rest ${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}` +
      (state.pausedLeft !== null ? " (paused)" : "");
  }

  function run() {
    render();
    if (!ticking && read()) {
      ticking = window.setInterval(render, 250);
    }
  }

  function start(seconds) {
    if (!seconds) {
      return;
    }
    write({ sessionId, endsAt: Date.now() + seconds * 1000, pausedLeft: null, announced: false });
    announce.textContent = `Resting ${seconds} seconds.`;
    run();
  }

  pause.addEventListener("click", () => {
    const state = read();
    if (!state) {
      return;
    }
    if (state.pausedLeft !== null) {
      write({ ...state, endsAt: Date.now() + state.pausedLeft, pausedLeft: null });
    } else {
      write({ ...state, pausedLeft: state.endsAt - Date.now() });
    }
    run();
  });
  skip.addEventListener("click", () => {
    write(null);
    render();
  });
  document.addEventListener("visibilitychange", render);
  run();
  window.CoachRestTimer = { start };
})();
