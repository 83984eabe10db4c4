// Live preview of a query on the chat page: as the user types (debounced),
// fetch the server-rendered preview fragment and show it. Everything else
// on the dashboard works without JavaScript.
(function () {
  "use strict";
  var input = document.getElementById("query");
  var out = document.getElementById("preview");
  if (!input || !out || !window.fetch) { return; }
  var url = input.getAttribute("data-preview");
  var timer = null;
  var seq = 0;
  function update() {
    var mine = ++seq;
    fetch(url + "?q=" + encodeURIComponent(input.value), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) { if (mine === seq) { out.innerHTML = html; } })
      .catch(function () { if (mine === seq) { out.textContent = "Preview unavailable just now."; } });
  }
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(update, 300);
  });
})();
