/* screen: the rules of a drug screen (issue 10, migration 0020's drug_screens): the specimens,
 * the panel of substances a clinic tests for, the results, the lab confirmation, and which
 * positives are unexpected (a positive that no prescribed medication explains raises a clinical
 * alert). Pure: no I/O; the store writes what these accept. Results never change once entered:
 * a wrong entry is corrected by a new screen with a comment. */
#ifndef HAVEN_SCREEN_H
#define HAVEN_SCREEN_H

#include <stdbool.h>
#include <stddef.h>

#define SCREEN_SUBSTANCE_MAX 60 /* bytes of a substance's name (migration 0020) */
#define SCREEN_COMMENT_MAX 1200 /* bytes of a comment */
#define SCREEN_RESULTS_MAX 16   /* the panel and a few others */

/* The panel, in the order a form lists it: "alcohol" ... "oxycodone" (SCREEN_N_PANEL), each with
 * its label for a person. */
#define SCREEN_N_PANEL 11
const char *screen_panel(size_t i);
const char *screen_panel_label(size_t i);
/* Whether name is one of the panel's substances. */
bool screen_in_panel(const char *name);
/* The panel's code of a name typed as "other" ("Cocaine": "cocaine", ASCII case folded), or
 * NULL: so that a panel substance is always stored under its code. */
const char *screen_panel_of(const char *name);

/* "urine", "oral-fluid", "breath" (SCREEN_N_SPECIMENS), their labels. */
#define SCREEN_N_SPECIMENS 3
const char *screen_specimen(size_t i);
const char *screen_specimen_label(const char *code);
/* "negative", "positive", "invalid". */
#define SCREEN_N_RESULTS 3
const char *screen_result(size_t i);
/* "none", "pending", "confirmed", "not-confirmed" and their labels. */
#define SCREEN_N_LABS 4
const char *screen_lab(size_t i);
const char *screen_lab_label(const char *code);
/* Whether code is in the list of n names that f gives. */
bool screen_is(const char *(*f)(size_t), size_t n, const char *code);

/* One substance's result as entered. */
struct screen_result {
    char substance[SCREEN_SUBSTANCE_MAX + 1];
    const char *result; /* one of screen_result() */
    bool expected;      /* a prescribed medication explains a positive */
};

/* Checks a screen's results: at least one, each substance once (an "other" substance named,
 * 1-60 bytes, not a panel name in disguise), each result one of the three. 0, or -1 with *at the
 * index of the result at fault and *why a sentence for a person. */
int screen_check_results(const struct screen_result *r, size_t n, size_t *at, const char **why);
/* Whether r is an unexpected positive: positive and not explained by a prescription. */
bool screen_unexpected(const struct screen_result *r);
/* The alert's detail for the unexpected positives of r (n results) into out (size bytes,
 * >= 64): "Unexpected positive: cocaine, fentanyl". False when there is none. */
bool screen_alert_detail(const struct screen_result *r, size_t n, char *out, size_t size);

#endif
