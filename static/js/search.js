// Progressive enhancement: results update as filters change; the form works without this.
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  var results = document.getElementById("results");
  if (!form || !results || !window.fetch) { return; }
  var timer = null;
  var controller = null;

  function update() {
    var params = new URLSearchParams(new FormData(form));
    Array.from(params.keys()).forEach(function (key) {
      if (params.get(key) === "") { params.delete(key); }
    });
    var url = form.action + "?" + params.toString();
    if (controller) { controller.abort(); }
    controller = new AbortController();
    results.setAttribute("aria-busy", "true");
    fetch(url, { headers: { "X-Requested-With": "fetch" }, signal: controller.signal, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response); })
      .then(function (html) {
        results.innerHTML = html;
        results.removeAttribute("aria-busy");
        window.history.replaceState(null, "", url);
      })
      .catch(function () { results.removeAttribute("aria-busy"); });
  }

  form.addEventListener("change", function () { update(); });
  form.addEventListener("input", function (event) {
    if (event.target.name !== "q" && event.target.name !== "distance") { return; }
    window.clearTimeout(timer);
    timer = window.setTimeout(update, 400);
  });
})();
