// The live board keeps itself current: it asks for its table every few seconds with the
// ETag it has, and swaps the table in only when the hub answers with a new one (200);
// an unchanged board is a 304 with no body. Signed out, the page reloads (to the login).
(function () {
  "use strict";
  var live = document.getElementById("live-board");
  if (!live) { return; }
  var every = Math.max(Number(live.dataset.pollSeconds) || 5, 1) * 1000;
  var etag = live.dataset.etag;

  function poll() {
    fetch(live.dataset.src, {headers: {"If-None-Match": etag}, cache: "no-store", redirect: "manual",
                             credentials: "same-origin"})
      .then(function (response) {
        if (response.type === "opaqueredirect" || response.status === 401 || response.status === 403) {
          window.location.reload();
          return null;
        }
        live.classList.toggle("stale", response.status !== 200 && response.status !== 304);
        if (response.status !== 200) { return null; }
        etag = response.headers.get("ETag") || etag;
        return response.text().then(function (html) { live.innerHTML = html; });
      })
      .catch(function () { live.classList.add("stale"); })
      .then(function () { window.setTimeout(poll, every); });
  }
  window.setTimeout(poll, every);
}());
