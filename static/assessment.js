/* assessment.js: progressive enhancement of the self-assessment and result pages. Without it both
 * pages work as plain forms. Here: one section at a time with Back/Next and a progress bar, skip
 * logic applied live, a kind word on Next about questions left unanswered, the safety panels
 * shown (and announced) as soon as an answer calls for one, and on the result page the print
 * button and focus on the call form's problems. Vanilla ES2017, no inline code (CSP). */
(() => {
  'use strict';
  document.documentElement.classList.add('js');

  const printButton = document.getElementById('print');
  if (printButton) {
    printButton.hidden = false;
    printButton.addEventListener('click', () => window.print());
  }

  // The call form shown again with problems: start there (autofocus does it without us; this
  // also brings it into view where a browser skipped autofocus).
  const callErrors = document.getElementById('call-errors');
  if (callErrors) {
    callErrors.scrollIntoView({ block: 'start' });
    callErrors.focus({ preventScroll: true });
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

  /* Safety panels: the same answers as the page's CSS reads without JavaScript (haven.css),
   * counted only while their question is asked. A panel that appears is announced. */
  const chosen = (id, value) => {
    const input = document.getElementById(`${id}-${value}`);
    return Boolean(input && input.checked && !input.disabled);
  };
  const alerts = [
    ['alert-suicide', () => chosen('asq-5', 'true')],
    ['alert-withdrawal', () => chosen('wd-complicated', 'true') &&
      (chosen('wd-symptoms', 'severe') || chosen('wd-now', 'true'))],
    ['alert-overdose', () => chosen('med-overdose', 'true') &&
      (chosen('wd-daily', 'opioids') || chosen('assist-2-opioids', '6'))],
  ].map(([id, when]) => [document.getElementById(id), when]).filter(([el]) => el);
  const applyAlerts = () => {
    for (const [el, when] of alerts) {
      const on = when();
      if (on === !el.hidden) continue;
      el.hidden = !on;
      if (on) el.setAttribute('role', 'alert'); else el.removeAttribute('role');
    }
  };

  /* "None of these" and the choices above it exclude each other. */
  form.addEventListener('change', (e) => {
    const box = e.target;
    if (box.type !== 'checkbox' || !box.checked) return;
    const item = box.closest('fieldset.item');
    if (!item) return;
    const none = box.name === 'none';
    for (const other of item.querySelectorAll('input[type="checkbox"]')) {
      if (other !== box && (other.name === 'none') !== none) other.checked = false;
    }
  });

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

  /* Next says kindly which questions of the part are unanswered, once, and then lets the
   * person go on. */
  const note = make('div', { className: 'unanswered-note', id: 'unanswered-note', tabIndex: -1, hidden: true });
  note.setAttribute('role', 'status');
  nav.before(note);
  const warned = new Set();
  const unanswered = (section) => Array.from(section.querySelectorAll('fieldset.item:not([hidden])'))
    .filter((item) => !item.querySelector('input:checked'));
  const clearNote = () => {
    note.hidden = true;
    note.textContent = '';
    next.textContent = 'Next';
    for (const el of form.querySelectorAll('fieldset.item.unanswered')) el.classList.remove('unanswered');
  };
  const warn = (missing) => {
    const n = missing.length;
    note.textContent = '';
    const p = make('p', {});
    p.append(make('strong', { textContent: n === 1 ? 'One question in this part has no answer yet.'
      : `${n} questions in this part have no answer yet.` }),
    ' That is all right: you can answer them now, or go on without them. Your result may then suggest less help than would be right for you.');
    const showMe = make('button', { type: 'button', className: 'button button-secondary', textContent: n === 1 ? 'Show me the question' : 'Show me the first one' });
    showMe.addEventListener('click', () => {
      missing[0].scrollIntoView({ block: 'start' });
      const input = missing[0].querySelector('input');
      if (input) input.focus({ preventScroll: true });
    });
    note.append(p, make('p', {}));
    note.lastChild.append(showMe);
    for (const item of missing) item.classList.add('unanswered');
    next.textContent = 'Go on anyway';
    note.hidden = false;
    note.focus({ preventScroll: false });
  };

  let current = 0;
  const show = (index, moveFocus) => {
    if (index !== current) clearNote();
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
  next.addEventListener('click', () => {
    const missing = unanswered(sections[current]);
    if (missing.length && !warned.has(current)) {
      warned.add(current);
      warn(missing);
      return;
    }
    step(1);
  });
  form.addEventListener('change', (e) => {
    applySkipLogic();
    applyAlerts();
    const item = e.target.closest && e.target.closest('fieldset.item');
    if (item && item.querySelector('input:checked')) item.classList.remove('unanswered');
    if (!note.hidden && !unanswered(sections[current]).length) clearNote();
    show(isLive(sections[current]) ? current : firstLive(), false);
  });
  // Enter in a field must not send a half-filled form: it moves on instead. "See my result now"
  // in a safety panel does send it, with what is answered so far.
  form.addEventListener('submit', (e) => {
    applySkipLogic();
    const now = e.submitter && e.submitter.name === 'result-now' && e.submitter.offsetParent !== null;
    if (now) return;
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
  applyAlerts();
  let start = firstLive();
  // "Go back to the questions" from a result opens the part it names (#section-ID).
  const target = location.hash && location.hash.startsWith('#section-') &&
    document.getElementById(location.hash.slice(1));
  if (target && sections.includes(target) && isLive(target)) start = sections.indexOf(target);
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
