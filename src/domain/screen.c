/* screen: a drug screen's lists and the unexpected-positive rule, as domain/screen.h states. */
#include "domain/screen.h"

#include <stdio.h>
#include <string.h>

static const struct {
    const char *code, *label;
} panel[SCREEN_N_PANEL] = {
    { "alcohol", "Alcohol" },
    { "amphetamines", "Amphetamines" },
    { "benzodiazepines", "Benzodiazepines" },
    { "buprenorphine", "Buprenorphine" },
    { "cannabinoids", "Cannabinoids (THC)" },
    { "cocaine", "Cocaine" },
    { "fentanyl", "Fentanyl" },
    { "methadone", "Methadone" },
    { "methamphetamine", "Methamphetamine" },
    { "opiates", "Opiates" },
    { "oxycodone", "Oxycodone" },
};

static const struct {
    const char *code, *label;
} specimens[SCREEN_N_SPECIMENS] = { { "urine", "Urine" },
                                    { "oral-fluid", "Oral fluid" },
                                    { "breath", "Breath" } };

static const char *const results[SCREEN_N_RESULTS] = { "negative", "positive", "invalid" };

static const struct {
    const char *code, *label;
} lab_names[SCREEN_N_LABS] = { { "none", "Not sent to a lab" },
                               { "pending", "Sent, result pending" },
                               { "confirmed", "Confirmed by the lab" },
                               { "not-confirmed", "Not confirmed by the lab" } };

const char *screen_panel(size_t i)
{
    return i < SCREEN_N_PANEL ? panel[i].code : NULL;
}

const char *screen_panel_label(size_t i)
{
    return i < SCREEN_N_PANEL ? panel[i].label : NULL;
}

bool screen_in_panel(const char *name)
{
    return screen_is(screen_panel, SCREEN_N_PANEL, name);
}

const char *screen_specimen(size_t i)
{
    return i < SCREEN_N_SPECIMENS ? specimens[i].code : NULL;
}

const char *screen_specimen_label(const char *code)
{
    for (size_t i = 0; code && i < SCREEN_N_SPECIMENS; i++)
        if (!strcmp(specimens[i].code, code))
            return specimens[i].label;
    return code;
}

const char *screen_result(size_t i)
{
    return i < SCREEN_N_RESULTS ? results[i] : NULL;
}

const char *screen_lab(size_t i)
{
    return i < SCREEN_N_LABS ? lab_names[i].code : NULL;
}

const char *screen_lab_label(const char *code)
{
    for (size_t i = 0; code && i < SCREEN_N_LABS; i++)
        if (!strcmp(lab_names[i].code, code))
            return lab_names[i].label;
    return code;
}

bool screen_is(const char *(*f)(size_t), size_t n, const char *code)
{
    for (size_t i = 0; code && i < n; i++)
        if (!strcmp(f(i), code))
            return true;
    return false;
}

/* Case-insensitive ASCII equality: "Cocaine" typed as another substance is the panel's. */
static bool same_name(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a >= 'A' && *a <= 'Z' ? (char)(*a + 32) : *a;
        char y = *b >= 'A' && *b <= 'Z' ? (char)(*b + 32) : *b;
        if (x != y)
            return false;
    }
    return *a == *b;
}

const char *screen_panel_of(const char *name)
{
    for (size_t i = 0; name && i < SCREEN_N_PANEL; i++)
        if (same_name(panel[i].code, name))
            return panel[i].code;
    return NULL;
}

int screen_check_results(const struct screen_result *r, size_t n, size_t *at, const char **why)
{
    *at = 0;
    if (n == 0) {
        *why = "Record at least one substance's result.";
        return -1;
    }
    if (n > SCREEN_RESULTS_MAX) {
        *why = "Too many substances for one screen.";
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        *at = i;
        if (!r[i].substance[0]) {
            *why = "Name the other substance.";
            return -1;
        }
        if (!screen_is(screen_result, SCREEN_N_RESULTS, r[i].result)) {
            *why = "Choose negative, positive or invalid.";
            return -1;
        }
        for (size_t k = 0; k < i; k++)
            if (same_name(r[k].substance, r[i].substance)) {
                *why = "Each substance once: this one is already on the screen.";
                return -1;
            }
    }
    return 0;
}

bool screen_unexpected(const struct screen_result *r)
{
    return !strcmp(r->result, "positive") && !r->expected;
}

bool screen_alert_detail(const struct screen_result *r, size_t n, char *out, size_t size)
{
    size_t len = 0;
    int k = 0;

    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (!screen_unexpected(&r[i]))
            continue;
        int w = snprintf(out + len, size - len, "%s%s",
                         k++ ? ", " : "Unexpected positive: ", r[i].substance);
        if (w < 0 || (size_t)w >= size - len) {
            /* The detail is bounded (400 bytes): what does not fit is on the screen itself. */
            out[len] = '\0';
            break;
        }
        len += (size_t)w;
    }
    return k > 0;
}
