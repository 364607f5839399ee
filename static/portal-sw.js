/* portal-sw.js: the patient portal's service worker, served as /me/sw.js (scope /me/) by
 * modules/recovery/help.c. It keeps the patient's relapse-prevention plan (/me/plan) and Help
 * now (/me/help), with the stylesheets and scripts they use, so that they open without a
 * network once seen: a craving does not wait for signal.
 *
 * Privacy rules, and why:
 * - Network first, the kept copy only when the network fails: a live session always sees the
 *   current plan, and a signed-out or expired session is sent to sign in as usual.
 * - Only a response the server marks "X-Haven-Offline: 1" is kept (a patient's own device);
 *   "0" (a device the patient said is shared) makes the worker drop everything it kept.
 *   Redirects (to the sign-in page) and errors are never kept.
 * - Signing out (a POST to /me/sign-out passes through here) drops everything kept.
 * - Nothing but these two pages and static files is ever kept; other requests pass untouched.
 */
'use strict';

var CACHE = 'haven-portal-v1';
var PAGES = ['/me/plan', '/me/help'];

function isPage(url) {
  return url.origin === self.location.origin && PAGES.indexOf(url.pathname) >= 0;
}

function isStatic(url) {
  return url.origin === self.location.origin && url.pathname.indexOf('/static/') === 0;
}

function forget() {
  return caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) {
      return k.indexOf('haven-portal-') === 0;
    }).map(function (k) { return caches.delete(k); }));
  });
}

/* Keeps a good answer to a page under the page's address (without its query). */
function keepPage(path, res) {
  if (!res || !res.ok || res.redirected || res.type !== 'basic') return Promise.resolve();
  var mark = res.headers.get('X-Haven-Offline');
  if (mark === '0') return forget();
  if (mark !== '1') return Promise.resolve();
  return caches.open(CACHE).then(function (c) { return c.put(path, res); });
}

/* Keeps a static file: always when a kept page named it (fresh), else only to refresh a copy
 * already kept, so that the sign-in page's files do not fill the cache again after sign-out. */
function keepStatic(req, res, named) {
  if (!res || !res.ok || res.redirected || res.type !== 'basic') return Promise.resolve();
  return caches.open(CACHE).then(function (c) {
    return (named ? Promise.resolve(true) : c.match(req).then(Boolean)).then(function (keep) {
      return keep ? c.put(req, res) : undefined;
    });
  });
}

self.addEventListener('install', function () { self.skipWaiting(); });

self.addEventListener('activate', function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) {
      return k.indexOf('haven-portal-') === 0 && k !== CACHE;
    }).map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

/* The first page that registers the worker asks it to keep what it names. */
self.addEventListener('message', function (event) {
  var urls = event.data && Array.isArray(event.data.keep) ? event.data.keep : [];
  event.waitUntil(Promise.all(urls.map(function (u) {
    var url = new URL(u, self.location.origin);
    if (!isPage(url) && !isStatic(url)) return Promise.resolve();
    return fetch(url.href, { credentials: 'same-origin', redirect: 'follow' }).then(function (res) {
      return isPage(url) ? keepPage(url.pathname, res) : keepStatic(url.href, res, true);
    }).catch(function () {});
  })));
});

self.addEventListener('fetch', function (event) {
  var req = event.request;
  var url = new URL(req.url);

  if (req.method === 'POST' && url.origin === self.location.origin &&
      url.pathname === '/me/sign-out') {
    event.waitUntil(forget()); /* the request itself goes on as usual */
    return;
  }
  if (req.method !== 'GET' || !(isPage(url) || isStatic(url))) return;
  event.respondWith(fetch(req).then(function (res) {
    var copy = res.clone();
    event.waitUntil(isPage(url) ? keepPage(url.pathname, copy) : keepStatic(req, copy, false));
    return res;
  }).catch(function () {
    return caches.open(CACHE).then(function (c) {
      return c.match(isPage(url) ? url.pathname : req);
    }).then(function (hit) {
      return hit || Response.error();
    });
  }));
});
