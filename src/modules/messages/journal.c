/* journal: the journal entries a patient chose to share, on the chart
 * (/staff/patients/:id/journal): clinicians and medical staff read them; private entries are
 * never read here (the store returns only shared ones) and no staff route changes or deletes
 * an entry. The read is audited as a view of the patient's journal. */
#include "modules/messages/messages.h"

#include <stdio.h>

#include "store/journal.h"
#include "store/measures.h"
#include "web/audit.h"
#include "web/view.h"

enum err messages_journal(struct req *r)
{
    const char *id = req_param(r, "id");
    struct measures_patient p;
    json_t *m, *list = NULL;
    char title[300];
    enum err e;

    if ((e = store_measures_patient(r->store, id, &p)) != E_OK ||
        (e = store_journal_list(r->store, p.id, true, &list)) != E_OK) {
        audit_record(r, "view", "journal", id, audit_outcome(e));
        if (e == E_NOTFOUND)
            r->message = "There is no such patient.";
        return e == E_NOTFOUND ? e : E_DB;
    }
    snprintf(title, sizeof(title), "Journal: %s %s", p.first_name, p.last_name);
    m = req_model(r, view_staff_model(r, title));
    json_object_set_new(m, "patient", json_pack("{s:s, s:s, s:s}", "public_id", p.public_id,
                                                "first_name", p.first_name, "last_name",
                                                p.last_name));
    json_object_set_new(m, "has_entries", json_boolean(json_array_size(list) > 0));
    json_object_set_new(m, "entries", list);
    if (audit_record(r, "view", "journal", p.public_id, "ok") < 0) {
        r->model = NULL;
        r->message = AUDIT_UNRECORDED;
        return E_DB;
    }
    return E_OK;
}
