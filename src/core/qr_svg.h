/* qr_svg: a QR code (libqrencode) as an inline SVG element: one path of unit squares, a quiet
 * zone, an accessible label; no scripts, no external references. */
#ifndef HAVEN_QR_SVG_H
#define HAVEN_QR_SVG_H

/* The SVG for text (8-bit mode, error correction level M), malloc'ed (caller frees); label is
 * HTML-escaped into aria-label and <title>. NULL when the text does not fit a QR code. */
char *qr_svg(const char *text, const char *label);

#endif
