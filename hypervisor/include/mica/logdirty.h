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
struct vcpu;
struct mica_domctl_logdirty;

/* d is in log-dirty mode and sees the stores themselves (protection keys). */
bool logdirty_precise(const struct domain *d);

/* The arch half (arch/x86/mm/logdirty_pk.c). */
enum ld_walk
{
    LD_PROTECT,         /* mark every writable own-RAM L1 entry clean */
    LD_UNPROTECT,       /* remove the marks */
    LD_MARK_WRITABLE,   /* coarse mode: record every writable frame */
};
/* Boot: use protection keys if the CPU has them and `allowed`. */
void logdirty_cpu_init(bool allowed);
bool logdirty_has_pk(void);
/* Record the arch's frames the hypervisor writes through its own map. */
void logdirty_mark_arch_frames(struct domain *d);
/* Switching to v: the access rights its domain's tracking needs. */
void logdirty_load(const struct vcpu *v);
/* A page fault that was log-dirty's first store to a page: handled. */
bool logdirty_pk_fault(unsigned long va, unsigned long error_code);
/* Walk d's frames from mfn; returns where it stopped (max_frame: done). */
unsigned long logdirty_walk(struct domain *d, unsigned long mfn,
                            enum ld_walk how);

/* The frame `mfn` of d may change: mark it if d is in log-dirty mode. */
void paging_mark_dirty(struct domain *d, unsigned long mfn);
/* The sub-op (copy-out of the bitmap included). */
long logdirty_domctl(struct domain *d, struct mica_domctl_logdirty *op);
/* Leave log-dirty mode and free the bitmap (domain destruction). */
void logdirty_disable(struct domain *d);

#endif /* MICA_LOGDIRTY_H */
