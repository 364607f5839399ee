// Small, forgiving HTML probes for server-rendered pages (no DOM library needed).

import { findTags, inputs } from './server.mjs';

const hasClass = (attrs, c) => (attrs.class || '').split(/\s+/).includes(c);

/** Offset of the first element with this id, or -1. */
export function idIndex(html, id) {
    const m = new RegExp(`<[a-zA-Z][^>]*\\sid\\s*=\\s*["']?${id}["'\\s>]`).exec(html);
    return m ? m.index : -1;
}

/** The attributes of the first element with this id (any tag), or null. */
export function byId(html, id) {
    const m = new RegExp(`<([a-zA-Z][a-zA-Z0-9]*)[^>]*\\sid\\s*=\\s*["']?${id}["'\\s>][^>]*>`).exec(html);
    if (!m) return null;
    return { tag: m[1].toLowerCase(), ...findTags(m[0], m[1])[0].attrs, _index: m.index };
}

/** section#recommendation's data-level, or null. */
export function dataLevel(html) {
    const s = findTags(html, 'section').find((t) => t.attrs.id === 'recommendation');
    return s ? s.attrs['data-level'] ?? null : null;
}

/** Is <input name=NAME value=VALUE> present and checked? (undefined when absent) */
export function isChecked(html, name, value) {
    const i = inputs(html).find((x) => x.name === name && x.value === String(value));
    if (!i) return undefined;
    return 'checked' in i;
}

/** The source of fieldset.item[data-item=ID], from its start tag to its closing tag. */
export function itemBlock(html, id) {
    const t = findTags(html, 'fieldset').find((f) => hasClass(f.attrs, 'item') && f.attrs['data-item'] === id);
    if (!t) return null;
    // Nested fieldsets are not expected inside an item; the next </fieldset> closes it.
    const end = html.indexOf('</fieldset>', t.index);
    return html.slice(t.index, end < 0 ? undefined : end);
}

const ERROR_MARK = /aria-invalid\s*=\s*["']?true|class\s*=\s*["'][^"']*\b(error|invalid|is-invalid|field-error)\b|role\s*=\s*["']?alert/i;

/**
 * Does the page show an error for assessment item ID? Either its fieldset.item carries an
 * error marker (aria-invalid, an error class, role=alert), or an error summary links to it.
 */
export function itemHasError(html, id) {
    const block = itemBlock(html, id);
    if (block && ERROR_MARK.test(block)) return true;
    return findTags(html, 'a').some((a) => (a.attrs.href || '').startsWith('#') && a.attrs.href.includes(id));
}

/**
 * Does the page show an error next to the form control named NAME? The control has
 * aria-invalid="true", or an error-marked element sits within 600 characters of it.
 */
export function fieldHasError(html, name) {
    const tags = [...findTags(html, 'input'), ...findTags(html, 'select'), ...findTags(html, 'textarea')]
        .filter((t) => t.attrs.name === name && t.attrs.type !== 'hidden');
    if (tags.length === 0) return false;
    for (const t of tags) {
        if ((t.attrs['aria-invalid'] || '').toLowerCase() === 'true') return true;
        const around = html.slice(Math.max(0, t.index - 600), t.index + t.source.length + 600);
        if (/class\s*=\s*["'][^"']*\b(error|invalid|field-error)\b/i.test(around)) return true;
    }
    return false;
}

/** Value of the (non-hidden) text-like input named NAME, or undefined. */
export function inputValue(html, name) {
    const i = inputs(html).find((x) => x.name === name && x.type !== 'hidden' && x.type !== 'radio' && x.type !== 'checkbox');
    return i ? i.value : undefined;
}
