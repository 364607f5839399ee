/* clinic: the clinic's own details, which an administrator edits and the public pages show so
 * that a person always has someone to reach: its name, the admissions phone, the hours it
 * answers, its address, what to do after hours, and the levels of care it offers (anything
 * else the self-assessment suggests is a referral elsewhere). Pure: the rules of each field. */
#ifndef HAVEN_CLINIC_H
#define HAVEN_CLINIC_H

#include <stdbool.h>
#include <stddef.h>

#define CLINIC_NAME_MAX 100
#define CLINIC_HOURS_MAX 200
#define CLINIC_ADDRESS_MAX 200
#define CLINIC_AFTER_HOURS_MAX 500
#define CLINIC_LEVELS_MAX 128

struct clinic {
    char name[CLINIC_NAME_MAX + 1];
    char phone[32 + 1];             /* as shown: "(555) 010-0100" */
    char phone_digits[15 + 1];      /* for the tel: link */
    char hours[CLINIC_HOURS_MAX + 1];
    char address[CLINIC_ADDRESS_MAX + 1];
    char after_hours[CLINIC_AFTER_HOURS_MAX + 1];
    /* Level codes it offers (assessment spec §5), comma-separated: "php,iop,outpatient". */
    char levels[CLINIC_LEVELS_MAX + 1];
};

/* The settings keys the details are kept under, in the order of the fields above (without
 * phone_digits, which is derived). */
enum clinic_field {
    CLINIC_NAME,
    CLINIC_PHONE,
    CLINIC_HOURS,
    CLINIC_ADDRESS,
    CLINIC_AFTER_HOURS,
    CLINIC_LEVELS,
    CLINIC_N_FIELDS,
};
const char *clinic_key(enum clinic_field f);
/* The field's text in c (NULL out of range). */
const char *clinic_get(const struct clinic *c, enum clinic_field f);
/* Sets a field (truncating to its room); phone_digits follows the phone. */
void clinic_set(struct clinic *c, enum clinic_field f, const char *value);
/* What a clinic starts with before an administrator fills it in: the name alone, and the
 * outpatient levels an IOP program offers. */
void clinic_defaults(struct clinic *c);

/* Why a value cannot be the field's, as a sentence, or NULL. Name and phone are required
 * (domain/contact rules); hours, address and after-hours text are optional, bounded, one
 * paragraph; levels must be known level codes. */
const char *clinic_problem(enum clinic_field f, const char *value);
/* True when the clinic offers level (a level code of the assessment). */
bool clinic_offers(const struct clinic *c, const char *level);

#endif
