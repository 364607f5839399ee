/* quick-exit.js: "Leave this page quickly". The button is a real link to a neutral site, so it
 * works without JavaScript; here it replaces the history entry instead of adding one, so Back
 * does not return to this page. Pressing Escape twice (within 2 s) does the same. */
(() => {
  'use strict';
  if (window.havenQuickExit) return;
  window.havenQuickExit = true;
  document.documentElement.classList.add('js');

  const SAFE = 'https://www.weather.gov/';
  const leave = () => {
    document.documentElement.classList.add('leaving');
    if (document.body) document.body.hidden = true;
    window.location.replace(SAFE);
  };

  const button = document.getElementById('quick-exit');
  if (button) {
    button.addEventListener('click', (e) => {
      e.preventDefault();
      leave();
    });
  }

  let last = 0;
  document.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape' && e.key !== 'Esc') return;
    const now = Date.now();
    if (now - last <= 2000) leave();
    else last = now;
  });
})();
