/* clinic: the store's interface for the clinic's details (domain/clinic.h). */
#ifndef HAVEN_STORE_CLINIC_H
#define HAVEN_STORE_CLINIC_H

#include "core/err.h"
#include "domain/clinic.h"
#include "store/store.h"

struct audit_entry;

/* The details into out: the defaults (clinic_defaults) for what was never set. E_DB. */
enum err store_clinic_get(struct store *s, struct clinic *out);
/* Saves every field of c, and audit (may be NULL) in the same transaction. E_DB. */
enum err store_clinic_set(struct store *s, const struct clinic *c,
                          const struct audit_entry *audit);

#endif
