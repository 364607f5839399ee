/* clinic: see clinic.h. The level codes are the assessment spec's (§5). */
#include "domain/clinic.h"

#include <stdio.h>
#include <string.h>

#include "core/utf8.h"
#include "domain/contact.h"

static const char *const keys[CLINIC_N_FIELDS] = {
    [CLINIC_NAME] = "clinic_name",       [CLINIC_PHONE] = "clinic_phone",
    [CLINIC_HOURS] = "clinic_hours",     [CLINIC_ADDRESS] = "clinic_address",
    [CLINIC_AFTER_HOURS] = "clinic_after_hours", [CLINIC_LEVELS] = "clinic_levels",
};

static const char *const levels[] = {"emergency", "medically-managed", "residential", "php",
                                     "iop", "outpatient", "early-intervention", NULL};

const char *clinic_key(enum clinic_field f)
{
    return f >= 0 && f < CLINIC_N_FIELDS ? keys[f] : NULL;
}

const char *clinic_get(const struct clinic *c, enum clinic_field f)
{
    switch (f) {
    case CLINIC_NAME: return c->name;
    case CLINIC_PHONE: return c->phone;
    case CLINIC_HOURS: return c->hours;
    case CLINIC_ADDRESS: return c->address;
    case CLINIC_AFTER_HOURS: return c->after_hours;
    case CLINIC_LEVELS: return c->levels;
    case CLINIC_N_FIELDS: break;
    }
    return NULL;
}

void clinic_set(struct clinic *c, enum clinic_field f, const char *v)
{
    size_t n = 0;

    if (!v)
        v = "";
    switch (f) {
    case CLINIC_NAME: snprintf(c->name, sizeof(c->name), "%s", v); break;
    case CLINIC_PHONE:
        snprintf(c->phone, sizeof(c->phone), "%s", v);
        for (const char *p = v; *p && n < sizeof(c->phone_digits) - 1; p++)
            if (*p >= '0' && *p <= '9')
                c->phone_digits[n++] = *p;
        c->phone_digits[n] = '\0';
        break;
    case CLINIC_HOURS: snprintf(c->hours, sizeof(c->hours), "%s", v); break;
    case CLINIC_ADDRESS: snprintf(c->address, sizeof(c->address), "%s", v); break;
    case CLINIC_AFTER_HOURS: snprintf(c->after_hours, sizeof(c->after_hours), "%s", v); break;
    case CLINIC_LEVELS: snprintf(c->levels, sizeof(c->levels), "%s", v); break;
    case CLINIC_N_FIELDS: break;
    }
}

void clinic_defaults(struct clinic *c)
{
    memset(c, 0, sizeof(*c));
    clinic_set(c, CLINIC_NAME, "Pecan Haven");
    clinic_set(c, CLINIC_LEVELS, "php,iop,outpatient,early-intervention");
}

static bool known_level(const char *s, size_t n)
{
    for (size_t i = 0; levels[i]; i++)
        if (strlen(levels[i]) == n && strncmp(levels[i], s, n) == 0)
            return true;
    return false;
}

static const char *text_problem(const char *v, size_t max, bool multiline)
{
    unsigned long cp;
    size_t n = strlen(v), len;

    if (n > max)
        return "This is too long; please shorten it.";
    for (const char *p = v; n; p += len, n -= len) {
        if (!(len = utf8_decode(p, n, &cp)))
            return "Some characters could not be read; please type it again.";
        if ((cp < 0x20 && !(multiline && (cp == '\n' || cp == '\r'))) || cp == 0x7f ||
            utf8_is_format(cp))
            return "Please remove the special characters.";
    }
    return NULL;
}

const char *clinic_problem(enum clinic_field f, const char *v)
{
    char digits[CONTACT_PHONE_DIGITS + 1];

    if (!v)
        v = "";
    switch (f) {
    case CLINIC_NAME:
        return *v ? contact_name_problem(v) : "Enter the clinic's name.";
    case CLINIC_PHONE:
        return *v ? contact_phone_problem(v, digits)
                  : "Enter the admissions phone number people can call.";
    case CLINIC_HOURS: return text_problem(v, CLINIC_HOURS_MAX, false);
    case CLINIC_ADDRESS: return text_problem(v, CLINIC_ADDRESS_MAX, true);
    case CLINIC_AFTER_HOURS: return text_problem(v, CLINIC_AFTER_HOURS_MAX, true);
    case CLINIC_LEVELS:
        if (strlen(v) > CLINIC_LEVELS_MAX)
            return "Choose from the levels of care listed.";
        for (const char *p = v; *p;) {
            size_t n = strcspn(p, ",");
            if (!known_level(p, n))
                return "Choose from the levels of care listed.";
            p += n + (p[n] == ',');
        }
        return NULL;
    case CLINIC_N_FIELDS: break;
    }
    return "Unknown field.";
}

bool clinic_offers(const struct clinic *c, const char *level)
{
    size_t len = level ? strlen(level) : 0;

    for (const char *p = c->levels; len && *p;) {
        size_t n = strcspn(p, ",");
        if (n == len && strncmp(p, level, n) == 0)
            return true;
        p += n + (p[n] == ',');
    }
    return false;
}
