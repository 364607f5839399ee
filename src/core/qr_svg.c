/* qr_svg: see qr_svg.h. Each dark module becomes "M x y h1v1h-1z" in a single path, so the
 * page stays small and renders crisply at any size. */
#include "core/qr_svg.h"

#include <qrencode.h>
#include <string.h>

#include "core/buf.h"

#define QUIET 4 /* modules of light margin the standard asks for */

char *qr_svg(const char *text, const char *label)
{
    QRcode *qr = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
    struct buf b = BUF_INIT;
    int size;

    if (!qr)
        return NULL;
    size = qr->width + 2 * QUIET;
    buf_addf(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\" role=\"img\" "
                 "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" shape-rendering=\"crispEdges\" "
                 "aria-label=\"", size, size, size * 6, size * 6);
    buf_add_html(&b, label, strlen(label));
    buf_adds(&b, "\"><title>");
    buf_add_html(&b, label, strlen(label));
    buf_addf(&b, "</title><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
             size, size);
    for (int y = 0; y < qr->width; y++)
        for (int x = 0; x < qr->width; x++)
            if (qr->data[y * qr->width + x] & 1)
                buf_addf(&b, "M%d %dh1v1h-1z", x + QUIET, y + QUIET);
    buf_adds(&b, "\"/></svg>");
    QRcode_free(qr);
    return buf_detach(&b, NULL);
}
