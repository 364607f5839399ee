/* assessment.js: progressive enhancement of the self-assessment and result pages. Without it both
 * pages work as plain forms. Here: one section at a time with Back/Next and a progress bar, skip
 * logic applied live, and the result page's print button. Vanilla ES2017, no inline code (CSP). */
(() => {
  'use strict';
  document.documentElement.classList.add('js');

  const printButton = document.getElementById('print');
  if (printButton) {
    printButton.hidden = false;
    printButton.addEventListener('click', () => window.print());
  }

  const form = document.getElementById('assessment-form');
  const submit = document.getElementById('submit-assessment');
  if (!form || !submit) return;
  const sections = Array.from(form.querySelectorAll('fieldset.section'));
  const items = Array.from(form.querySelectorAll('fieldset.item'));
  if (!sections.length) return;
  const itemById = new Map(items.map((el) => [el.dataset.item, el]));

  /* Skip logic. A condition is clauses "ID=VALUE" or "ID!=VALUE" joined by "|" (any holds) or
   * "&" (all hold), never mixed. A clause on an item that is hidden, or not answered, is false. */
  const parseClause = (text) => {
    const ne = text.indexOf('!=');
    const eq = text.indexOf('=');
    if (ne > 0) return { id: text.slice(0, ne).trim(), neg: true, value: text.slice(ne + 2).trim() };
    if (eq > 0) return { id: text.slice(0, eq).trim(), neg: false, value: text.slice(eq + 1).trim() };
    return null;
  };
  const conditions = new Map();
  for (const el of items) {
    const src = (el.dataset.showIf || '').trim();
    if (!src) continue;
    const any = src.includes('|');
    conditions.set(el, { any, clauses: src.split(any ? '|' : '&').map(parseClause) });
  }

  const visible = new Map(); // item id -> shown, filled in document order
  const answersOf = (id) =>
    Array.from(itemById.get(id).querySelectorAll('input:checked'), (input) => input.value);
  const holds = (c) => {
    if (!c || !visible.get(c.id)) return false;
    const values = answersOf(c.id);
    if (!values.length) return false;
    return c.neg ? !values.includes(c.value) : values.includes(c.value);
  };
  const applySkipLogic = () => {
    visible.clear();
    for (const el of items) {
      const cond = conditions.get(el);
      const show = !cond || (cond.any ? cond.clauses.some(holds) : cond.clauses.every(holds));
      visible.set(el.dataset.item, show);
      if (el.hidden === show) {
        el.hidden = !show;
        // Disabled inputs are not submitted; their checked state is kept for when they return.
        for (const input of el.querySelectorAll('input')) input.disabled = !show;
      }
    }
  };
  const isLive = (section) => section.querySelector('fieldset.item:not([hidden])') !== null;

  /* Paging. Every section stays in the one form, so moving around never loses an answer. */
  const make = (tag, props) => Object.assign(document.createElement(tag), props);
  const back = make('button', { type: 'button', className: 'back button button-secondary', textContent: 'Back' });
  const next = make('button', { type: 'button', className: 'next button button-primary', textContent: 'Next' });
  const nav = make('div', { className: 'wizard-nav' });
  const actions = submit.closest('.form-actions') || submit.parentNode;
  actions.after(nav);
  nav.append(back, next, submit);

  const wrap = make('div', { className: 'progress-wrap' });
  const label = make('p', { className: 'progress-label', id: 'progress-label' });
  const bar = make('progress', { id: 'progress', max: 1, value: 0 });
  bar.setAttribute('aria-labelledby', 'progress-label');
  wrap.append(label, bar);
  form.prepend(wrap);

  let current = 0;
  const show = (index, moveFocus) => {
    current = index;
    sections.forEach((s, i) => { s.hidden = i !== index; });
    const live = sections.filter(isLive);
    const pos = Math.max(0, live.indexOf(sections[index]));
    const last = pos >= live.length - 1;
    back.hidden = pos === 0;
    next.hidden = last;
    submit.hidden = !last;
    actions.hidden = !last;
    bar.max = Math.max(1, live.length);
    bar.value = pos + 1;
    label.textContent = `Part ${pos + 1} of ${live.length}`;
    if (moveFocus) {
      const legend = sections[index].querySelector('legend');
      wrap.scrollIntoView({ block: 'start' });
      if (legend) legend.focus({ preventScroll: true });
    }
  };
  const step = (dir) => {
    for (let i = current + dir; i >= 0 && i < sections.length; i += dir) {
      if (isLive(sections[i])) return show(i, true);
    }
    return undefined;
  };
  const firstLive = () => Math.max(0, sections.findIndex(isLive));

  back.addEventListener('click', () => step(-1));
  next.addEventListener('click', () => step(1));
  form.addEventListener('change', () => {
    applySkipLogic();
    show(isLive(sections[current]) ? current : firstLive(), false);
  });
  // Enter in a field must not send a half-filled form: it moves on instead.
  form.addEventListener('submit', (e) => {
    applySkipLogic();
    if (!next.hidden) {
      e.preventDefault();
      step(1);
    }
  });

  // Links to an item (the error summary) open its section first.
  const openItem = (item) => {
    const section = item.closest('fieldset.section');
    if (!section || item.hidden) return false;
    show(sections.indexOf(section), false);
    item.scrollIntoView({ block: 'start' });
    const input = item.querySelector('input:checked, input');
    if (input) input.focus({ preventScroll: true });
    return true;
  };
  document.addEventListener('click', (e) => {
    const link = e.target.closest && e.target.closest('a[href^="#item-"]');
    if (!link) return;
    const item = document.getElementById(link.getAttribute('href').slice(1));
    if (item && form.contains(item) && openItem(item)) e.preventDefault();
  });

  applySkipLogic();
  let start = firstLive();
  const summary = document.getElementById('error-summary');
  if (summary) {
    const targets = Array.from(summary.querySelectorAll('a[href^="#item-"]'), (a) =>
      document.getElementById(a.getAttribute('href').slice(1)));
    const bad = targets.find((el) => el && form.contains(el) && !el.hidden) ||
      form.querySelector('fieldset.item.has-error:not([hidden])');
    const section = bad && bad.closest('fieldset.section');
    if (section) start = sections.indexOf(section);
  }
  show(start, false);
  if (summary) summary.focus();
})();
