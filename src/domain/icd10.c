/* icd10: the code list of icd10.h, copied from the CMS ICD-10-CM tabular list (FY2025, FY2026:
 * these titles did not change between them), and the DSM-5-TR severity mapping over it. */
#include "domain/icd10.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* In code order. The .11 codes of F10-F19 date from FY2021. */
static const struct icd10_code codes[] = {
    {"F10.10", "Alcohol abuse, uncomplicated"},
    {"F10.11", "Alcohol abuse, in remission"},
    {"F10.20", "Alcohol dependence, uncomplicated"},
    {"F10.21", "Alcohol dependence, in remission"},
    {"F11.10", "Opioid abuse, uncomplicated"},
    {"F11.11", "Opioid abuse, in remission"},
    {"F11.20", "Opioid dependence, uncomplicated"},
    {"F11.21", "Opioid dependence, in remission"},
    {"F12.10", "Cannabis abuse, uncomplicated"},
    {"F12.11", "Cannabis abuse, in remission"},
    {"F12.20", "Cannabis dependence, uncomplicated"},
    {"F12.21", "Cannabis dependence, in remission"},
    {"F13.10", "Sedative, hypnotic or anxiolytic abuse, uncomplicated"},
    {"F13.11", "Sedative, hypnotic or anxiolytic abuse, in remission"},
    {"F13.20", "Sedative, hypnotic or anxiolytic dependence, uncomplicated"},
    {"F13.21", "Sedative, hypnotic or anxiolytic dependence, in remission"},
    {"F14.10", "Cocaine abuse, uncomplicated"},
    {"F14.11", "Cocaine abuse, in remission"},
    {"F14.20", "Cocaine dependence, uncomplicated"},
    {"F14.21", "Cocaine dependence, in remission"},
    {"F15.10", "Other stimulant abuse, uncomplicated"},
    {"F15.11", "Other stimulant abuse, in remission"},
    {"F15.20", "Other stimulant dependence, uncomplicated"},
    {"F15.21", "Other stimulant dependence, in remission"},
    {"F16.10", "Hallucinogen abuse, uncomplicated"},
    {"F16.11", "Hallucinogen abuse, in remission"},
    {"F16.20", "Hallucinogen dependence, uncomplicated"},
    {"F16.21", "Hallucinogen dependence, in remission"},
    {"F17.200", "Nicotine dependence, unspecified, uncomplicated"},
    {"F17.201", "Nicotine dependence, unspecified, in remission"},
    {"F17.210", "Nicotine dependence, cigarettes, uncomplicated"},
    {"F17.211", "Nicotine dependence, cigarettes, in remission"},
    {"F17.220", "Nicotine dependence, chewing tobacco, uncomplicated"},
    {"F17.221", "Nicotine dependence, chewing tobacco, in remission"},
    {"F17.290", "Nicotine dependence, other tobacco product, uncomplicated"},
    {"F17.291", "Nicotine dependence, other tobacco product, in remission"},
    {"F18.10", "Inhalant abuse, uncomplicated"},
    {"F18.11", "Inhalant abuse, in remission"},
    {"F18.20", "Inhalant dependence, uncomplicated"},
    {"F18.21", "Inhalant dependence, in remission"},
    {"F19.10", "Other psychoactive substance abuse, uncomplicated"},
    {"F19.11", "Other psychoactive substance abuse, in remission"},
    {"F19.20", "Other psychoactive substance dependence, uncomplicated"},
    {"F19.21", "Other psychoactive substance dependence, in remission"},
    {"F32.0", "Major depressive disorder, single episode, mild"},
    {"F32.1", "Major depressive disorder, single episode, moderate"},
    {"F32.2", "Major depressive disorder, single episode, severe without psychotic features"},
    {"F32.3", "Major depressive disorder, single episode, severe with psychotic features"},
    {"F32.4", "Major depressive disorder, single episode, in partial remission"},
    {"F32.5", "Major depressive disorder, single episode, in full remission"},
    {"F32.9", "Major depressive disorder, single episode, unspecified"},
    {"F32.A", "Depression, unspecified"},
    {"F33.0", "Major depressive disorder, recurrent, mild"},
    {"F33.1", "Major depressive disorder, recurrent, moderate"},
    /* Both as CMS prints them: no comma before "severe", "symptoms" not "features". */
    {"F33.2", "Major depressive disorder, recurrent severe without psychotic features"},
    {"F33.3", "Major depressive disorder, recurrent, severe with psychotic symptoms"},
    {"F33.40", "Major depressive disorder, recurrent, in remission, unspecified"},
    {"F33.41", "Major depressive disorder, recurrent, in partial remission"},
    {"F33.42", "Major depressive disorder, recurrent, in full remission"},
    {"F33.8", "Other recurrent depressive disorders"},
    {"F33.9", "Major depressive disorder, recurrent, unspecified"},
    {"F41.0", "Panic disorder [episodic paroxysmal anxiety]"},
    {"F41.1", "Generalized anxiety disorder"},
    {"F41.9", "Anxiety disorder, unspecified"},
    {"F43.10", "Post-traumatic stress disorder, unspecified"},
    {"F43.11", "Post-traumatic stress disorder, acute"},
    {"F43.12", "Post-traumatic stress disorder, chronic"},
    /* DSM-5-TR's code for a mild tobacco use disorder. */
    {"Z72.0", "Tobacco use"},
};

