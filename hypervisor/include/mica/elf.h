/*
 * Parsing and checking a PV guest kernel: an ELF64 x86-64 executable held
 * in memory, and the Xen ELF notes that describe how to start it.
 *
 * elf_parse() checks the image's structure and extracts what a domain
 * builder needs; elf_check_xen_notes() applies Xen's rules for which
 * kernels may be started. Neither changes the image, allocates or maps
 * anything, so both run unchanged in the unit tests.
 */
#ifndef MICA_ELF_H
#define MICA_ELF_H

#include <mica/env.h>

/*
 * Xen ELF note types (public/elfnote.h), under names of our own so that
 * this header can sit beside the public one.
 */
#define ELF_XEN_NOTE_ENTRY                1
#define ELF_XEN_NOTE_HYPERCALL_PAGE       2
#define ELF_XEN_NOTE_VIRT_BASE            3
#define ELF_XEN_NOTE_PADDR_OFFSET         4
#define ELF_XEN_NOTE_XEN_VERSION          5
#define ELF_XEN_NOTE_GUEST_OS             6
#define ELF_XEN_NOTE_GUEST_VERSION        7
#define ELF_XEN_NOTE_LOADER               8
#define ELF_XEN_NOTE_PAE_MODE             9
#define ELF_XEN_NOTE_FEATURES            10
#define ELF_XEN_NOTE_BSD_SYMTAB          11
#define ELF_XEN_NOTE_HV_START_LOW        12
#define ELF_XEN_NOTE_L1_MFN_VALID        13
#define ELF_XEN_NOTE_SUSPEND_CANCEL      14
#define ELF_XEN_NOTE_INIT_P2M            15
#define ELF_XEN_NOTE_MOD_START_PFN       16
#define ELF_XEN_NOTE_SUPPORTED_FEATURES  17
#define ELF_XEN_NOTE_PHYS32_ENTRY        18

/* The XENFEAT_* numbers (public/features.h) that the checks use. */
#define ELF_XENFEAT_WRITABLE_PAGE_TABLES  0
#define ELF_XENFEAT_PAE_PGDIR_ABOVE_4GB   4
#define ELF_XENFEAT_DOM0                 11

/*
 * Features a kernel may mark as required ("!name" in FEATURES) and still
 * be started by Mica. Xen ignores writable_page_tables for PV guests and
 * pae_pgdir_above_4gb means nothing to a 64-bit one; dom0 is accepted
 * only when building dom0.
 */
#define ELF_XENFEAT_REQUIRABLE                                                \
    ((1u << ELF_XENFEAT_WRITABLE_PAGE_TABLES) |                               \
     (1u << ELF_XENFEAT_PAE_PGDIR_ABOVE_4GB) | (1u << ELF_XENFEAT_DOM0))

#define ELF_NOTE_STRING_MAX 32

struct elf_segment
{
    uint64_t offset;            /* in the file */
    uint64_t vaddr;             /* not used for loading: may be 0 */
    uint64_t paddr;             /* where the segment is loaded */
    uint64_t filesz;            /* bytes copied from the file */
    uint64_t memsz;             /* filesz <= memsz; the rest is zeroed */
    uint32_t flags;             /* PF_X 1, PF_W 2, PF_R 4 */
};

/*
 * What the kernel's Xen notes say. After elf_parse() the values are the
 * ones to use: where a note is absent, Xen's default has been filled in
 * and the has_* flag is false.
 */
struct elf_xen_notes
{
    unsigned int nr_notes;      /* notes named "Xen" seen */
    uint64_t entry;             /* ENTRY, else e_entry */
    uint64_t virt_base;         /* VIRT_BASE, else 0 */
    uint64_t paddr_offset;      /* PADDR_OFFSET, else 0 */
    uint64_t hypercall_page;    /* HYPERCALL_PAGE (a virtual address) */
    uint64_t init_p2m;          /* INIT_P2M (a virtual address) */
    uint64_t hv_start_low;      /* HV_START_LOW (for 32-bit guests) */
    bool has_entry;
    bool has_virt_base;
    bool has_paddr_offset;
    bool has_hypercall_page;
    bool has_init_p2m;
    bool has_hv_start_low;
    bool has_supported_features;    /* a SUPPORTED_FEATURES note */
    bool mod_start_pfn;         /* MOD_START_PFN != 0: initrd unmapped */
    bool unknown_required;      /* FEATURES named "!x" with x unknown */

    /*
     * XENFEAT bitmaps. Supported gathers the FEATURES names (with or
     * without '!') and the SUPPORTED_FEATURES note; required only the
     * "!" names.
     */
    uint32_t features_required[1];
    uint32_t features_supported[1];

    /* String notes, truncated and NUL-terminated. */
    char guest_os[ELF_NOTE_STRING_MAX];
    char loader[ELF_NOTE_STRING_MAX];
    char xen_version[ELF_NOTE_STRING_MAX];
};

#define ELF_MAX_SEGMENTS 16

struct elf_image
{
    const uint8_t *data;
    size_t size;
    uint64_t entry;             /* e_entry */
    unsigned int nr_segments;   /* PT_LOADs with a non-zero memsz */
    struct elf_segment seg[ELF_MAX_SEGMENTS];
    uint64_t pstart;            /* lowest p_paddr, rounded down to a page */
    uint64_t pend;              /* highest end, rounded up to a page */
    uint64_t virt_kstart;       /* pstart + virt_base - paddr_offset */
    uint64_t virt_kend;         /* pend + virt_base - paddr_offset */
    struct elf_xen_notes notes;
};

/*
 * Parse the ELF image at data[0, size), which the caller keeps alive and
 * unchanged while `img` is used (img->data points into it). Everything in
 * the image is treated as hostile: every offset, size and count is checked
 * against the file and for overflow before use, and nothing outside the
 * file is read. On failure returns, with a reason in *why (a static
 * string; why may be NULL):
 *   -ENOEXEC  not a little-endian ELF64 x86-64 ET_EXEC file;
 *   -EINVAL   a header, segment or note is inconsistent or out of bounds,
 *             no loadable segment, overlapping segments, a note malformed;
 *   -E2BIG    more than ELF_MAX_SEGMENTS loadable segments.
 * Segments are checked by physical address: Linux's .data..percpu has
 * p_vaddr 0, and loading goes by p_paddr as Xen's does. Notes are read
 * from PT_NOTE segments only (not sections, nor the old __xen_guest).
 * On success returns 0 with *img filled in; on failure *img is zeroed.
 */
int elf_parse(struct elf_image *img, const void *data, size_t size,
              const char **why);

/*
 * Decide whether a parsed kernel may be started, as dom0 if `dom0`, by
 * Xen's rules plus Mica's: the kernel carries Xen notes; LOADER starts
 * "generic" or GUEST_OS starts "linux"; XEN_VERSION starts "xen-3.0";
 * as dom0, a SUPPORTED_FEATURES note, if present, includes dom0; as a
 * domU, dom0 is not required; every required feature is known and in
 * ELF_XENFEAT_REQUIRABLE; PADDR_OFFSET comes with VIRT_BASE; the entry
 * point lies in the kernel's virtual range and VIRT_BASE at or below it;
 * INIT_P2M, if set, lies outside that range.
 * Returns 0, or -EINVAL with the broken rule in *why (why may be NULL).
 */
int elf_check_xen_notes(const struct elf_image *img, bool dom0,
                        const char **why);

/*
 * The XENFEAT number of the feature called name[0, len) in
 * public/features.h ("dom0" is 11), or -1 if there is no such feature.
 */
int elf_feature_from_name(const char *name, size_t len);

#endif /* MICA_ELF_H */
