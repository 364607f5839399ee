/* page: the metrics text. The store's gauges are read at scrape time (two counts on the open
 * queue's index); when the database cannot answer they are left out, so the scrape still
 * shows the rest and a missing series says what is wrong. */
#include "modules/metrics/metrics.h"

#include "core/log.h"
#include "http/metrics.h"
#include "http/resp.h"
#include "store/admissions.h"

enum err metrics_page(struct req *r)
{
    long open, crisis;

    metrics_write(&r->out);
    if (store_adm_queue_sizes(r->store, &open, &crisis) == E_OK) {
        metrics_gauge(&r->out, "haven_admissions_open_referrals",
                      "Referrals in the admissions queue (new, contacted, intake scheduled).",
                      (double)open);
        metrics_gauge(&r->out, "haven_admissions_crisis_waiting",
                      "Crisis call requests nobody has reached yet.", (double)crisis);
    } else {
        log_error("metrics: the admissions queue could not be counted");
    }
    r->content_type = "text/plain; version=0.0.4; charset=utf-8";
    resp_header(r, "Cache-Control", "no-store");
    return E_OK;
}
