/* icd10: the ICD-10-CM codes a clinician may put on an IOP patient's chart, as data: the
 * substance-use codes of F10-F19 that DSM-5-TR maps its use-disorder severities to, and the
 * common co-occurring depression, anxiety and PTSD codes, each with its CMS tabular title
 * (FY2025/FY2026). Pure; the table is read-only and safe from any thread. */
#ifndef HAVEN_ICD10_H
#define HAVEN_ICD10_H

#include <stdbool.h>
#include <stddef.h>

/* One code: "F10.20", and its CMS title, "Alcohol dependence, uncomplicated". */
struct icd10_code {
    const char *code;
    const char *title;
};

/* DSM-5-TR's severity specifiers of a substance use disorder. */
enum icd10_severity { ICD10_MILD, ICD10_MODERATE, ICD10_SEVERE };

#define ICD10_CODE_MAX 8 /* "F17.210" and room: migration 0020 allows 3 to 8 characters */

/* The codes in table order (families in code order): NULL past the last. */
const struct icd10_code *icd10_at(size_t i);
size_t icd10_count(void);
/* The code named exactly (case as listed: "F10.20"), or NULL. */
const struct icd10_code *icd10_find(const char *code);
/* Whether text has the form of an ICD-10-CM code: a letter, two digits, then optionally a dot
 * and 1 to 4 letters or digits ("F10", "F10.20", "F17.210", "F32.A"). */
bool icd10_well_formed(const char *text);
/* Whether the code matches what a person typed to find it: the start of the code (any case,
 * the dot optional: "f1020", "F10.2") or every word of query found in the title (any case:
 * "alcohol depend"). An empty query matches everything. */
bool icd10_matches(const struct icd10_code *c, const char *query);

/* The code DSM-5-TR gives a use disorder of family ("F10" alcohol ... "F19" other or unknown
 * substance) at a severity, in remission or not: mild -> Fxx.10 (abuse, uncomplicated) or
 * Fxx.11 (abuse, in remission); moderate or severe -> Fxx.20 (dependence, uncomplicated) or
 * Fxx.21 (dependence, in remission). Tobacco (F17) has dependence codes only: moderate or
 * severe -> F17.200 / F17.201 (unspecified product), mild -> Z72.0 (tobacco use), which has no
 * remission form. NULL for a family not in the list or a combination with no code. */
const struct icd10_code *icd10_use_disorder(const char *family, enum icd10_severity sev,
                                            bool remission);

#endif
