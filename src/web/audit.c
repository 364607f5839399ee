/* audit: placeholder until the audit module lands (it owns this file). */
#include "web/audit.h"

int audit_record(struct req *r, const char *action, const char *record_type,
                 const char *record_id, const char *outcome)
{
    (void)r, (void)action, (void)record_type, (void)record_id, (void)outcome;
    return 0;
}
