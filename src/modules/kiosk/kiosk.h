/* kiosk: the check-in kiosk (issue 9). An administrator makes a device a kiosk (devices.c:
 * /staff/kiosks); a patient checks in there with their personal code (checkin.c: /kiosk), which
 * staff show and renew from the chart (code.c: /staff/patients/:id/checkin-code).
 *
 * Why eight digits: a device takes at most KIOSK_WRONG_LIMIT wrong codes in a window, then
 * pauses for KIOSK_PAUSE seconds, so someone at one kiosk gets through about 10 guesses every
 * 5-10 minutes: under 3,000 a day. A guess only checks someone in when it is the code of a
 * patient with a session running or about to start, perhaps 100 at a busy hour. With six
 * digits that is 1 in 10,000 per guess, about one stranger's check-in every few days of
 * steady guessing; with eight it is 1 in 1,000,000 per guess (a fraction of a percent a day),
 * while a code stays short enough to type from a card ("4821 0937"). */
#ifndef HAVEN_MODULES_KIOSK_H
#define HAVEN_MODULES_KIOSK_H

#include "core/err.h"
#include "http/req.h"
#include "http/router.h"

#define KIOSK_COOKIE "haven_kiosk"
/* Wrong codes a device takes in KIOSK_WINDOW seconds before it pauses for KIOSK_PAUSE. */
#define KIOSK_WRONG_LIMIT 10
#define KIOSK_WINDOW 600
#define KIOSK_PAUSE 300
/* A check-in takes the sessions that have begun or begin within this many minutes. */
#define KIOSK_EARLY_MINUTES 60

/* devices.c (administrators) */
enum err kiosk_devices_page(struct req *r); /* GET /staff/kiosks */
enum err kiosk_device_add(struct req *r);   /* POST /staff/kiosks: this browser becomes one */
enum err kiosk_revoke_page(struct req *r);  /* GET /staff/kiosks/:id/revoke: confirm */
enum err kiosk_revoke(struct req *r);       /* POST /staff/kiosks/:id/revoke */
/* A page's read audited ("view" of type id, with e's outcome): e, or E_DB without the page
 * when e was E_OK and the entry could not be written (no entry, no read). */
enum err kiosk_view_audited(struct req *r, const char *type, const char *id, enum err e);

/* code.c (clinicians, admissions, administrators) */
enum err kiosk_code_page(struct req *r);  /* GET /staff/patients/:id/checkin-code */
enum err kiosk_code_renew(struct req *r); /* POST /staff/patients/:id/checkin-code */

/* checkin.c (the device's cookie is the credential) */
enum err kiosk_page(struct req *r);    /* GET /kiosk */
enum err kiosk_checkin(struct req *r); /* POST /kiosk */
/* The Set-Cookie value that makes this browser the kiosk holding token (arena). */
const char *kiosk_cookie(struct req *r, const char *token);

/* routes.c: the module's table (modules/modules.c lists it). */
extern const struct route_table kiosk_routes;

#endif
