/* fhir_loinc: LOINC codes as tables, read top to bottom. Each code was checked against
 * LOINC's own published pages (LOINC 2.77-2.80); where LOINC has no code for an item (ASSIST,
 * ASQ, Haven's own questions) or we could not check one (AUDIT answer lists), there is none:
 * a code we cannot vouch for would make outside software file an answer under the wrong
 * question.
 *   72110-0 panel, its items and total 75624-7: https://loinc.org/72110-0 (panel hierarchy)
 *   72109-2 panel and total 75626-2:            https://loinc.org/75626-2 (member of panels)
 *   44249-1 items, total 44261-6:               https://loinc.org/69729-2 (PHQ-9 part, in
 *                                               order), https://loinc.org/44261-6
 *   69737-5 items, total 70274-6:               https://loinc.org/69729-2 (GAD-7 part, in
 *                                               order) and LOINC's Panels and Forms table
 *   answer list LL358-3 (0-3):                  https://loinc.org/LL358-3 */
#include "fhir/loinc.h"

#include <stddef.h>
#include <string.h>

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

struct row {
    const char *key;
    struct fhir_code code;
};

// clang-format off
static const struct row panels[] = {
    {"audit", {"72110-0", "Alcohol Use Disorder Identification Test [AUDIT]"}},
    {"audit-c", {"72109-2", "Alcohol Use Disorder Identification Test - Consumption [AUDIT-C]"}},
    {"phq9", {"44249-1", "PHQ-9 quick depression assessment panel [Reported.PHQ]"}},
    {"gad7", {"69737-5", "Generalized anxiety disorder 7 item (GAD-7)"}},
};

/* Questions: LOINC's display names differ in small ways from the sources' wording (which the
 * item's text carries), so only the code is given. */
static const struct row items[] = {
    {"audit-1", {"68518-0", NULL}},  {"audit-2", {"68519-8", NULL}},
    {"audit-3", {"68520-6", NULL}},  {"audit-4", {"97734-8", NULL}},
    {"audit-5", {"97735-5", NULL}},  {"audit-6", {"97736-3", NULL}},
    {"audit-7", {"97737-1", NULL}},  {"audit-8", {"97738-9", NULL}},
    {"audit-9", {"97739-7", NULL}},  {"audit-10", {"97740-5", NULL}},
    {"phq9-1", {"44250-9", NULL}},   {"phq9-2", {"44255-8", NULL}},
    {"phq9-3", {"44259-0", NULL}},   {"phq9-4", {"44254-1", NULL}},
    {"phq9-5", {"44251-7", NULL}},   {"phq9-6", {"44258-2", NULL}},
    {"phq9-7", {"44252-5", NULL}},   {"phq9-8", {"44253-3", NULL}},
    {"phq9-9", {"44260-8", NULL}},
    {"gad7-1", {"69725-0", NULL}},   {"gad7-2", {"68509-9", NULL}},
    {"gad7-3", {"69733-4", NULL}},   {"gad7-4", {"69734-2", NULL}},
    {"gad7-5", {"69735-9", NULL}},   {"gad7-6", {"69689-8", NULL}},
    {"gad7-7", {"69736-7", NULL}},
};

static const struct row totals[] = {
    {"audit", {"75624-7", "Total score [AUDIT]"}},
    {"audit_c", {"75626-2", "Total score [AUDIT-C]"}},
    {"phq9", {"44261-6", "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]"}},
    {"gad7", {"70274-6", "Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]"}},
};

/* LL358-3, indexed by score. LOINC's GAD-7 form binds item 2 (68509-9) to a list whose third
 * answer reads "More days than not"; the GAD-7 itself says "More than half the days" for all
 * seven items, and so does Haven, so every item uses LL358-3. */
static const struct fhir_code ll358_3[] = {
    {"LA6568-5", "Not at all"},
    {"LA6569-3", "Several days"},
    {"LA6570-1", "More than half the days"},
    {"LA6571-9", "Nearly every day"},
};
// clang-format on

static const struct fhir_code *lookup(const struct row *rows, size_t n, const char *key)
{
    for (size_t i = 0; key && i < n; i++)
        if (strcmp(rows[i].key, key) == 0)
            return &rows[i].code;
    return NULL;
}

const struct fhir_code *fhir_loinc_panel(const char *group)
{
    return lookup(panels, LEN(panels), group);
}

const struct fhir_code *fhir_loinc_item(const char *id)
{
    return lookup(items, LEN(items), id);
}

const struct fhir_code *fhir_loinc_total(const char *instrument)
{
    return lookup(totals, LEN(totals), instrument);
}

const struct fhir_code *fhir_loinc_answer(const char *id, int score)
{
    if (!id || score < 0 || (size_t)score >= LEN(ll358_3))
        return NULL;
    if (strncmp(id, "phq9-", 5) != 0 && strncmp(id, "gad7-", 5) != 0)
        return NULL;
    return fhir_loinc_item(id) ? &ll358_3[score] : NULL;
}
