// staff.js: the idle warning. A minute before the 15-minute idle limit it asks whether the
// person is still there; "Stay signed in" renews the session (POST /staff/keep-alive with the
// page's CSRF token); at the limit it goes to the sign-in page. The server enforces the limit
// either way: this only spares people a surprise.
(function () {
    'use strict';
    var body = document.body;
    var idle = parseInt(body.getAttribute('data-idle-seconds'), 10) || 900;
    var warn = parseInt(body.getAttribute('data-warn-seconds'), 10) || 60;
    var box = document.getElementById('idle-warning');
    var stay = document.getElementById('stay-signed-in');
    var csrfInput = document.querySelector('form[action="/staff/sign-out"] input[name="csrf"]');
    var warnTimer = null;
    var endTimer = null;
    var lastFocus = null;
    if (!box || !stay || !csrfInput) return;

    function hide() {
        box.hidden = true;
        if (lastFocus && lastFocus.focus) lastFocus.focus();
    }

    function show() {
        lastFocus = document.activeElement;
        box.hidden = false;
        stay.focus();
    }

    function expire() {
        window.location.assign('/staff/sign-in?expired=1');
    }

    function schedule() {
        clearTimeout(warnTimer);
        clearTimeout(endTimer);
        warnTimer = setTimeout(show, Math.max(0, (idle - warn) * 1000));
        endTimer = setTimeout(expire, idle * 1000);
    }

    stay.addEventListener('click', function () {
        var body = 'csrf=' + encodeURIComponent(csrfInput.value);
        fetch('/staff/keep-alive', {
            method: 'POST',
            credentials: 'same-origin',
            headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
            body: body
        }).then(function (res) {
            if (!res.ok) { expire(); return; }
            hide();
            schedule();
        }).catch(function () { /* offline: keep the warning up; the timer still runs */ });
    });
    document.addEventListener('keydown', function (e) {
        if (e.key === 'Escape' && !box.hidden) stay.click();
    });
    schedule();
}());
