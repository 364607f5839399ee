/* store_admissions: the store's interface for the referral queue, call log, intake, patients and consents. */
#ifndef HAVEN_STORE_ADMISSIONS_H
#define HAVEN_STORE_ADMISSIONS_H

#include "store/store.h"

struct store_admissions_ops {
    const char *name;
};

#endif
