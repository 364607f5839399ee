// Browser-test plumbing shared by tests/e2e: a page that records every URL its context requests
// and every JS exception, console error (CSP violations show up here) and failed sub-resource
// (a missing stylesheet or script; the browser's own /favicon.ico probe excepted).

/** Opens a page in context; returns { page, urls, errors } that fill as the page is used. */
export async function watchedPage(context) {
    const urls = [];
    context.on('request', (r) => urls.push(r.url()));
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => {
        if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) errors.push(m.text());
    });
    page.on('response', (r) => {
        const rt = r.request().resourceType();
        if (r.status() >= 400 && rt !== 'document' && !r.url().endsWith('/favicon.ico')) {
            errors.push(`${r.status()} ${r.url()}`);
        }
    });
    return { page, urls, errors };
}

/**
 * Closes a context after its test has asserted everything. Chromium now and then never
 * acknowledges closing a context whose pages ran under Playwright's fake clock (about one run in
 * five of the several-tabs session test hung here for the whole test timeout), so each step
 * is bounded; the browser itself is closed at the end of the file either way.
 */
export async function closeContext(context, ms = 5_000) {
    const bounded = (p) => Promise.race([p.catch(() => {}), new Promise((r) => setTimeout(r, ms))]);
    for (const page of context.pages()) await bounded(page.close({ runBeforeUnload: false }));
    await bounded(context.close());
}
