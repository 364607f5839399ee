/* clinic_view: the clinic's details as the public pages show them (home, every result, the
 * thank-you page), so a person always has someone to reach. */
#ifndef HAVEN_CLINIC_VIEW_H
#define HAVEN_CLINIC_VIEW_H

#include <jansson.h>

#include "domain/clinic.h"
#include "http/req.h"

/* Reads the details (store/clinic.h) into *c (may be NULL) and returns the model of what is
 * filled in: name, phone and phone_digits (for tel:), hours, address, after_hours; empty fields
 * are left out; "reachable" is true when anything beyond the name is filled in. When the store
 * fails the defaults stand in (the page still shows). New reference. */
json_t *clinic_view_model(struct req *r, struct clinic *c);

#endif
