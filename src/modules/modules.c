/* modules: the order in which the route tables are searched. */
#include "modules/modules.h"

#include "modules/account/account.h"
#include "modules/admissions/admissions.h"
#include "modules/audit/audit.h"
#include "modules/calendar/calendar.h"
#include "modules/kiosk/kiosk.h"
#include "modules/measures/measures.h"
#include "modules/messages/messages.h"
#include "modules/notes/notes.h"
#include "modules/patients/patients.h"
#include "modules/plans/plans.h"
#include "modules/portal/portal.h"
#include "modules/program/program.h"
#include "modules/screens/screens.h"
#include "modules/tracks/tracks.h"
#include "modules/public/public.h"
#include "modules/recovery/recovery.h"
#include "modules/reports/reports.h"
#include "modules/users/users.h"

const struct route_table *const modules_routes[] = {
    /* The staff menu follows this order too: home, calendar, queue, patients, tracks, reports,
     * audit trail, users, kiosks. */
    &public_routes,
    &account_routes,
    &calendar_routes,
    &admissions_routes,
    &patients_routes,
    &tracks_routes,
    &reports_routes,
    &audit_routes,
    &users_routes,
    &kiosk_routes,
    &measures_routes,
    &program_routes,
    &plans_routes,
    &notes_routes,
    &portal_routes,
    &screens_routes,
    &messages_routes,
    &recovery_routes,
    NULL,
};

int modules_init(const struct app *app)
{
    return public_init(app);
}

void modules_free(void)
{
    public_free();
}
