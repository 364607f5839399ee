/* bands: score bands of the instruments (spec/assessment.md §1): AUDIT zones, ASSIST risk,
 * PHQ-9 and GAD-7 severity. Each is a table of lower bounds read top to bottom. */
#ifndef HAVEN_BANDS_H
#define HAVEN_BANDS_H

struct band {
    int min;          /* lowest score in the band */
    const char *name; /* spec band id: "hazardous", "moderate", ... */
    int zone;         /* WHO zone (AUDIT only); else 0 */
};

/* The band `score` falls in; scores below every band get the first one. Static data. */
const struct band *bands_audit(int score);
const struct band *bands_assist(int score);
const struct band *bands_phq9(int score);
const struct band *bands_gad7(int score);

#endif
