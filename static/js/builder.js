// Template builder: drag and drop to reorder (SortableJS), and let htmx show validation
// messages sent with 422. The move up/down buttons are plain forms, so the keyboard path
// needs nothing from here. Loaded with `defer` after htmx (also deferred), so htmx exists.
(function () {
  "use strict";

  // A 422 carries the form again with messages next to the fields, a 409 (a move that lost a
  // race with another window) the list as it is now with why: swap both in like a 200.
  htmx.config.responseHandling.unshift({ code: "422", swap: true, error: false });
  htmx.config.responseHandling.unshift({ code: "409", swap: true, error: false });

  function submitOrder(list) {
    var form = document.getElementById(list.dataset.reorderForm);
    form.querySelectorAll("input[name=order]").forEach(function (input) { input.remove(); });
    list.querySelectorAll("[data-prescription-id]").forEach(function (item) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = "order";
      input.value = item.dataset.prescriptionId;
      form.appendChild(input);
    });
    form.requestSubmit();
  }

  htmx.onLoad(function (root) {
    root.querySelectorAll("[data-sortable]").forEach(function (list) {
      Sortable.create(list, {
        handle: ".drag-handle",
        animation: 150,
        onEnd: function (event) {
          if (event.oldIndex !== event.newIndex) { submitOrder(list); }
        },
      });
    });
  });
})();
