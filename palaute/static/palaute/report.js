// Follow a report's build on its page: ask for its state every two seconds, show the progress,
// and reload the page once it is ready or has failed. Without JavaScript the page has a
// refresh link instead.
(function () {
  "use strict";
  var box = document.querySelector("[data-report-status]");
  if (!box || !window.fetch) { return; }
  var bar = box.querySelector("progress");
  var step = box.querySelector("[data-report-step]");
  var url = box.getAttribute("data-report-status");
  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (!state) { return; }
        if (state.done) { window.location.reload(); return; }
        if (bar) { bar.value = state.progress; bar.textContent = state.progress + " %"; }
        if (step) { step.textContent = state.step; }
        window.setTimeout(poll, 2000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 2000);
})();
