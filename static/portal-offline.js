/* portal-offline.js: registers the portal's service worker (/me/sw.js, scope /me/) from the
 * pages it keeps for offline use (My plan, Help now), so that they open without a network once
 * seen. The page says what it may do in data-offline on this script's tag: "keep" on a
 * patient's own device; "forget" on a device the patient said is shared, where this removes
 * the worker and everything it kept (a kept plan must not wait there for the next person).
 * The pages work fully without it: this only adds the offline copy. External, not inline:
 * the CSP is default-src 'self'. */
(function () {
  'use strict';
  var tag = document.currentScript;
  var mode = tag && tag.getAttribute('data-offline');
  if (!('serviceWorker' in navigator) || !window.caches) return;

  if (mode !== 'keep') {
    navigator.serviceWorker.getRegistrations().then(function (regs) {
      regs.forEach(function (r) { if (/\/me\/$/.test(r.scope)) r.unregister(); });
    });
    caches.keys().then(function (keys) {
      keys.forEach(function (k) { if (k.indexOf('haven-portal-') === 0) caches.delete(k); });
    });
    return;
  }
  navigator.serviceWorker.register('/me/sw.js', { scope: '/me/' }).then(function () {
    return navigator.serviceWorker.ready;
  }).then(function (reg) {
    /* The first visit is not yet under the worker: ask it to keep both pages and the
     * stylesheets and scripts this page uses (with their version), so that either opens
     * offline from now on. Later visits are kept by the worker as they pass through it. */
    var urls = ['/me/plan', '/me/help'];
    document.querySelectorAll('link[rel="stylesheet"], link[rel="icon"], script[src]')
      .forEach(function (el) {
        var u = new URL(el.href || el.src, location.href);
        if (u.origin === location.origin) urls.push(u.pathname + u.search);
      });
    if (reg.active) reg.active.postMessage({ keep: urls });
  }).catch(function () { /* no offline copy: the page itself is unaffected */ });
})();
