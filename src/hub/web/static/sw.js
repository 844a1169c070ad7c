// The technician's pages with no network: each page is fetched from the hub when it can be
// and kept; with no network the kept copy is shown. The page's files are kept at install
// and refreshed in the background. Requests are never sent from here: outbox.js keeps them
// (IndexedDB) and sends them from the page, with the login's CSRF token.
const CACHE = "depotclock-me-2";
const SHELL = ["./", "../static/style.css", "../static/outbox.js", "../static/timer.js", "../static/manifest.webmanifest",
               "../static/icons/depotclock-192.png", "../static/icons/depotclock-512.png"];
const STATIC = new URL("../static/", self.location).pathname;

self.addEventListener("install", event => {
  event.waitUntil(caches.open(CACHE).then(cache => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", event => {
  event.waitUntil(caches.keys()
    .then(names => Promise.all(names.filter(name => name !== CACHE).map(name => caches.delete(name))))
    .then(() => self.clients.claim()));
});

// A page of ours, as served to the logged-in technician (not a login page it was sent to).
const keepable = response => response.ok && response.type === "basic" && !response.redirected;

async function page(request, event) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (keepable(response)) event.waitUntil(cache.put(request, response.clone()));  // the page need not wait
    return response;
  } catch (offline) {
    const kept = await cache.match(request) || await cache.match(self.registration.scope);
    if (kept) return kept;
    throw offline;
  }
}

async function file(request, event) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(request);
  const fresh = fetch(request).then(response => {
    if (keepable(response)) return cache.put(request, response.clone()).then(() => response);
    return response;
  });
  if (kept) {
    event.waitUntil(fresh.catch(() => null));
    return kept;
  }
  return fresh;
}

self.addEventListener("fetch", event => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method !== "GET") {
    // What the pages send (outbox.js) goes out through the worker, not past it: a request
    // left to the browser's own network path reached the hub under Chromium's emulated
    // offline mode while the page was told it had failed (and sent it again later).
    event.respondWith(fetch(request));
    return;
  }
  if (request.mode === "navigate" && url.href.startsWith(self.registration.scope)) {
    event.respondWith(page(request, event));
  } else if (url.pathname.startsWith(STATIC)) {
    event.respondWith(file(request, event));
  }
});