#define N_CODES (sizeof(codes) / sizeof(codes[0]))

const struct icd10_code *icd10_at(size_t i)
{
    return i < N_CODES ? &codes[i] : NULL;
}

size_t icd10_count(void)
{
    return N_CODES;
}

const struct icd10_code *icd10_find(const char *code)
{
    for (size_t i = 0; code && i < N_CODES; i++)
        if (!strcmp(codes[i].code, code))
            return &codes[i];
    return NULL;
}

bool icd10_well_formed(const char *t)
{
    size_t n = 0;

    if (!t || !isupper((unsigned char)t[0]) || !isdigit((unsigned char)t[1]) ||
        !isdigit((unsigned char)t[2]))
        return false;
    if (!t[3])
        return true;
    if (t[3] != '.')
        return false;
    for (t += 4; isdigit((unsigned char)*t) || isupper((unsigned char)*t); t++)
        n++;
    return !*t && n >= 1 && n <= 4;
}

/* Whether the query (its dot dropped) starts the code (its dot dropped), ignoring case. */
static bool code_starts(const char *code, const char *q)
{
    for (;;) {
        if (*q == '.')
            q++;
        if (*code == '.')
            code++;
        if (!*q)
            return true;
        if (!*code || toupper((unsigned char)*q) != toupper((unsigned char)*code))
            return false;
        q++;
        code++;
    }
}

/* Whether word (len bytes) occurs in title, ignoring ASCII case. */
static bool title_has(const char *title, const char *word, size_t len)
{
    for (; *title; title++)
        if (strlen(title) >= len && !strncasecmp(title, word, len))
            return true;
    return false;
}

bool icd10_matches(const struct icd10_code *c, const char *query)
{
    const char *p = query ? query : "";
    size_t len;

    while (*p == ' ')
        p++;
    if (!*p)
        return true;
    if (!strchr(p, ' ') && code_starts(c->code, p))
        return true;
    while (*p) {
        len = strcspn(p, " ");
        if (len && !title_has(c->title, p, len))
            return false;
        p += len;
        while (*p == ' ')
            p++;
    }
    return true;
}

const struct icd10_code *icd10_use_disorder(const char *family, enum icd10_severity sev,
                                            bool remission)
{
    char code[ICD10_CODE_MAX + 1];

    if (!family || strlen(family) != 3 || strncmp(family, "F1", 2) ||
        !isdigit((unsigned char)family[2]))
        return NULL;
    if (!strcmp(family, "F17")) {
        if (sev == ICD10_MILD)
            return remission ? NULL : icd10_find("Z72.0");
        return icd10_find(remission ? "F17.201" : "F17.200");
    }
    snprintf(code, sizeof(code), "%s.%c%c", family, sev == ICD10_MILD ? '1' : '2',
             remission ? '1' : '0');
    return icd10_find(code);
}
