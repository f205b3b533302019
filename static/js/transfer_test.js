// Transfer test form: once a test is picked, fit the result box to it (a 5K time needs a
// colon, so a text keyboard; the others a decimal pad), show an example, and offer splits
// only for 5K results. Without this script the form still works with generic hints.
(function () {
  const form = document.querySelector(".transfer-test-form");
  if (!form) return;
  const result = form.querySelector("[name=result]");
  const detail = form.querySelector("[name=detail]");
  const splits = form.querySelector(".splits-field");

  function fit() {
    const picked = form.querySelector("[name=kind]:checked");
    if (!picked) {
      splits.hidden = false;
      return;
    }
    result.setAttribute("inputmode", picked.dataset.inputmode);
    result.placeholder = "e.g. " + picked.dataset.example;
    detail.placeholder = "e.g. " + picked.dataset.detail;
    const isRace = picked.value === "race_5k";
    const hasSplits = form.querySelector("[name=splits]").value.trim() !== "";
    splits.hidden = !isRace && !hasSplits;
  }

  form.addEventListener("change", fit);
  fit();

  // A second tap on Save while a slow phone connection sends the first would record the test
  // twice; the button comes back when the page is shown again (the back button restores it).
  const save = form.querySelector("[type=submit]");
  form.addEventListener("submit", function () {
    save.disabled = true;
  });
  window.addEventListener("pageshow", function () {
    save.disabled = false;
  });
})();
