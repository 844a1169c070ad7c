// The login page (where logging out lands): forget the technician's pages the app kept for
// offline use, so the next person on this phone cannot open them. Static files and punches
// still waiting to be sent (IndexedDB) stay.
(function () {
  "use strict";
  if (!window.caches) return;
  var statics = new URL("static/", document.baseURI.replace(/login.*$/, "")).pathname;
  caches.keys().then(function (names) {
    return Promise.all(names.map(function (name) {
      return caches.open(name).then(function (cache) {
        return cache.keys().then(function (requests) {
          return Promise.all(requests.filter(function (request) {
            return new URL(request.url).pathname.indexOf(statics) !== 0;
          }).map(function (request) { return cache.delete(request); }));
        });
      });
    }));
  }).then(function () { document.documentElement.dataset.forgotten = "yes"; });
})();
