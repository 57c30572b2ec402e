// The checker's service worker: network first, so a visitor always gets the current page and
// engine when online; when the network is gone, the copies the page put in the cache (see
// keepOffline in checker.js) answer, so the checker reloads and works offline.
const CACHE = 'ospo-checker-v1';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  event.respondWith((async () => {
    // One copy per file: the query string is the checker's state, not another file.
    const key = url.origin + url.pathname;
    try {
      const response = await fetch(request);
      if (response.ok) {
        const cache = await caches.open(CACHE);
        await cache.put(key, response.clone());
      }
      return response;
    } catch (error) {
      const cached = await caches.match(key);
      if (cached) return cached;
      throw error;
    }
  })());
});
