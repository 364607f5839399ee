// staff.js: the staff frame's session clock, so that nobody loses what they typed.
// - The server ends a session 15 minutes after its last request (and 12 hours after sign-in).
//   While the person is active here (typing, clicking, scrolling), the page renews it
//   (POST /staff/keep-alive), at most once every RENEW_AFTER; while nobody is, it never does,
//   so an unattended session still ends on time.
// - A minute before the end a warning counts down; any activity, or "Stay signed in", renews.
//   Before warning or ending, the page asks the server how long is really left
//   (GET /api/v1/session, which does not renew): another tab may have kept the session going.
// - When the session has ended, the page is hidden (not left): the person signs in again in
//   place (POST /api/v1/session, then /api/v1/session/code with a second factor), every form's
//   CSRF field takes the new session's token, and the page comes back with what was typed.
//   A form sent meanwhile is held and goes out after the sign-in. Nothing typed is stored
//   anywhere but in the page itself.
// Without this script the server's rules hold just the same (see the sign-in page's notice).
(function () {
    'use strict';
    var RENEW_AFTER = 30 * 1000;  // an active person's renewals, at most this often
    var RETRY_AFTER = 5 * 1000;   // after a renewal that did not get through
    var body = document.body;
    var idle = parseInt(body.getAttribute('data-idle-seconds'), 10) || 900;
    var warn = parseInt(body.getAttribute('data-warn-seconds'), 10) || 60;
    var me = body.getAttribute('data-user') || '';
    var box = document.getElementById('idle-warning');
    var stay = document.getElementById('stay-signed-in');
    var countdown = document.getElementById('idle-countdown');
    var main = document.getElementById('main');
    var template = document.getElementById('session-ended-template');
    var signOutCsrf = document.querySelector('form[action="/staff/sign-out"] input[name="csrf"]');
    if (!box || !stay || !countdown || !main || !template || !signOutCsrf) return;
    // The sign-in panel, made from its template the first time the session ends (so that it is
    // not in the page before), then put in and taken out of <main> as needed.
    var panel = null, resume, email, password, passwordField, code, codeField, resumeButton;
    var heldNote, errorBox, errorText;

    var deadline = 0;      // when the server's session ends, as far as this page knows (ms)
    var renewedAt = 0;     // when the server's idle clock last moved, as far as it knows
    var askedAt = 0;       // the last renewal this page sent
    var timer = null;
    var renewing = null;   // the renewal in flight (a promise), or null
    var checking = false;  // a GET /api/v1/session in flight
    var ended = false;
    var held = null;       // { form, submitter }: a form sent while (or as) the session ended
    var covered = [];      // what the page hid when the session ended
    var lastFocus = null;
    var savedScroll = 0;
    var savedTitle = document.title;
    var codeToken = null;  // the half-open session's token, between password and code
    var busy = false;

    function now() { return Date.now(); }

    // The server said the session has `left` seconds: its idle clock moved that long ago.
    function known(left) {
        var t = now();
        deadline = t + Math.max(0, left) * 1000;
        renewedAt = Math.min(t, deadline - idle * 1000);
    }

    function token() { return signOutCsrf.value; }

    // The session's new CSRF token into every form of the page.
    function setToken(t) {
        var fields = document.querySelectorAll('input[name="csrf"]');
        for (var i = 0; i < fields.length; i++) fields[i].value = t;
    }

    function clock(ms) {
        var s = Math.max(0, Math.ceil(ms / 1000));
        return Math.floor(s / 60) + ':' + ('0' + (s % 60)).slice(-2);
    }

    function showWarning() {
        countdown.textContent = clock(deadline - now());
        if (!box.hidden) return;
        lastFocus = document.activeElement;
        box.hidden = false;
        stay.focus();
    }

    function hideWarning() {
        if (box.hidden) return;
        box.hidden = true;
        if (lastFocus && lastFocus.focus && document.contains(lastFocus)) lastFocus.focus();
        lastFocus = null;
    }

    // One timer: to the warning while it is hidden, every second while it counts down.
    function schedule() {
        clearTimeout(timer);
        if (ended) return;
        var t = now();
        if (!box.hidden) {
            countdown.textContent = clock(deadline - t);
            timer = setTimeout(t >= deadline ? check : schedule, t >= deadline ? 0 : 1000);
            return;
        }
        timer = setTimeout(check, Math.max(0, deadline - warn * 1000 - t));
    }

    // The page's clock says the warning (or the end) is due: ask the server, which may know
    // better (another tab kept the session going; an administrator ended it). Asking does not
    // renew the session.
    function check() {
        if (checking || ended) return;
        checking = true;
        fetch('/api/v1/session', { credentials: 'same-origin', cache: 'no-store' })
            .then(function (res) { return res.ok ? res.json() : null; })
            .catch(function () { return null; })
            .then(function (j) {
                checking = false;
                if (ended) return;
                if (j && !j.signed_in) { end(); return; }
                if (j) known(j.seconds_left);
                if (now() >= deadline) { end(); return; }
                if (now() >= deadline - warn * 1000) showWarning(); else hideWarning();
                schedule();
            });
    }

    // The browser's session now, from GET /api/v1/me (which renews it: only on a person's
    // action): { user, csrf, seconds_left } as the in-place sign-in answers, or null when
    // there is none.
    function currentSession() {
        return fetch('/api/v1/me', { credentials: 'same-origin', cache: 'no-store', redirect: 'manual' })
            .then(function (res) { return res.ok ? res.json() : null; })
            .then(function (j) {
                if (!j || !j.csrf) return null;
                return { user: j.id, csrf: j.csrf, seconds_left: j.session.idle_seconds_left };
            });
    }

    // Another tab signed in again (the forms' token is old): take the session's token, if the
    // session is still this person's. 'ok' or 'ended'.
    function refreshToken() {
        return currentSession().then(function (j) {
            if (!j || j.user !== me) return 'ended';
            setToken(j.csrf);
            known(j.seconds_left);
            return 'ok';
        });
    }

    // Renews the session: 'ok', 'ended' (then the page is hidden and offers to sign in), or
    // 'unknown' (the server could not be reached: nothing changes).
    function renew() {
        if (renewing) return renewing;
        askedAt = now();
        renewing = fetch('/staff/keep-alive', {
            method: 'POST',
            credentials: 'same-origin',
            cache: 'no-store',
            redirect: 'manual', // no session: a redirect to the sign-in page, not followed
            headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
            body: 'csrf=' + encodeURIComponent(token())
        }).then(function (res) {
            if (res.type === 'opaqueredirect' || res.status === 401) return 'ended';
            if (res.status === 403) return refreshToken();
            if (!res.ok) return 'unknown';
            return res.json().then(function (j) { known(j.seconds_left); return 'ok'; });
        }).catch(function () {
            return 'unknown';
        }).then(function (state) {
            renewing = null;
            if (state === 'ended') end();
            else if (state === 'ok') { hideWarning(); schedule(); }
            return state;
        });
        return renewing;
    }

    // Typing, clicking, scrolling: renew when the server's clock is older than RENEW_AFTER.
    // Not a press on a submit button: its submit renews and holds the form itself, whereas a
    // renewal of its own that found the session ended between the press and the release would
    // cover the button, the click would never land, and the form would be lost, not held.
    function activity(e) {
        var t = now();
        if (ended || t - renewedAt < RENEW_AFTER || t - askedAt < RETRY_AFTER) return;
        if (e && e.type === 'pointerdown' && e.target && e.target.closest &&
            e.target.closest('button[type="submit"], button:not([type]), input[type="submit"]'))
            return;
        renew();
    }

    function showError(message) {
        errorText.textContent = message;
        errorBox.hidden = false;
    }

    function askFor(step) {
        var wantCode = step === 'code';
        passwordField.hidden = wantCode;
        codeField.hidden = !wantCode;
        password.required = !wantCode;
        code.required = wantCode;
        password.value = '';
        code.value = '';
        if (!wantCode) codeToken = null;
        (wantCode ? code : password).focus();
    }

    function makePanel() {
        panel = document.importNode(template.content, true).querySelector('#session-ended');
        function part(id) { return panel.querySelector('#' + id); }
        resume = part('resume-form');
        email = part('resume-email');
        password = part('resume-password');
        passwordField = part('resume-password-field');
        code = part('resume-code');
        codeField = part('resume-code-field');
        resumeButton = part('resume-submit');
        heldNote = part('resume-held');
        errorBox = part('resume-error');
        errorText = part('resume-error-text');
        resume.addEventListener('submit', signInAgain);
    }

    // The session has ended: hide the page (its DOM, and what was typed, stay) and offer to
    // sign in again in place.
    function end() {
        if (ended) return;
        ended = true;
        clearTimeout(timer);
        box.hidden = true;
        if (!lastFocus) lastFocus = document.activeElement;
        savedScroll = window.pageYOffset;
        var hide = document.querySelectorAll('.staff-who, .staff-nav, #main > *');
        covered = [];
        for (var i = 0; i < hide.length; i++) {
            if (!hide[i].hidden) {
                hide[i].hidden = true;
                covered.push(hide[i]);
            }
        }
        if (!panel) makePanel();
        heldNote.hidden = !held;
        errorBox.hidden = true;
        main.insertBefore(panel, main.firstChild);
        document.title = 'Signed out · ' + savedTitle.replace(/^.*? · /, '');
        window.scrollTo({ top: 0, left: 0, behavior: 'instant' });
        askFor('password');
    }

    // Signed in again: the page comes back as it was, and a form held meanwhile goes out.
    function resumed(j) {
        if (j.user !== me) {
            // Someone else signed in: this page and what was typed on it are not theirs.
            window.location.assign('/staff/');
            return;
        }
        setToken(j.csrf);
        known(j.seconds_left);
        password.value = '';
        code.value = '';
        codeToken = null;
        panel.remove();
        for (var i = 0; i < covered.length; i++) covered[i].hidden = false;
        covered = [];
        document.title = savedTitle;
        ended = false;
        if (lastFocus && lastFocus.focus && document.contains(lastFocus)) {
            lastFocus.focus({ preventScroll: true });
        }
        lastFocus = null;
        window.scrollTo({ top: savedScroll, left: 0, behavior: 'instant' });
        schedule();
        if (held) {
            var h = held;
            held = null;
            send(h);
        }
    }

    function post(url, fields) {
        var parts = [];
        for (var k in fields) {
            if (Object.prototype.hasOwnProperty.call(fields, k)) {
                parts.push(encodeURIComponent(k) + '=' + encodeURIComponent(fields[k]));
            }
        }
        return fetch(url, {
            method: 'POST',
            credentials: 'same-origin',
            cache: 'no-store',
            headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
            body: parts.join('&')
        }).then(function (res) {
            return res.json().catch(function () { return {}; }).then(function (j) {
                return { status: res.status, body: j };
            });
        });
    }

    var AGAIN = 'That did not go through. Please try again.';

    function signInWithPassword() {
        return fetch('/api/v1/session', { credentials: 'same-origin', cache: 'no-store' })
            .then(function (res) { return res.json(); })
            .then(function (s) {
                return post('/api/v1/session',
                    { csrf: s.csrf, email: email.value, password: password.value });
            })
            .then(function (a) {
                if (a.status === 200 && a.body.signed_in) { resumed(a.body); return; }
                if (a.status === 200 && a.body.second_factor) {
                    codeToken = a.body.csrf;
                    errorBox.hidden = true;
                    askFor('code');
                    return;
                }
                showError(a.status === 401 && a.body.error ? a.body.error : AGAIN);
                askFor('password');
            });
    }

    function signInWithCode() {
        return post('/api/v1/session/code', { csrf: codeToken, code: code.value })
            .then(function (a) {
                if (a.status === 200 && a.body.signed_in) { resumed(a.body); return; }
                showError(a.body.error && a.status === 401 ? a.body.error : AGAIN);
                askFor(a.body.restart || a.status !== 401 ? 'password' : 'code');
            });
    }

    function signInAgain(e) {
        e.preventDefault();
        if (busy) return;
        busy = true;
        resumeButton.setAttribute('aria-disabled', 'true');
        (codeToken ? signInWithCode() : signInWithPassword())
            .catch(function () {
                showError('We could not reach the workspace. Check the connection and try again.');
            })
            .then(function () {
                busy = false;
                resumeButton.removeAttribute('aria-disabled');
            });
    }

    // Sends a held form as the browser would have: with the button that sent it.
    function send(h) {
        var form = h.form, s = h.submitter, extra = null;
        if (s && s.name) {
            extra = document.createElement('input');
            extra.type = 'hidden';
            extra.name = s.name;
            extra.value = s.value;
            form.appendChild(extra);
        }
        if (s && s.hasAttribute('formaction')) form.action = s.formAction;
        if (s && s.hasAttribute('formmethod')) form.method = s.formMethod;
        HTMLFormElement.prototype.submit.call(form); // no submit event: not held again
        if (extra) setTimeout(function () { extra.remove(); }, 0);
    }

    function isSignOut(form) {
        return /\/staff\/sign-out(-everywhere)?$/.test(form.getAttribute('action') || '');
    }

    // A form sent goes out at once when the session was renewed moments ago; otherwise only
    // once a renewal says it is alive (and makes it last). After it has ended, a form waits
    // for the sign-in.
    document.addEventListener('submit', function (e) {
        var form = e.target;
        var s = e.submitter || null;
        if (form === resume || e.defaultPrevented || isSignOut(form)) return;
        if (!ended && now() - renewedAt < RENEW_AFTER) return;
        e.preventDefault();
        held = { form: form, submitter: s };
        if (ended) { heldNote.hidden = false; return; }
        renew().then(function (state) {
            if (state === 'ended' || !held || held.form !== form) return; // waits for sign-in
            var h = held;
            held = null;
            send(h); // 'ok', or the server could not be asked: send as the browser would
        });
    });

    stay.addEventListener('click', function () {
        renew().then(function (state) {
            if (state === 'unknown') countdown.textContent = clock(deadline - now());
        });
    });
    document.addEventListener('keydown', function (e) {
        if (e.key === 'Escape' && !box.hidden) stay.click();
    });
    ['keydown', 'input', 'pointerdown', 'wheel', 'touchstart'].forEach(function (type) {
        document.addEventListener(type, activity, { capture: true, passive: true });
    });
    // Back to a tab, or to a computer that slept: the timers may be late. And a page signed
    // out while another tab signed in again comes back without a second sign-in (the session
    // is the browser's, and this person's).
    var rejoining = false;
    function returned() {
        if (document.hidden) return;
        if (!ended) {
            if (now() >= deadline - warn * 1000) check();
            return;
        }
        if (rejoining || busy) return;
        rejoining = true;
        fetch('/api/v1/session', { credentials: 'same-origin', cache: 'no-store' })
            .then(function (res) { return res.ok ? res.json() : null; })
            .then(function (j) { return j && j.signed_in ? currentSession() : null; })
            .then(function (j) { if (j && j.user === me && ended) resumed(j); })
            .catch(function () { /* still signed out: the panel stays */ })
            .then(function () { rejoining = false; });
    }
    document.addEventListener('visibilitychange', returned);
    window.addEventListener('focus', returned);

    // The session's clock as the server stored it: renewed at most once a minute, so up to a
    // minute less than the full idle time.
    known(parseInt(body.getAttribute('data-seconds-left'), 10) || idle);
    schedule();

    // A form sent back with problems: its summary is where the eye goes (issue 7, point 3).
    // The summary carries autofocus for pages without scripts; here it is also scrolled in.
    var summary = document.querySelector('.error-summary[autofocus]');
    if (summary) {
        summary.scrollIntoView({ block: 'start', behavior: 'instant' });
        summary.focus({ preventScroll: true });
    }
}());
