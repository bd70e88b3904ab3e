/*
 * Log-dirty mode: which of a domain's frames may have changed since the
 * toolstack last looked (for save and live migration). See
 * docs/domctl.md for the design and what it covers.
 *
 * The bitmap itself (struct ld_bitmap, common/logdirty_bitmap.c) is pure
 * logic and unit-tested; common/logdirty.c is the glue: where the bitmap
 * lives, which writes mark it, and the domctl sub-op.
 */
#ifndef MICA_LOGDIRTY_H
#define MICA_LOGDIRTY_H

#include <mica/env.h>

struct ld_bitmap
{
    uint64_t *words;            /* nr_bits bits, bit n = pfn n */
    uint32_t nr_bits;
    uint32_t dirty;             /* bits set */
    uint32_t overflow;          /* marks of pfns >= nr_bits since clear */
};

/* Bytes that hold nr_bits bits, in whole 64-bit words. */
size_t ld_bytes(uint32_t nr_bits);
/* Start empty over `words` (ld_bytes(nr_bits) of them). */
void ld_init(struct ld_bitmap *b, uint64_t *words, uint32_t nr_bits);
/* Record pfn as dirty; a pfn outside the bitmap counts as overflow. */
void ld_mark(struct ld_bitmap *b, uint64_t pfn);
bool ld_test(const struct ld_bitmap *b, uint64_t pfn);
/* Forget everything (after a clean). */
void ld_clear(struct ld_bitmap *b);
/* Bytes to copy out to a reader whose buffer holds nr_bits bits. */
size_t ld_copy_bytes(const struct ld_bitmap *b, uint32_t nr_bits);

struct domain;
struct mica_domctl_logdirty;

/* The frame `mfn` of d may change: mark it if d is in log-dirty mode. */
void paging_mark_dirty(struct domain *d, unsigned long mfn);
/* The sub-op (copy-out of the bitmap included). */
long logdirty_domctl(struct domain *d, struct mica_domctl_logdirty *op);
/* Leave log-dirty mode and free the bitmap (domain destruction). */
void logdirty_disable(struct domain *d);

#endif /* MICA_LOGDIRTY_H */
