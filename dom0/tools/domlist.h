/*
 * The table mica-list prints, as pure functions so the unit tests can
 * check it on the host (test/unit/test_domlist.c). The layout follows
 * `xl list`: Name, ID, Mem (MiB), VCPUs, State, Time(s).
 */
#ifndef MICA_DOM0_DOMLIST_H
#define MICA_DOM0_DOMLIST_H

#include <stddef.h>
#include <public/domctl.h>

/* Six state letters (r b p s c d, '-' when not), like xl, and a NUL. */
#define DOMLIST_STATE_LEN 7

/* The header line, without a newline. */
const char *domlist_header(void);

/* The state letters of a domain's MICA_DOMINF_* flags and reason. */
void domlist_state(const struct mica_domaininfo *info,
                   char out[DOMLIST_STATE_LEN]);

/*
 * One row for `info`, without a newline, into out[size]. Returns the
 * length snprintf would have written (>= size means it was cut short).
 */
int domlist_row(const struct mica_domaininfo *info, char *out, size_t size);

#endif /* MICA_DOM0_DOMLIST_H */
