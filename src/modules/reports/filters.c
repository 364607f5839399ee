/* filters: what the report pages share: their model (the staff frame and the tab shown), the
 * query's values kept for the filter form, and the track filter with every track to choose. */
#include "modules/reports/reports.h"

#include <string.h>

#include "modules/tracks/tracks.h"
#include "store/program.h"
#include "web/view.h"

json_t *reports_model(struct req *r, const char *title, const char *tab)
{
    json_t *m = view_staff_model(r, title);

    json_object_set_new(m, "tab", json_pack("{s:b}", tab, 1));
    return m;
}

const char *reports_query(struct form *f, const char *name)
{
    const char *v = req_query(f->r, name);
    size_t n;

    while (v && *v == ' ')
        v++;
    n = v ? strlen(v) : 0;
    while (n && v[n - 1] == ' ')
        n--;
    json_object_set_new(json_object_get(f->m, "form"), name,
                        json_stringn(v ? v : "", n));
    return n ? arena_strndup(f->r->arena, v, n) : NULL;
}

enum err reports_track_filter(struct form *f, const char **track_id)
{
    const char *want = reports_query(f, "track");
    json_t *tracks = NULL, *options = json_array(), *codes = json_object(), *t;
    size_t i;

    *track_id = NULL;
    if (store_track_list(f->r->store, tracks_today(), &tracks) != E_OK) {
        json_decref(options);
        json_decref(codes);
        return E_DB;
    }
    json_array_foreach(tracks, i, t)
    {
        const char *id = json_string_value(json_object_get(t, "id"));
        bool chosen = want && !strcmp(want, id);
        json_array_append_new(
            options, json_pack("{s:s, s:s, s:s, s:b}", "value", id, "code",
                               json_string_value(json_object_get(t, "code")), "label",
                               json_string_value(json_object_get(t, "name")), "selected", chosen));
        json_object_set(codes, id, json_object_get(t, "code"));
        if (chosen)
            *track_id = arena_strdup(f->r->arena, id);
    }
    json_decref(tracks);
    json_object_set_new(f->m, "track_options", options);
    json_object_set_new(f->m, "track_codes", codes);
    if (want && !*track_id)
        form_problem(f, "track", "There is no such track: choose one from the list.");
    return E_OK;
}
