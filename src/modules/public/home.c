/* home: the program's public home page, with the tracks and their week from the store. */
#include "modules/public/public.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/xalloc.h"
#include "modules/public/clinic_view.h"
#include "store/store.h"
#include "web/app.h"
#include "web/view.h"

static const struct {
    const char *code;
    const char *label;
} session_kinds[] = {
    {"group", "Group therapy"},
    {"individual", "Individual therapy"},
    {"workshop", "Workshop"},
};

static const char *kind_label(const char *code)
{
    for (size_t i = 0; i < sizeof(session_kinds) / sizeof(session_kinds[0]); i++)
        if (strcmp(session_kinds[i].code, code) == 0)
            return session_kinds[i].label;
    return code;
}

/* "18:30" as the clinic says it: hour 6, minutes "30", pm. The page has one time format
 * (the track summaries read "9:00 am to 12:00 pm"). */
static void clock12(const char *hhmm, int *hour, const char **mins, const char **half)
{
    int h = (hhmm[0] - '0') * 10 + (hhmm[1] - '0');

    *half = h < 12 ? "am" : "pm";
    *hour = h % 12 == 0 ? 12 : h % 12;
    *mins = hhmm + 3;
}

/* "9:00–10:30 am"; "10:45 am–12:00 pm" when the range crosses noon. */
static void time_range(const char *from, const char *to, char *out, size_t n)
{
    int h1, h2;
    const char *m1, *m2, *p1, *p2;

    clock12(from, &h1, &m1, &p1);
    clock12(to, &h2, &m2, &p2);
    if (strcmp(p1, p2) == 0)
        snprintf(out, n, "%d:%.2s\xe2\x80\x93%d:%.2s %s", h1, m1, h2, m2, p2);
    else
        snprintf(out, n, "%d:%.2s %s\xe2\x80\x93%d:%.2s %s", h1, m1, p1, h2, m2, p2);
}

/* Adds display fields (time range, kind label) to the store's sessions. */
static void decorate(json_t *tracks)
{
    size_t i, j, k;
    json_t *track, *day, *session;

    json_array_foreach(tracks, i, track) {
        json_t *hours = json_object_get(track, "hours_per_week");
        json_object_set_new(track, "hours_per_week",
                            json_integer((json_int_t)(json_number_value(hours) + 0.5)));
        json_array_foreach(json_object_get(track, "days"), j, day) {
            json_array_foreach(json_object_get(day, "sessions"), k, session) {
                char range[48];
                time_range(json_string_value(json_object_get(session, "starts")),
                           json_string_value(json_object_get(session, "ends")), range,
                           sizeof(range));
                json_object_set_new(session, "time", json_string(range));
                json_object_set_new(
                    session, "kind",
                    json_string(kind_label(json_string_value(json_object_get(session, "kind")))));
            }
        }
    }
}

/* The home page depends only on the tracks, the schedule and the clinic's details (settings
 * rows), so each worker keeps the page it last built and rebuilds it when the database has
 * changed since (PRAGMA data_version, which an admin's save moves too). */
struct home_cache {
    long long version;
    char *html;
    size_t len;
};

static pthread_key_t cache_key;
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;

static void cache_free(void *p)
{
    struct home_cache *c = p;

    if (c)
        free(c->html);
    free(c);
}

static void cache_init(void)
{
    pthread_key_create(&cache_key, cache_free);
}

static struct home_cache *worker_cache(void)
{
    struct home_cache *c;

    pthread_once(&cache_once, cache_init);
    if (!(c = pthread_getspecific(cache_key))) {
        c = xcalloc(1, sizeof(*c));
        pthread_setspecific(cache_key, c);
    }
    return c;
}

static json_t *home_model(struct req *r)
{
    json_t *tracks = NULL, *contact;

    if (store_tracks_list(r->store, &tracks) != E_OK) {
        /* The page is still useful without the schedule. */
        log_warn("home: tracks unavailable");
        tracks = json_array();
    }
    decorate(tracks);
    contact = clinic_view_model(r, NULL);
    return json_pack("{s:s, s:b, s:b, s:o, s:b, s:o}", "title", "Intensive Outpatient Program",
                     "quick_exit", 1, "has_tracks", json_array_size(tracks) > 0, "tracks",
                     tracks, "has_contact", json_is_true(json_object_get(contact, "reachable")),
                     "contact", contact);
}

enum err home_page(struct req *r)
{
    struct home_cache *c = worker_cache();
    long long version;
    json_t *model;
    struct buf page = BUF_INIT;
    int rc;

    if (store_data_version(r->store, &version) != E_OK) {
        req_model(r, home_model(r)); /* uncached: the route's view renders it */
        return E_OK;
    }
    if (!c->html || c->version != version) {
        model = home_model(r);
        rc = model ? view_render_buf(r->app, "public/home", model, &page) : -1;
        json_decref(model);
        if (rc < 0) {
            buf_free(&page);
            r->message = "Please try again in a minute.";
            return E_DB;
        }
        free(c->html);
        c->html = buf_detach(&page, &c->len);
        c->version = version;
    }
    r->content_type = "text/html; charset=utf-8";
    buf_add(&r->out, c->html, c->len);
    return E_OK;
}
